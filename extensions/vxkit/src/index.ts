/**
 * vxkit in JupyterLab: asks the server who is asking (`GET /vxkit/api/me`), hides the
 * teacher's tools from whoever may not use them, and adds the Exchange panel.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { IExchange, IMe, requestAPI } from './api';
import { ChatPanel, IChatRow } from './chat';
import { CommentsPanel, notebookView } from './comments';
import { Dashboard } from './dashboard';
import { panelDirection } from './direction';
import { SetupForm } from './setup';
import { EventStream, setSharedStream } from './events';
import { helpPlugin } from './help';
import { outputsPlugin } from './outputs';
import { ExchangePanel } from './panel';
import { applyCapabilities } from './roles';
import { markTeamNotebooks } from './team';

const GLOBE =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161">' +
  '<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 6h-2.9a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8zM12 4c.8 1.2 1.5 2.5 1.9 4h-3.8c.4-1.5 1.1-2.8 1.9-4zM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3zm.8 2h2.9c.3 1.3.8 2.5 1.4 3.6A8 8 0 0 1 5.1 16zM8 8H5.1a8 8 0 0 1 4.3-3.6C8.8 5.5 8.3 6.7 8 8zm4 12c-.8-1.2-1.5-2.5-1.9-4h3.8c-.4 1.5-1.1 2.8-1.9 4zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4zm.3 5.6c.6-1.1 1.1-2.3 1.4-3.6h2.9a8 8 0 0 1-4.3 3.6zm1.7-5.6a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4h-3.4z"/>' +
  '</g></svg>';

const exchangeIcon = new LabIcon({ name: 'vxkit:exchange', svgstr: GLOBE });

const BUBBLE =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161">' +
  '<path d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/>' +
  '</g></svg>';
const chatIcon = new LabIcon({ name: 'vxkit:chat', svgstr: BUBBLE });
const NOTE =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161">' +
  '<path d="M3 3h18v14H7l-4 4V3zm4 4v2h10V7H7zm0 4v2h7v-2H7z"/>' +
  '</g></svg>';
const commentIcon = new LabIcon({ name: 'vxkit:comments', svgstr: NOTE });

/** A command's execute that shows one main-area widget (made on first use, and again
 * once closed) in the class's writing direction. */
function mainAreaOpener(
  app: JupyterFrontEnd,
  id: string,
  label: string,
  make: () => Widget,
  dir: 'ltr' | 'rtl' | undefined
): () => void {
  let current: MainAreaWidget | null = null;
  return () => {
    if (!current || current.isDisposed) {
      const content = make();
      content.node.dir = dir ?? 'ltr';
      current = new MainAreaWidget({ content });
      current.id = id;
      current.title.label = label;
      current.title.icon = exchangeIcon;
    }
    if (!current.isAttached) {
      app.shell.add(current, 'main');
    }
    app.shell.activateById(current.id);
  };
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'vxkit:plugin',
  description:
    'The Exchange panel, and a JupyterLab that shows each person their own tools.',
  autoStart: true,
  optional: [ILauncher, IMainMenu, ITranslator, ILabShell],
  activate: async (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    mainMenu: IMainMenu | null,
    translator: ITranslator | null,
    labShell: ILabShell | null
  ) => {
    const trans = (translator ?? nullTranslator).load('vxkit');
    const answer = await requestAPI<IMe>('me');
    if (!answer.ok || !answer.data) {
      console.warn('vxkit: who am I?', answer.status, answer.message);
      return;
    }
    const me = answer.data;
    if (me.role !== 'unknown') {
      // the one event stream of this tab: every widget below listens to it
      const settings = ServerConnection.makeSettings();
      let url = URLExt.join(settings.wsUrl, 'vxkit', 'api', 'events');
      if (settings.token) {
        url += `?token=${encodeURIComponent(settings.token)}`;
      }
      const stream = new EventStream({ url });
      setSharedStream(stream);
      stream.start();
    }
    const dir = panelDirection(me, translator?.languageCode);
    const hide = () =>
      applyCapabilities(app, me.capabilities, launcher, mainMenu);
    hide();
    // plugins that activate after this one (and the restored layout) add their tools later
    void app.restored.then(hide);
    const DASHBOARD = 'vxkit:open-dashboard';
    const SETUP = 'vxkit:open-setup';
    if (me.capabilities.dashboard) {
      app.commands.addCommand(SETUP, {
        label: trans.__('Exchange setup'),
        caption: trans.__('Classes, rosters and teams of the exchange'),
        icon: exchangeIcon,
        execute: mainAreaOpener(
          app,
          'vxkit-setup-main',
          trans.__('Exchange setup'),
          () => new SetupForm(trans),
          dir
        )
      });
      app.commands.addCommand(DASHBOARD, {
        label: trans.__('Classroom dashboard'),
        caption: trans.__('Join links, who is online, contributions'),
        icon: exchangeIcon,
        execute: mainAreaOpener(
          app,
          'vxkit-dashboard-main',
          trans.__('Classroom'),
          () => new Dashboard(trans, () => void app.commands.execute(SETUP)),
          dir
        )
      });
      launcher?.add({
        command: DASHBOARD,
        // JupyterLab's own word, so the tile joins its "Other" section in every language
        category: (translator ?? nullTranslator).load('jupyterlab').__('Other'),
        rank: 0
      });
    }
    const panel = new ExchangePanel({
      me,
      trans,
      language: translator?.languageCode,
      contents: app.serviceManager.contents,
      open: path => void app.commands.execute('docmanager:open', { path }),
      openDashboard: me.capabilities.dashboard
        ? () => void app.commands.execute(DASHBOARD)
        : null,
      openFolder: path =>
        void app.commands.execute('filebrowser:go-to-path', {
          path,
          dontShowBrowser: true
        })
    });
    panel.title.icon = exchangeIcon;
    // vxkit's own panels follow the class's writing direction (JupyterLab's stay as they are)
    panel.node.dir = dir;
    void requestAPI<IExchange>('exchange').then(answer => {
      if (answer.data?.units) {
        markTeamNotebooks(app, answer.data.units, trans);
        void app.commands.execute('filebrowser:refresh').catch(() => undefined);
      }
    });
    app.shell.add(panel, 'left', { rank: 50 });
    document.body.dataset.vxkitRole = me.role;
    // the chats (right sidebar); unread counts go out as a 'vxkit:unread' event on document
    const chats = new ChatPanel(trans, (rows: IChatRow[]) => {
      const unread = rows.reduce((n, row) => n + row.unread, 0);
      chats.title.caption = unread
        ? trans.__('Chats (new messages: %1)', unread)
        : trans.__('Chats');
      document.dispatchEvent(new CustomEvent('vxkit:unread', { detail: rows }));
    });
    chats.title.icon = chatIcon;
    chats.node.dir = dir;
    app.shell.add(chats, 'right', { rank: 50 });
    document.addEventListener('vxkit:open-chat', event => {
      app.shell.activateById(chats.id);
      chats.open(String((event as CustomEvent).detail));
    });
    // comments on the cells of the notebook in front
    const comments = new CommentsPanel(trans, () =>
      app.shell.activateById(comments.id)
    );
    comments.title.icon = commentIcon;
    comments.node.dir = dir;
    app.shell.add(comments, 'right', { rank: 51 });
    if (labShell) {
      const follow = () =>
        comments.setNotebook(notebookView(labShell.currentWidget));
      labShell.currentChanged.connect(follow);
      void app.restored.then(follow);
    }
    if (labShell) {
      void app.restored.then(() => {
        if (!labShell.leftCollapsed) {
          return;
        }
        labShell.activateById(panel.id);
      });
    }
  }
};

export default [outputsPlugin, plugin, helpPlugin];
