/**
 * Who of my team is online, in the Exchange panel: the server answers for the signed-in
 * student's own team only (`GET /vxkit/api/team`), the panel marks them.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { requestAPI } from './api';
import { el } from './dom';
import { ITeamMember, peopleIn, teamNotebookPattern } from './shaping';

/** The answer of `GET /vxkit/api/team`. */
export interface ITeamPresence {
  team: string | null;
  folder?: string;
  members: ITeamMember[];
}

/** Ask the server who of my team is online (an empty list when it can't say). */
export async function teamPresence(): Promise<ITeamMember[]> {
  const answer = await requestAPI<ITeamPresence>('team');
  return answer.ok && answer.data ? answer.data.members : [];
}

/**
 * Mark the members of `list` (items with `data-member` = name and `data-class` = class id)
 * who are online, and under each team notebook of `notebooks` (items with `data-path`)
 * who of the team has it open.
 */
export function markOnline(
  root: HTMLElement,
  members: ITeamMember[],
  trans: TranslationBundle
): void {
  const online = new Set(
    members.filter(m => m.online).map(m => `${m.name}\u0000${m.class}`)
  );
  for (const item of Array.from(
    root.querySelectorAll<HTMLElement>('.vx-members li[data-member]')
  )) {
    const here = online.has(
      `${item.dataset.member}\u0000${item.dataset.class}`
    );
    item.classList.toggle('vx-online', here);
    let badge = item.querySelector('.vx-online-badge');
    if (here && !badge) {
      badge = el('span', 'vx-online-badge', trans.__('online'));
      item.append(' ', badge);
    } else if (!here && badge) {
      badge.remove();
    }
  }
  for (const item of Array.from(
    root.querySelectorAll<HTMLElement>('.vx-notebooks li[data-path]')
  )) {
    const names = peopleIn(members, item.dataset.path ?? '');
    const line = item.querySelector('.vx-here');
    if (line) {
      line.textContent = names.length
        ? trans.__('open now: %1', names.join(', '))
        : '';
    }
  }
  const count = root.querySelector('.vx-online-count');
  if (count) {
    count.textContent = trans.__('%1 online', online.size);
  }
}

const SHARED =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon-warn0" fill="#EF6C00">' +
  '<path d="M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7 0a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM9 13c-3 0-6 1.5-6 3.5V19h12v-2.5C15 14.5 12 13 9 13zm7 0c-.4 0-.8 0-1.2.1 1.3.8 2.2 2 2.2 3.4V19h5v-2.5c0-2-3-3.5-6-3.5z"/>' +
  '</g></svg>';

/**
 * Show the units' team notebooks in the file browser as shared ones: their own file type
 * (a notebook, so they open as any notebook does) with a "people" icon and a tooltip.
 */
export function markTeamNotebooks(
  app: JupyterFrontEnd,
  units: string[],
  trans: TranslationBundle
): void {
  const pattern = teamNotebookPattern(units);
  if (!pattern || app.docRegistry.getFileType('vxkit-team-notebook')) {
    return;
  }
  app.docRegistry.addFileType(
    {
      name: 'vxkit-team-notebook',
      displayName: trans.__('Team notebook (shared with your team)'),
      contentType: 'notebook',
      fileFormat: 'json',
      extensions: [],
      pattern,
      mimeTypes: ['application/x-ipynb+json'],
      icon: new LabIcon({ name: 'vxkit:team-notebook', svgstr: SHARED })
    },
    ['Notebook']
  );
}
