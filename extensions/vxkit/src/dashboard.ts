/**
 * The classroom dashboard (main area, teachers): join links to hand out, who is online in
 * which notebook, contributions per student (with a CSV export) and the units.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { el } from './dom';
import { requestAPI } from './api';
import {
  contributionsCsv,
  IConnection,
  IContribution,
  ILink,
  onlinePeople
} from './shaping';

function table(headers: string[], rows: (string | Node)[][]): HTMLTableElement {
  const node = el('table', 'vx-table');
  const head = node.createTHead().insertRow();
  for (const text of headers) {
    const th = el('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  const body = node.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      const td = tr.insertCell();
      td.append(cell);
    }
  }
  return node;
}

/** The dashboard's content (put it in a MainAreaWidget). */
export class Dashboard extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    this._trans = trans;
    this.id = 'vxkit-dashboard';
    this.addClass('vx-Dashboard');
    this.title.label = trans.__('Classroom');
    this.title.closable = true;
    void this.refresh();
  }

  /** Ask the server again (the Refresh button, and every 30 s while it is shown). */
  async refresh(): Promise<void> {
    const trans = this._trans;
    const [links, presence, contributions] = await Promise.all([
      requestAPI<{
        classes: (ILink & { id: string; school: string; city: string })[];
        visitor: ILink;
      }>('links'),
      requestAPI<{ connections: IConnection[] }>('presence'),
      requestAPI<{ students: IContribution[] }>('contributions')
    ]);
    const content: Node[] = [];
    const bar = el('div', 'vx-toolbar');
    const again = el('button', 'jp-mod-styled', trans.__('Refresh'));
    again.onclick = () => void this.refresh();
    bar.append(el('h2', '', trans.__('Classroom')), again);
    content.push(bar);

    content.push(el('h3', '', trans.__('Join links')));
    if (links.ok && links.data) {
      const rows = links.data.classes.map(c => [
        `${c.school}, ${c.city}`,
        this._copyable(c.url)
      ]);
      rows.push([
        trans.__('Visitors (read only)'),
        this._copyable(links.data.visitor.url)
      ]);
      content.push(table([trans.__('Class'), trans.__('Link')], rows));
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

    content.push(el('h3', '', trans.__('Contributions')));
    if (contributions.ok && contributions.data) {
      const rows = contributions.data.students;
      if (!rows.length) {
        content.push(el('p', 'vx-muted', trans.__('No edits yet.')));
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
    this.node.replaceChildren(...content);
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

  private _trans: TranslationBundle;
  private _timer = 0;
}
