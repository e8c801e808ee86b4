/** Small DOM helpers shared by the panel and the dashboard. */
import { Dialog, showDialog } from '@jupyterlab/apputils';

/** A new `tag` element with a class name and its text (as text, never as HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text = ''
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

/** Ask before something that can't be undone; true when the person confirmed. */
export async function confirmWarning(
  title: string,
  body: string,
  cancel: string,
  accept: string
): Promise<boolean> {
  const answer = await showDialog({
    title,
    body,
    buttons: [
      Dialog.cancelButton({ label: cancel }),
      Dialog.warnButton({ label: accept })
    ]
  });
  return answer.button.accept;
}

/** A table with column headers; row i gets `data-key` = `keys[i]` when given. */
export function table(
  headers: string[],
  rows: (string | Node)[][],
  keys: string[] = []
): HTMLTableElement {
  const node = el('table', 'vx-table');
  const head = node.createTHead().insertRow();
  for (const text of headers) {
    const th = el('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  const body = node.createTBody();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    if (keys[i] !== undefined) {
      tr.dataset.key = keys[i];
    }
    for (const cell of row) {
      const td = tr.insertCell();
      td.append(cell);
    }
  });
  return node;
}
