/**
 * The Chats panel (right sidebar): the team's and class's chats (and the agora where the
 * teachers open it). The event stream pushes my chats' rows (unread counts, versions); when
 * the open chat's version moves, the panel reads it with `GET /vxkit/api/chats/<chat>`.
 *
 * Everything people typed is put on the page as text (`textContent`), never as HTML; links
 * and images become live only where the teachers turned them on, and only `http(s)` ones.
 * Teachers get the moderation buttons (hide, mute, release); the server decides anyway.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { IAnswer, requestAPI } from './api';
import { el } from './dom';
import { sharedStream } from './events';

/** One chat in the list (`GET /vxkit/api/chats`). */
export interface IChatRow {
  key: string;
  title: string;
  kind: string;
  unread: number;
  messages: number;
  /** moves with every change of the chat */
  version: number;
  may_post: boolean;
}

/** One message as the reader sees it. */
export interface IChatMessage {
  id: string;
  time: number;
  local_time: string;
  clock: string;
  name: string;
  city: string | null;
  class_id: string | null;
  colour: string | null;
  role: string;
  text: string;
  hidden: boolean;
  held: boolean;
  mine: boolean;
  words?: string[];
  student_id?: string | null;
}

/** A chat as the reader sees it. */
export interface IChat {
  key: string;
  title: string;
  version: number;
  timezone: string;
  last_seen: number;
  may_post: boolean;
  muted_until: number;
  moderator: boolean;
  links: boolean;
  images: boolean;
  messages: IChatMessage[];
}

const URL_PATTERN =
  /(!\[[^\]]*\]\(https?:\/\/[^\s)]+\)|https?:\/\/[^\s<>"']+)/g;

/**
 * The text of a message as DOM nodes: text nodes, plus links and images where allowed
 * (only http and https addresses, opened without a referrer).
 */
export function messageNodes(
  text: string,
  links: boolean,
  images: boolean
): Node[] {
  if (!links && !images) {
    return [document.createTextNode(text)];
  }
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) {
      nodes.push(document.createTextNode(text.slice(last, start)));
    }
    const token = match[0];
    const image = /^!\[([^\]]*)\]\((https?:\/\/[^\s)]+)\)$/.exec(token);
    if (image && images) {
      const img = document.createElement('img');
      img.alt = image[1];
      img.src = image[2];
      img.referrerPolicy = 'no-referrer';
      img.className = 'vx-chat-image';
      nodes.push(img);
    } else if (!image && links) {
      const a = document.createElement('a');
      a.href = token;
      a.textContent = token;
      a.target = '_blank';
      a.rel = 'noopener noreferrer nofollow';
      nodes.push(a);
    } else {
      nodes.push(document.createTextNode(token));
    }
    last = start + token.length;
  }
  if (last < text.length) {
    nodes.push(document.createTextNode(text.slice(last)));
  }
  return nodes;
}

/** The index of the first message someone else posted after `lastSeen` (-1: none). */
export function firstUnread(
  messages: IChatMessage[],
  lastSeen: number
): number {
  return messages.findIndex(m => !m.mine && m.time > lastSeen);
}

/**
 * A message's box: who (in their class colour), their city and the time in the reader's
 * zone, and whether a teacher hid or holds it. The caller adds the text.
 */
export function messageItem(
  message: IChatMessage,
  trans: TranslationBundle,
  heldNote: string
): HTMLElement {
  const item = el('div', 'vx-chat-message');
  item.dataset.id = message.id;
  item.classList.toggle('vx-mod-hidden', message.hidden);
  item.classList.toggle('vx-mod-held', message.held);
  const head = el('div', 'vx-chat-meta');
  const who = el('bdi', 'vx-chat-name', message.name);
  if (message.colour) {
    who.style.color = message.colour;
  }
  head.append(who);
  if (message.city) {
    head.append(el('bdi', 'vx-chat-city', message.city));
  }
  const clock = el('time', 'vx-chat-time', message.clock);
  clock.dateTime = message.local_time;
  clock.title = message.local_time;
  head.append(clock);
  item.append(head);
  if (message.hidden) {
    item.append(el('div', 'vx-chat-flag', trans.__('Hidden by a teacher')));
  }
  if (message.held) {
    item.append(el('div', 'vx-chat-flag', heldNote));
  }
  return item;
}

/** The right-sidebar widget. */
export class ChatPanel extends Widget {
  constructor(trans: TranslationBundle, onUnread?: (rows: IChatRow[]) => void) {
    super();
    this._trans = trans;
    this._onUnread = onUnread;
    this.id = 'vxkit-chat';
    this.addClass('vx-ChatPanel');
    this.title.caption = trans.__('Chats');
    this._tabs = el('div', 'vx-chat-tabs');
    this._tabs.setAttribute('role', 'tablist');
    this._header = el('div', 'vx-chat-header');
    this._list = el('div', 'vx-chat-list');
    this._list.setAttribute('aria-live', 'polite');
    this._note = el('div', 'vx-chat-note');
    const form = el('form', 'vx-chat-form');
    this._input = el('textarea', 'vx-chat-input');
    this._input.rows = 2;
    this._input.maxLength = 4000;
    this._input.placeholder = trans.__('Write to your partners…');
    this._input.setAttribute('aria-label', trans.__('Message'));
    this._input.dir = 'auto';
    const send = el('button', 'jp-mod-styled jp-mod-accept', trans.__('Send'));
    send.type = 'submit';
    form.append(this._input, send);
    form.addEventListener('submit', event => {
      event.preventDefault();
      void this._send();
    });
    this._input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this._send();
      }
    });
    this._form = form;
    this.node.append(this._tabs, this._header, this._list, this._note, form);
    const stream = sharedStream();
    stream?.on('chats', message => this._showRows(message.data.chats), false);
    stream?.onStatus((_status, reconnected) => {
      if (reconnected && this._key) {
        this.open(this._key); // what was said while the stream was down
      }
    });
    void this.refreshList();
  }

  /** The chats the server lets me read, with unread counts. */
  async refreshList(): Promise<IChatRow[]> {
    const answer = await requestAPI<{ chats: IChatRow[] }>('chats');
    const rows = answer.data?.chats ?? [];
    this._showRows(rows);
    return rows;
  }

  /** Draw the tabs with their unread badges; read the open chat again if it moved. */
  private _showRows(rows: IChatRow[]): void {
    const open = rows.find(row => row.key === this._key);
    if (open && this._version >= 0 && open.version !== this._version) {
      void this._load(open.key, this._generation);
    }
    this._tabs.replaceChildren(
      ...rows.map(row => {
        const tab = el('button', 'vx-chat-tab', row.title);
        tab.type = 'button';
        tab.dataset.chat = row.key;
        tab.setAttribute('role', 'tab');
        tab.setAttribute('aria-selected', String(row.key === this._key));
        if (row.unread > 0 && row.key !== this._key) {
          const badge = el('span', 'vx-chat-unread', String(row.unread));
          badge.title = this._trans.__('New messages: %1', row.unread);
          tab.append(badge);
        }
        tab.addEventListener('click', () => this.open(row.key));
        return tab;
      })
    );
    if (!rows.length) {
      this._list.replaceChildren(
        el(
          'p',
          'vx-chat-empty',
          this._trans.__('There is no chat for you here.')
        )
      );
      this._form.hidden = true;
    } else if (this._key === null) {
      this.open(rows[0].key);
    }
    this._onUnread?.(rows);
  }

  /** Show chat `key` (the event stream says when it changes). */
  open(key: string): void {
    this._key = key;
    this._generation += 1;
    for (const tab of Array.from(this._tabs.children)) {
      (tab as HTMLElement).setAttribute(
        'aria-selected',
        String((tab as HTMLElement).dataset.chat === key)
      );
    }
    this._version = -1;
    void this._load(key, this._generation);
  }

  /** Read chat `key` and show it (unless another chat was opened meanwhile). */
  private async _load(key: string, generation: number): Promise<void> {
    const first = this._version < 0;
    const answer: IAnswer<IChat> = await requestAPI<IChat>(
      `chats/${encodeURIComponent(key)}`
    );
    if (generation !== this._generation || this.isDisposed) {
      return;
    }
    if (!answer.ok || !answer.data) {
      this._note.textContent =
        answer.message || this._trans.__('The chat is not reachable.');
      return;
    }
    this._version = answer.data.version;
    this._render(answer.data, first);
    await this._markSeen(answer.data);
    // a change pushed while this was being read
    const rows: IChatRow[] = sharedStream()?.last('chats')?.data?.chats ?? [];
    const pushed = rows.find(row => row.key === key);
    if (
      pushed &&
      pushed.version > this._version &&
      generation === this._generation
    ) {
      void this._load(key, generation);
    }
  }

  private async _markSeen(chat: IChat): Promise<void> {
    const latest = chat.messages.reduce((t, m) => Math.max(t, m.time), 0);
    if (latest > this._seenUpTo && this.isVisible) {
      this._seenUpTo = latest;
      await requestAPI(`chats/${encodeURIComponent(chat.key)}/seen`, {
        method: 'POST',
        body: JSON.stringify({ time: latest })
      });
      if (sharedStream()?.status !== 'open') {
        void this.refreshList(); // the stream would have brought the new counts
      }
    }
  }

  private _render(chat: IChat, first: boolean): void {
    const trans = this._trans;
    if (first) {
      this._lastSeen = chat.last_seen;
      this._seenUpTo = chat.last_seen;
    }
    this._header.replaceChildren(
      el('span', 'vx-chat-title', chat.title),
      el('span', 'vx-chat-zone', trans.__('Times in %1', chat.timezone))
    );
    if (chat.moderator) {
      for (const format of ['csv', 'json']) {
        const link = el('a', 'vx-chat-export', format.toUpperCase());
        link.href = `${URLExt.join(PageConfig.getBaseUrl(), 'vxkit/api')}/chats/${encodeURIComponent(chat.key)}/export?format=${format}`;
        link.download = '';
        link.title = trans.__('Export this conversation');
        this._header.append(link);
      }
      const settings = el('button', 'jp-mod-styled', trans.__('Moderation'));
      settings.type = 'button';
      settings.addEventListener('click', () => void this._showSettings());
      this._header.append(settings);
    }
    const nearBottom =
      this._list.scrollHeight - this._list.scrollTop - this._list.clientHeight <
      40;
    const marker = firstUnread(chat.messages, this._lastSeen);
    const items: HTMLElement[] = [];
    chat.messages.forEach((message, index) => {
      if (index === marker && this._lastSeen > 0) {
        items.push(
          el('div', 'vx-chat-since', trans.__('Since you were last here'))
        );
      }
      items.push(this._message(chat, message));
    });
    if (!items.length) {
      items.push(
        el('p', 'vx-chat-empty', trans.__('No messages yet: say hello!'))
      );
    }
    this._list.replaceChildren(...items);
    if (first || nearBottom) {
      this._list.scrollTop = this._list.scrollHeight;
    }
    this._form.hidden = !chat.may_post;
    this._note.textContent =
      chat.muted_until > 0 ? trans.__('A teacher muted you for a while.') : '';
  }

  private _message(chat: IChat, message: IChatMessage): HTMLElement {
    const trans = this._trans;
    const item = messageItem(
      message,
      trans,
      chat.moderator
        ? trans.__('Held for a teacher: %1', (message.words ?? []).join(', '))
        : trans.__('Waiting for a teacher to read it')
    );
    item.classList.toggle('vx-mod-mine', message.mine);
    const body = el('div', 'vx-chat-text');
    body.dir = 'auto';
    if (message.text) {
      body.append(...messageNodes(message.text, chat.links, chat.images));
      item.append(body);
    }
    if (chat.moderator) {
      item.append(this._tools(chat, message));
    }
    return item;
  }

  /** The teachers' settings: what is open to whom, links and images, the word list. */
  private async _showSettings(): Promise<void> {
    const trans = this._trans;
    const answer = await requestAPI<{ settings: Record<string, any> }>(
      'moderation'
    );
    if (!answer.ok || !answer.data) {
      this._note.textContent = answer.message;
      return;
    }
    const current = answer.data.settings;
    const form = el('form', 'vx-chat-settings');
    const labels: [string, string][] = [
      ['agora', trans.__('Open the agora to every student')],
      ['visitors', trans.__('Let visitors read the chats')],
      ['links', trans.__('Make links in students’ messages clickable')],
      ['images', trans.__('Show images in students’ messages')]
    ];
    const boxes: Record<string, HTMLInputElement> = {};
    for (const [key, text] of labels) {
      const label = el('label', 'vx-chat-switch');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = current[key] === true;
      boxes[key] = box;
      label.append(box, document.createTextNode(' ' + text));
      form.append(label);
    }
    const words = el('textarea', 'vx-chat-words');
    words.rows = 4;
    words.value = (current.words ?? []).join('\n');
    words.setAttribute('aria-label', trans.__('Words that hold a message'));
    form.append(
      el('div', '', trans.__('Words that hold a message (one per line):')),
      words
    );
    const save = el('button', 'jp-mod-styled jp-mod-accept', trans.__('Save'));
    save.type = 'submit';
    form.append(save);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const body: Record<string, unknown> = {
        words: words.value.split('\n').filter(w => w.trim())
      };
      for (const key of Object.keys(boxes)) {
        body[key] = boxes[key].checked;
      }
      const saved = await requestAPI('moderation', {
        method: 'PATCH',
        body: JSON.stringify(body)
      });
      this._note.textContent = saved.ok ? trans.__('Saved.') : saved.message;
      if (saved.ok) {
        form.remove();
      }
    });
    this.node.querySelector('.vx-chat-settings')?.remove();
    this._header.after(form);
  }

  private _tools(chat: IChat, message: IChatMessage): HTMLElement {
    const trans = this._trans;
    const tools = el('div', 'vx-chat-tools');
    const button = (label: string, action: () => Promise<IAnswer<unknown>>) => {
      const b = el('button', 'jp-mod-styled', label);
      b.type = 'button';
      b.addEventListener('click', async () => {
        const answer = await action();
        this._note.textContent = answer.ok ? '' : answer.message;
      });
      tools.append(b);
    };
    const post = (path: string, body: unknown) =>
      requestAPI(path, { method: 'POST', body: JSON.stringify(body) });
    if (message.held) {
      button(trans.__('Release'), () =>
        post(`moderation/held/${message.id}`, { action: 'release' })
      );
      button(trans.__('Discard'), () =>
        post(`moderation/held/${message.id}`, { action: 'discard' })
      );
    } else if (!message.hidden) {
      button(trans.__('Hide'), () =>
        post('moderation/hide', { chat: chat.key, id: message.id })
      );
    }
    if (message.student_id) {
      const student = message.student_id;
      button(trans.__('Mute 1 hour'), () =>
        post('moderation/mute', { student, minutes: 60 })
      );
    }
    return tools;
  }

  private async _send(): Promise<void> {
    const key = this._key;
    const text = this._input.value;
    if (!key || !text.trim()) {
      return;
    }
    const answer = await requestAPI<{ held: boolean; message?: string }>(
      `chats/${encodeURIComponent(key)}`,
      { method: 'POST', body: JSON.stringify({ body: text }) }
    );
    if (answer.ok) {
      this._input.value = '';
      this._note.textContent = answer.data?.held
        ? this._trans.__(
            'A teacher will read your message before the others see it.'
          )
        : '';
    } else {
      this._note.textContent = answer.message;
    }
  }

  private _trans: TranslationBundle;
  private _onUnread?: (rows: IChatRow[]) => void;
  private _tabs: HTMLElement;
  private _header: HTMLElement;
  private _list: HTMLElement;
  private _note: HTMLElement;
  private _form: HTMLFormElement;
  private _input: HTMLTextAreaElement;
  private _key: string | null = null;
  private _generation = 0;
  /** the version of the open chat as shown (-1: not read yet) */
  private _version = -1;
  private _lastSeen = 0;
  private _seenUpTo = 0;
}
