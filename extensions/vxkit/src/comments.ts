/**
 * Comments on cells: the threads of the notebook in front (right sidebar), a marker in the
 * margin of each cell that has open threads, and "comment on the selected cell".
 *
 * Threads come from `GET /vxkit/api/comments?path=`; the server keeps them beside the
 * notebook (never in its cells) and decides who may read, write and moderate them. Comment
 * text is put on the page with `textContent` only.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { IAnswer, requestAPI } from './api';
import { IChatMessage, messageItem } from './chat';
import { el } from './dom';
import { sharedStream } from './events';

/** One thread on a cell. */
export interface IThread {
  id: string;
  cell_id: string;
  created: number;
  resolved: boolean;
  resolved_by?: string | null;
  comments: IChatMessage[];
}

/** The threads of one notebook as the reader sees them. */
export interface IThreads {
  path: string;
  timezone: string;
  moderator: boolean;
  may_comment: boolean;
  threads: IThread[];
}

/** What the panel needs to know about a notebook, without depending on the notebook package. */
export interface INotebookView {
  path: string;
  /** the cell ids, in order */
  cellIds(): string[];
  /** the selected cell's id, if any */
  activeCellId(): string | null;
  /** the DOM node of the cell with this id, if it is shown */
  cellNode(id: string): HTMLElement | null;
  /** select the cell with this id */
  select(id: string): void;
}

/** A JupyterLab widget as a notebook view, when it is a notebook panel. */
export function notebookView(widget: any): INotebookView | null {
  const path = widget?.context?.path;
  const notebook = widget?.content;
  if (
    typeof path !== 'string' ||
    !path.endsWith('.ipynb') ||
    !notebook?.widgets
  ) {
    return null;
  }
  const cells = (): any[] => notebook.widgets ?? [];
  return {
    path,
    cellIds: () => cells().map(cell => String(cell.model?.id ?? '')),
    activeCellId: () => notebook.activeCell?.model?.id ?? null,
    cellNode: id => cells().find(cell => cell.model?.id === id)?.node ?? null,
    select: id => {
      const index = cells().findIndex(cell => cell.model?.id === id);
      if (index >= 0) {
        notebook.activeCellIndex = index;
        cells()[index].node.scrollIntoView({ block: 'center' });
      }
    }
  };
}

/** The right-sidebar widget. */
export class CommentsPanel extends Widget {
  constructor(trans: TranslationBundle, reveal: () => void) {
    super();
    this._trans = trans;
    this._reveal = reveal;
    this.id = 'vxkit-comments';
    this.addClass('vx-CommentsPanel');
    this.title.caption = trans.__('Comments on cells');
    this._head = el('div', 'vx-chat-header');
    this._list = el('div', 'vx-chat-list');
    this._note = el('div', 'vx-chat-note');
    this._form = el('form', 'vx-chat-form');
    this._input = el('textarea', 'vx-chat-input');
    this._input.rows = 2;
    this._input.maxLength = 4000;
    this._input.dir = 'auto';
    this._input.placeholder = trans.__(
      'Ask or suggest something about the selected cell…'
    );
    this._input.setAttribute('aria-label', trans.__('New comment'));
    const start = el(
      'button',
      'jp-mod-styled jp-mod-accept',
      trans.__('Comment')
    );
    start.type = 'submit';
    this._form.append(this._input, start);
    this._form.addEventListener('submit', event => {
      event.preventDefault();
      const cell = this._view?.activeCellId();
      if (cell) {
        void this._post(
          { cell_id: cell, body: this._input.value },
          this._input
        );
      }
    });
    this.node.append(this._head, this._list, this._note, this._form);
    // the server says when the threads of a notebook I may read changed
    const stream = sharedStream();
    if (stream) {
      this._listening = [
        stream.on(
          'comments',
          message => {
            if (this._view && message.data?.path === this._view.path) {
              void this.refresh();
            }
          },
          false
        ),
        stream.onStatus((_status, reconnected) => {
          if (reconnected) {
            void this.refresh();
          }
        })
      ];
    }
  }

  /** Follow the notebook in front (or none). */
  setNotebook(view: INotebookView | null): void {
    this._view = view;
    void this.refresh();
  }

  /** Ask the server for the threads of the notebook in front and show them. */
  async refresh(): Promise<void> {
    const view = this._view;
    if (!view) {
      this._head.textContent = this._trans.__(
        'Open a notebook to see its comments.'
      );
      this._list.replaceChildren();
      this._form.hidden = true;
      return;
    }
    const answer = await requestAPI<IThreads>(
      `comments?path=${encodeURIComponent(view.path)}`
    );
    if (view !== this._view) {
      return;
    }
    if (!answer.ok || !answer.data) {
      this._head.textContent = answer.message;
      this._list.replaceChildren();
      this._form.hidden = true;
      return;
    }
    this._render(view, answer.data);
  }

  dispose(): void {
    this._listening.forEach(stop => stop());
    super.dispose();
  }

  private _render(view: INotebookView, data: IThreads): void {
    const trans = this._trans;
    this._head.replaceChildren(
      el('span', 'vx-chat-title', view.path.split('/').pop() ?? view.path),
      el('span', 'vx-chat-zone', trans.__('Times in %1', data.timezone))
    );
    this._form.hidden = !data.may_comment;
    const order = view.cellIds();
    const threads = [...data.threads].sort(
      (a, b) =>
        order.indexOf(a.cell_id) - order.indexOf(b.cell_id) ||
        a.created - b.created
    );
    const items = threads.map(thread =>
      this._thread(view, data, thread, order)
    );
    if (!items.length) {
      items.push(
        el('p', 'vx-chat-empty', trans.__('No comments on this notebook yet.'))
      );
    }
    this._list.replaceChildren(...items);
    this._markers(view, threads);
  }

  private _thread(
    view: INotebookView,
    data: IThreads,
    thread: IThread,
    order: string[]
  ): HTMLElement {
    const trans = this._trans;
    const box = el('section', 'vx-comment-thread');
    box.dataset.cell = thread.cell_id;
    box.classList.toggle('vx-mod-resolved', thread.resolved);
    const index = order.indexOf(thread.cell_id);
    const cell = el(
      'button',
      'vx-comment-cell',
      index >= 0 ? trans.__('Cell %1', index + 1) : trans.__('A deleted cell')
    );
    cell.type = 'button';
    cell.addEventListener('click', () => view.select(thread.cell_id));
    box.append(cell);
    if (thread.resolved) {
      box.append(el('span', 'vx-chat-flag', trans.__('Resolved')));
    }
    for (const comment of thread.comments) {
      const item = messageItem(
        comment,
        trans,
        trans.__('Waiting for a teacher to read it')
      );
      if (comment.text) {
        const text = el('div', 'vx-chat-text', comment.text);
        text.dir = 'auto';
        item.append(text);
      }
      if (data.moderator) {
        item.append(this._tools(view, comment));
      }
      box.append(item);
    }
    if (data.may_comment && !thread.id.startsWith('held-')) {
      const reply = el('textarea', 'vx-chat-input');
      reply.rows = 1;
      reply.maxLength = 4000;
      reply.dir = 'auto';
      reply.placeholder = trans.__('Answer…');
      reply.setAttribute('aria-label', trans.__('Answer'));
      const send = el('button', 'jp-mod-styled', trans.__('Answer'));
      send.type = 'button';
      send.addEventListener(
        'click',
        () => void this._post({ thread: thread.id, body: reply.value }, reply)
      );
      const toggle = el(
        'button',
        'jp-mod-styled',
        thread.resolved ? trans.__('Reopen') : trans.__('Resolve')
      );
      toggle.type = 'button';
      toggle.addEventListener('click', async () => {
        const answer = await requestAPI('comments/resolve', {
          method: 'POST',
          body: JSON.stringify({
            path: view.path,
            thread: thread.id,
            resolved: !thread.resolved
          })
        });
        this._after(answer);
      });
      const row = el('div', 'vx-chat-form');
      row.append(reply, send, toggle);
      box.append(row);
    }
    return box;
  }

  private _tools(view: INotebookView, comment: IChatMessage): HTMLElement {
    const trans = this._trans;
    const tools = el('div', 'vx-chat-tools');
    const add = (label: string, path: string, body: unknown) => {
      const b = el('button', 'jp-mod-styled', label);
      b.type = 'button';
      b.addEventListener('click', async () =>
        this._after(
          await requestAPI(path, { method: 'POST', body: JSON.stringify(body) })
        )
      );
      tools.append(b);
    };
    if (comment.held) {
      add(trans.__('Release'), `moderation/held/${comment.id}`, {
        action: 'release'
      });
      add(trans.__('Discard'), `moderation/held/${comment.id}`, {
        action: 'discard'
      });
    } else if (!comment.hidden) {
      add(trans.__('Hide'), 'moderation/hide', {
        path: view.path,
        id: comment.id
      });
    }
    return tools;
  }

  private _markers(view: INotebookView, threads: IThread[]): void {
    for (const old of Array.from(
      document.querySelectorAll('.vx-comment-marker')
    )) {
      old.remove();
    }
    const open = new Map<string, number>();
    for (const thread of threads) {
      if (!thread.resolved) {
        open.set(thread.cell_id, (open.get(thread.cell_id) ?? 0) + 1);
      }
    }
    for (const [cellId, count] of open) {
      const node = view.cellNode(cellId);
      if (!node) {
        continue;
      }
      const marker = el('button', 'vx-comment-marker', String(count));
      marker.type = 'button';
      marker.title = this._trans.__('Open threads on this cell: %1', count);
      marker.addEventListener('click', () => this._reveal());
      node.append(marker);
    }
  }

  private async _post(
    body: Record<string, unknown>,
    input: HTMLTextAreaElement
  ): Promise<void> {
    const view = this._view;
    if (!view || !String(body.body ?? '').trim()) {
      return;
    }
    const answer = await requestAPI<{ held: boolean }>('comments', {
      method: 'POST',
      body: JSON.stringify({ path: view.path, ...body })
    });
    if (answer.ok) {
      input.value = '';
    }
    this._after(answer);
    if (answer.ok && answer.data?.held) {
      this._note.textContent = this._trans.__(
        'A teacher will read your message before the others see it.'
      );
    }
  }

  private _after(answer: IAnswer<unknown>): void {
    this._note.textContent = answer.ok ? '' : answer.message;
    void this.refresh();
  }

  private _trans: TranslationBundle;
  private _reveal: () => void;
  private _head: HTMLElement;
  private _list: HTMLElement;
  private _note: HTMLElement;
  private _form: HTMLFormElement;
  private _input: HTMLTextAreaElement;
  private _view: INotebookView | null = null;
  private _listening: (() => void)[] = [];
}
