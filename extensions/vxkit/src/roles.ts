/**
 * Role-aware JupyterLab: the teacher's tools disappear for whoever the server says may not
 * use them. Hiding is for comfort only; the server's policy refuses these requests anyway.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { Menu } from '@lumino/widgets';
import { ICapabilities } from './api';

/** Commands (by prefix) and sidebar widgets that belong to each capability. */
export const TOOLS: Record<
  keyof Omit<ICapabilities, 'dashboard' | 'handin'>,
  { commands: string[]; widgets: string[]; menus: string[] }
> = {
  terminals: { commands: ['terminal:'], widgets: [], menus: [] },
  nbgrader_ui: {
    commands: ['nbgrader:'],
    widgets: ['nbgrader-create_assignemnt', 'nbgrader-create_assignment'],
    menus: ['jp-mainmenu-nbgrader']
  },
  extension_manager: {
    commands: ['extensionmanager:', 'pluginmanager:'],
    widgets: ['extensionmanager.main-view'],
    menus: []
  },
  // jupyterlab-chat's launcher tile and palette items (create, create-in-folder,
  // createAndOpen) and renaming a chat file
  new_chat: {
    commands: ['jupyterlab-chat:create', 'jupyterlab-chat:renameChat'],
    widgets: [],
    menus: []
  }
};

/** The command prefixes the person may not use. */
export function hiddenPrefixes(caps: ICapabilities): string[] {
  return Object.entries(TOOLS)
    .filter(([name]) => !caps[name as keyof ICapabilities])
    .flatMap(([, tool]) => tool.commands);
}

/** Whether a command belongs to a hidden tool. */
export function isHidden(command: string, prefixes: string[]): boolean {
  return prefixes.some(prefix => command.startsWith(prefix));
}

/**
 * Hide the tools `caps` refuses: launcher tiles, menu and palette entries (by their
 * command), sidebar panels and main-menu menus.
 */
export function applyCapabilities(
  app: JupyterFrontEnd,
  caps: ICapabilities,
  launcher: ILauncher | null,
  mainMenu: IMainMenu | null
): void {
  const prefixes = hiddenPrefixes(caps);
  // the launcher's model renders what items() yields: leave out the hidden tools' tiles
  if (launcher && 'items' in launcher && !(launcher as any)._vxkitFiltered) {
    const model = launcher as any;
    const original = model.items.bind(model);
    model.items = function* () {
      for (const item of original()) {
        if (!isHidden(item.command, prefixes)) {
          yield item;
        }
      }
    };
    model._vxkitFiltered = true;
    model.stateChanged?.emit(undefined);
  }
  const hiddenWidgets = new Set(
    Object.entries(TOOLS)
      .filter(([name]) => !caps[name as keyof ICapabilities])
      .flatMap(([, tool]) => tool.widgets)
  );
  const hiddenMenus = new Set(
    Object.entries(TOOLS)
      .filter(([name]) => !caps[name as keyof ICapabilities])
      .flatMap(([, tool]) => tool.menus)
  );
  for (const area of ['left', 'right'] as const) {
    for (const widget of Array.from(app.shell.widgets(area))) {
      if (hiddenWidgets.has(widget.id)) {
        widget.dispose();
      }
    }
  }
  // the main menu is a Lumino MenuBar: removeMenu takes a menu out of the bar
  const bar = mainMenu as unknown as {
    menus: readonly Menu[];
    removeMenu(m: Menu): void;
  };
  for (const menu of Array.from(bar?.menus ?? [])) {
    if (hiddenMenus.has(menu.id)) {
      bar.removeMenu(menu);
    }
  }
  const style = document.createElement('style');
  style.id = 'vxkit-hidden-tools';
  style.textContent = prefixes
    .map(prefix => `[data-command^="${prefix}"] { display: none !important; }`)
    .join('\n');
  document.getElementById(style.id)?.remove();
  document.head.appendChild(style);
}
