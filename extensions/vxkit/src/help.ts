/**
 * Help > Class links (teachers): opens the server's teacher page with every class's join
 * link, on the address partners reach (on Binder: the room's public address).
 *
 * The server log, where the start banner prints the links, is out of a Binder teacher's
 * sight. The menu item is there only for whoever the server says may see the dashboard; the
 * page itself answers 403 to everyone else.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { IMe, requestAPI } from './api';

/** The command that opens the teacher page. */
export const CLASS_LINKS = 'vxkit:class-links';

/** Where the teacher page is, relative to the server's base URL. */
export function classLinksUrl(baseUrl: string): string {
  return URLExt.join(baseUrl, 'vxkit/class-links');
}

export const helpPlugin: JupyterFrontEndPlugin<void> = {
  id: 'vxkit:help',
  description: 'Help > Class links: the join links, for teachers.',
  autoStart: true,
  optional: [IMainMenu, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    mainMenu: IMainMenu | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('vxkit');
    const answer = await requestAPI<IMe>('me');
    if (!answer.ok || !answer.data?.capabilities.dashboard) {
      return;
    }
    app.commands.addCommand(CLASS_LINKS, {
      label: trans.__('Class links (teachers)'),
      caption: trans.__('The join links to give your partner classes'),
      execute: () => {
        window.open(
          classLinksUrl(PageConfig.getBaseUrl()),
          '_blank',
          'noopener'
        );
      }
    });
    mainMenu?.helpMenu.addGroup([{ command: CLASS_LINKS }], 0);
  }
};
