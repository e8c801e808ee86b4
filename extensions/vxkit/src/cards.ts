/**
 * The dashboard's sign-in cards: each student's personal code with the QR code of the link
 * that signs them in as themselves, and replacing a lost card (after a confirmation).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { requestAPI } from './api';
import { confirmWarning, el } from './dom';

/** One card as `GET /vxkit/api/cards` gives it. */
export interface ICard {
  student_id: string;
  name: string;
  code: string;
  url: string;
  /** the QR code of `url`, an SVG data URI */
  qr: string;
}

/** A class with a roster and its cards. */
export interface ICardClass {
  id: string;
  school: string;
  city: string;
  cards: ICard[];
}

function cardNode(card: ICard, trans: TranslationBundle): HTMLElement {
  const node = el('div', 'vx-card');
  node.dataset.student = card.student_id;
  const qr = el('img', 'vx-qr');
  qr.src = card.qr;
  qr.alt = trans.__('QR code of the sign-in link of %1', card.name);
  const replace = el('button', 'jp-mod-styled vx-replace', trans.__('Replace'));
  replace.setAttribute(
    'aria-label',
    trans.__('Replace the card of %1', card.name)
  );
  replace.onclick = async () => {
    const sure = await confirmWarning(
      trans.__('Replace the card of %1?', card.name),
      trans.__(
        'The old card stops working at once; the browsers it signed in must enter the new code.'
      ),
      trans.__('Cancel'),
      trans.__('Replace')
    );
    if (!sure) {
      return;
    }
    const answer = await requestAPI<{ card: ICard }>(
      `cards/${encodeURIComponent(card.student_id)}`,
      { method: 'POST', body: '{}' }
    );
    if (!answer.ok || !answer.data) {
      node.append(el('p', 'vx-problem', answer.message));
      return;
    }
    node.replaceWith(cardNode(answer.data.card, trans));
  };
  node.append(
    el('div', 'vx-card-name', card.name),
    qr,
    el('div', 'vx-card-code', card.code),
    replace
  );
  return node;
}

/** The cards of every class, one collapsible block per class. */
export function cardsSection(
  classes: ICardClass[],
  trans: TranslationBundle
): HTMLElement {
  const section = el('section', 'vx-cards');
  if (!classes.length) {
    section.append(
      el(
        'p',
        'vx-muted',
        trans.__('No class has a roster: there are no cards.')
      )
    );
  }
  for (const cls of classes) {
    const block = el('details', 'vx-card-class');
    block.dataset.classId = cls.id;
    block.append(
      el(
        'summary',
        '',
        trans.__('%1, %2: %3 cards', cls.school, cls.city, cls.cards.length)
      )
    );
    const grid = el('div', 'vx-card-grid');
    for (const card of cls.cards) {
      grid.append(cardNode(card, trans));
    }
    block.append(grid);
    section.append(block);
  }
  return section;
}
