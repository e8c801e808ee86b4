/**
 * The classroom dashboard (main area, teachers): join links to hand out (with QR codes and
 * revoke), who is online in which notebook, the units with their counts and the teacher's
 * jobs, contributions per team and student (a chart and a CSV export), and the sign-in cards.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { confirmWarning, el, table } from './dom';
import { IExchange, requestAPI } from './api';
import { cardsSection, ICardClass } from './cards';
import { contributionChart } from './chart';
import { UnitsSection } from './jobs';
import {
  contributionsCsv,
  IConnection,
  IContribution,
  ILink,
  onlinePeople,
  teamShares
} from './shaping';

/** A join link with its QR code (`GET /vxkit/api/links`). */
type IQrLink = ILink & { qr?: string };

/** The dashboard's content (put it in a MainAreaWidget). */
export class Dashboard extends Widget {
  /** `openSetup` opens the exchange setup form (the toolbar's Setup button). */
  constructor(trans: TranslationBundle, openSetup: (() => void) | null = null) {
    super();
    this._trans = trans;
    this._openSetup = openSetup;
    this.id = 'vxkit-dashboard';
    this.addClass('vx-Dashboard');
    this.title.label = trans.__('Classroom');
    this.title.closable = true;
    this._units = new UnitsSection(trans);
    void this.refresh();
  }

  /** Ask the server again (the Refresh button, and every 30 s while it is shown). */
  async refresh(): Promise<void> {
    const trans = this._trans;
    const [links, presence, contributions, cards, exchange] = await Promise.all(
      [
        requestAPI<{
          classes: (IQrLink & { id: string; school: string; city: string })[];
          visitor: IQrLink;
          hub?: boolean;
        }>('links'),
        requestAPI<{ connections: IConnection[] }>('presence'),
        requestAPI<{ students: IContribution[] }>('contributions'),
        requestAPI<{ classes: ICardClass[] }>('cards'),
        requestAPI<IExchange & { units: string[] }>('exchange')
      ]
    );
    const content: Node[] = [];
    const bar = el('div', 'vx-toolbar');
    const again = el('button', 'jp-mod-styled', trans.__('Refresh'));
    again.onclick = () => void this.refresh();
    bar.append(el('h2', '', trans.__('Classroom')), again);
    if (this._openSetup) {
      const setup = el('button', 'jp-mod-styled', trans.__('Setup'));
      setup.title = trans.__('Classes, rosters and teams of the exchange');
      const open = this._openSetup;
      setup.onclick = () => open();
      bar.append(setup);
    }
    content.push(bar);

    content.push(el('h3', '', trans.__('Join links')));
    if (links.ok && links.data?.hub) {
      // on a hub nobody joins by link: one address, opened after the hub login
      content.push(
        el(
          'p',
          '',
          trans.__(
            'Students, partners and visitors sign in to the hub with their own account, then open this address:'
          )
        ),
        this._copyable(links.data.visitor.url)
      );
    } else if (links.ok && links.data) {
      const rows = links.data.classes.map(c => [
        `${c.school}, ${c.city}`,
        this._copyable(c.url),
        this._qrAndRevoke(c, c.id, `${c.school}, ${c.city}`)
      ]);
      rows.push([
        trans.__('Visitors (read only)'),
        this._copyable(links.data.visitor.url),
        this._qrAndRevoke(
          links.data.visitor,
          'visitor',
          trans.__('Visitors (read only)')
        )
      ]);
      content.push(
        table([trans.__('Class'), trans.__('Link'), trans.__('QR code')], rows)
      );
    } else {
      content.push(el('p', 'vx-problem', links.message));
    }

    content.push(el('h3', '', trans.__('Online now')));
    if (presence.ok && presence.data) {
      const people = onlinePeople(presence.data.connections);
      content.push(
        people.length
          ? table(
              [trans.__('Who'), trans.__('Notebooks')],
              people.map(p => [
                p.city ? `${p.name} (${p.city})` : p.name,
                p.documents.join(', ')
              ])
            )
          : el('p', 'vx-muted', trans.__('Nobody has a notebook open.'))
      );
    } else {
      content.push(el('p', 'vx-problem', presence.message));
    }

    content.push(el('h3', '', trans.__('Units')));
    content.push(this._units.node);
    void this._units.refresh(exchange.data?.units ?? []);

    content.push(el('h3', '', trans.__('Contributions')));
    if (contributions.ok && contributions.data) {
      const rows = contributions.data.students;
      if (!rows.length) {
        content.push(el('p', 'vx-muted', trans.__('No edits yet.')));
      } else {
        content.push(
          contributionChart(teamShares(rows, trans.__('(no team)')), trans)
        );
      }
      content.push(
        table(
          [
            trans.__('Who'),
            trans.__('Class'),
            trans.__('Team'),
            trans.__('Edits'),
            trans.__('Cells')
          ],
          rows.map(r => [
            r.name ?? r.person,
            r.class_id ?? '',
            r.team_id ?? '',
            String(r.edits),
            String(r.cells)
          ])
        )
      );
      const csv = el('a', 'vx-link', trans.__('Download as CSV'));
      csv.href = URL.createObjectURL(
        new Blob([contributionsCsv(rows)], { type: 'text/csv' })
      );
      csv.download = 'contributions.csv';
      content.push(csv);
    } else {
      content.push(el('p', 'vx-muted', contributions.message));
    }

    content.push(el('h3', '', trans.__('Sign-in cards')));
    content.push(
      cards.ok && cards.data
        ? cardsSection(cards.data.classes, trans)
        : el('p', 'vx-problem', cards.message)
    );
    // keep the open card blocks open across the 30 s refresh
    const open = new Set(
      Array.from(
        this.node.querySelectorAll<HTMLDetailsElement>(
          'details.vx-card-class[open]'
        )
      ).map(d => d.dataset.classId)
    );
    this.node.replaceChildren(...content);
    for (const block of Array.from(
      this.node.querySelectorAll<HTMLDetailsElement>('details.vx-card-class')
    )) {
      block.open = open.has(block.dataset.classId);
    }
  }

  protected onAfterAttach(): void {
    this._timer = window.setInterval(() => void this.refresh(), 30000);
  }

  protected onBeforeDetach(): void {
    window.clearInterval(this._timer);
  }

  private _copyable(url: string): HTMLElement {
    const trans = this._trans;
    const box = el('span', 'vx-copy');
    const field = el('input', 'vx-url');
    field.readOnly = true;
    field.value = url;
    field.setAttribute('aria-label', trans.__('Join link'));
    const copy = el('button', 'jp-mod-styled', trans.__('Copy'));
    copy.onclick = async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(url);
      } catch {
        document.execCommand('copy'); // pages served over plain http have no clipboard API
      }
      copy.textContent = trans.__('Copied');
    };
    box.append(field, copy);
    return box;
  }

  /** The link's QR code (large enough for a projector once clicked) and a revoke button. */
  private _qrAndRevoke(link: IQrLink, key: string, label: string): HTMLElement {
    const trans = this._trans;
    const box = el('span', 'vx-qr-box');
    if (link.qr) {
      const qr = el('img', 'vx-qr');
      qr.src = link.qr;
      qr.alt = trans.__('QR code of the join link of %1', label);
      qr.tabIndex = 0;
      qr.title = trans.__('Click to show it large');
      qr.onclick = () => qr.classList.toggle('vx-qr-large');
      qr.onkeydown = event => {
        if (event.key === 'Enter' || event.key === ' ') {
          qr.classList.toggle('vx-qr-large');
        }
      };
      box.append(qr);
    }
    const revoke = el('button', 'jp-mod-styled vx-revoke', trans.__('Revoke'));
    revoke.dataset.key = key;
    revoke.setAttribute('aria-label', trans.__('Revoke the link of %1', label));
    revoke.onclick = async () => {
      const sure = await confirmWarning(
        trans.__('Revoke the link of %1?', label),
        trans.__(
          'The old link stops working and everyone who joined with it is signed out; hand out the new one.'
        ),
        trans.__('Cancel'),
        trans.__('Revoke')
      );
      if (!sure) {
        return;
      }
      const answer = await requestAPI<IQrLink>(`links/${key}`, {
        method: 'POST',
        body: '{}'
      });
      if (!answer.ok) {
        box.append(el('p', 'vx-problem', answer.message));
        return;
      }
      await this.refresh();
    };
    box.append(revoke);
    return box;
  }

  private _trans: TranslationBundle;
  private _openSetup: (() => void) | null;
  private _timer = 0;
  private _units: UnitsSection;
}
