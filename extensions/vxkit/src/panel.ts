/**
 * The Exchange panel (left sidebar, everyone): the exchange, my team, the partner classes
 * with their clocks, the team's notebooks and, for students, "My work".
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { Contents } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { el } from './dom';
import {
  IAnswer,
  IAssignment,
  IExchange,
  IExchangeClass,
  IGrade,
  IMe,
  needsPersonalCode,
  requestAPI
} from './api';
import {
  clockText,
  IOverlap,
  isLate,
  localStamp,
  nextOverlap,
  parseStamp,
  SchoolState,
  schoolState
} from './clock';
import { IChatRow } from './chat';
import { sharedStream } from './events';
import { ITeamPresence, markOnline, teamPresence } from './team';

/** What the panel needs from JupyterLab. */
export interface IPanelOptions {
  me: IMe;
  trans: TranslationBundle;
  /** JupyterLab's language ("fr-FR"), for weekday names */
  language?: string;
  contents: Contents.IManager;
  open: (path: string) => void;
  /** show a folder in the file browser (without switching away from the panel) */
  openFolder: (path: string) => void;
  /** open the classroom dashboard (teachers), or null */
  openDashboard: (() => void) | null;
}

function dot(colour: string | null | undefined): HTMLElement {
  const node = el('span', 'vx-dot');
  node.style.background = colour || 'var(--jp-border-color1)';
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/**
 * A name or place as its own piece of text (<bdi>): "Ana M." keeps its full stop at its end
 * in a right-to-left panel (without it the stop is drawn before the name), and an Arabic
 * name reads whole in a left-to-right one.
 */
function isolated(text: string): HTMLElement {
  return el('bdi', '', text);
}

/** The left-sidebar widget. */
export class ExchangePanel extends Widget {
  constructor(options: IPanelOptions) {
    super();
    this._options = options;
    this.id = 'vxkit-exchange';
    this.addClass('vx-ExchangePanel');
    this.title.caption = options.trans.__('Exchange');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', options.trans.__('Exchange'));
    this._unread = el('section', 'vx-unread');
    this._unread.setAttribute('aria-live', 'polite');
    document.addEventListener('vxkit:unread', this._onUnread);
    void this.refresh();
  }

  dispose(): void {
    document.removeEventListener('vxkit:unread', this._onUnread);
    this._stopListening?.();
    super.dispose();
  }

  /** Read the exchange (and my work) from the server again and redraw. */
  async refresh(): Promise<void> {
    const { trans, me } = this._options;
    const answer = await requestAPI<IExchange>('exchange');
    this.node.replaceChildren();
    if (!answer.ok || !answer.data) {
      this.node.append(
        el(
          'p',
          'vx-problem',
          answer.message || trans.__('The exchange could not be read.')
        )
      );
      return;
    }
    const exchange = answer.data;
    this.node.append(el('h2', 'vx-title', exchange.title));
    this.node.append(this._whoAmI(exchange));
    if (this._options.openDashboard) {
      const open = el(
        'button',
        'jp-mod-styled jp-mod-accept vx-open-dashboard'
      );
      open.textContent = trans.__('Classroom dashboard');
      open.onclick = () => this._options.openDashboard?.();
      this.node.append(open);
    }
    this.node.append(this._team(exchange));
    this.node.append(this._unread);
    this.node.append(this._classes(exchange));
    if (me.team_folder) {
      this.node.append(await this._notebooks(me.team_folder));
    }
    if (me.capabilities.handin) {
      this.node.append(await this._myWork(exchange));
    }
    this._tick();
    void this._showOnline();
  }

  /**
   * Mark who of my team is online (the server answers for my own team only): from the event
   * stream, which pushes each change; asked once when the stream has said nothing yet.
   */
  private async _showOnline(): Promise<void> {
    const { me, trans } = this._options;
    if (me.role !== 'student' || !me.team) {
      return;
    }
    const stream = sharedStream();
    const show = (data: ITeamPresence) =>
      markOnline(this.node, data.members, trans);
    if (stream && !this._stopListening) {
      this._stopListening = stream.on(
        'team',
        message => show(message.data),
        false
      );
    }
    const last = stream?.last('team');
    if (last) {
      show(last.data); // the list was just drawn again
    } else {
      markOnline(this.node, await teamPresence(), trans); // first paint, or no stream
    }
  }

  /** The chats with news for me (from the Chats panel's `vxkit:unread` event). */
  private _onUnread = (event: Event): void => {
    const { trans } = this._options;
    const rows = ((event as CustomEvent).detail ?? []) as IChatRow[];
    const news = rows.filter(row => row.unread > 0);
    this._unread.replaceChildren();
    if (!news.length) {
      return;
    }
    this._unread.append(el('h3', '', trans.__('New messages')));
    const list = el('ul', 'vx-unread-list');
    for (const row of news) {
      const item = el('li');
      item.dataset.chat = row.key;
      const open = el('button', 'vx-link vx-unread-title', row.title);
      open.setAttribute(
        'aria-label',
        trans.__('%1: %2 new', row.title, row.unread)
      );
      // the Chats panel opens this chat (index.ts listens)
      open.onclick = () =>
        document.dispatchEvent(
          new CustomEvent('vxkit:open-chat', { detail: row.key })
        );
      const badge = el('span', 'vx-chat-unread', String(row.unread));
      badge.setAttribute('aria-hidden', 'true');
      item.append(open, ' ', badge);
      list.append(item);
    }
    this._unread.append(list);
  };

  protected onAfterAttach(): void {
    // the clocks are local time: a tick asks the server nothing
    this._timer = window.setInterval(() => this._tick(), 15000);
  }

  protected onBeforeDetach(): void {
    window.clearInterval(this._timer);
  }

  private _whoAmI(exchange: IExchange): HTMLElement {
    const { me, trans } = this._options;
    const line = el('p', 'vx-me');
    line.append(dot(me.colour));
    const roles: Record<string, string> = {
      teacher: trans.__('teacher'),
      student: trans.__('student'),
      visitor: trans.__('visitor')
    };
    const where = me.city ? ` (${me.city})` : '';
    line.append(
      isolated(`${me.name}${where}`),
      `, ${roles[me.role] ?? me.role}`
    );
    return line;
  }

  private _team(exchange: IExchange): HTMLElement {
    const { me, trans } = this._options;
    const section = el('section', 'vx-team');
    section.append(el('h3', '', trans.__('My team')));
    const team = exchange.teams.find(t => t.id === me.team);
    if (!team) {
      section.append(el('p', 'vx-muted', trans.__('You are not in a team.')));
      return section;
    }
    section.append(el('p', 'vx-team-name', team.name));
    if (me.role === 'student') {
      section.append(el('p', 'vx-online-count'));
    }
    const colours = new Map(exchange.classes.map(c => [c.id, c] as const));
    const list = el('ul', 'vx-members');
    for (const member of team.members) {
      const cls = colours.get(member.class);
      const item = el('li');
      item.dataset.member = member.name;
      item.dataset.class = member.class;
      item.append(dot(cls?.colour));
      item.append(isolated(cls ? `${member.name} (${cls.city})` : member.name));
      list.append(item);
    }
    section.append(list);
    return section;
  }

  private _classes(exchange: IExchange): HTMLElement {
    const { trans } = this._options;
    const section = el('section', 'vx-classes');
    section.append(el('h3', '', trans.__('Partner classes')));
    const list = el('ul', 'vx-class-list');
    for (const cls of exchange.classes) {
      const item = el('li', 'vx-class');
      item.dataset.classId = cls.id;
      const name = el('div', 'vx-class-name');
      name.append(dot(cls.colour));
      name.append(isolated(`${cls.school}, ${cls.city}`));
      const clock = el('div', 'vx-clock');
      clock.append(el('time', 'vx-clock-time'), el('span', 'vx-state'));
      item.append(name, clock);
      list.append(item);
      this._clocks.set(cls.id, { cls, node: clock });
    }
    section.append(list);
    const together = el('p', 'vx-overlap');
    together.setAttribute('aria-live', 'polite');
    section.append(together);
    this._overlapNode = together;
    this._zone =
      exchange.classes.find(c => c.id === this._options.me.class)?.timezone ??
      Intl.DateTimeFormat().resolvedOptions().timeZone;
    return section;
  }

  /** "all classes in class together: now, until 13:30" or "next: Wed 12:00-13:30". */
  private _showOverlap(now: Date): void {
    const { trans } = this._options;
    const node = this._overlapNode;
    if (!node) {
      return;
    }
    const classes = Array.from(this._clocks.values()).map(c => c.cls);
    if (!this._overlap || this._overlap.end.getTime() <= now.getTime()) {
      this._overlap = nextOverlap(classes, now);
    }
    const overlap = this._overlap;
    if (!overlap) {
      node.textContent = trans.__(
        'All classes are never in class at the same time.'
      );
      return;
    }
    const zone = this._zone;
    const options = { weekday: 'short', timeZone: zone } as const;
    let day: Intl.DateTimeFormat;
    try {
      day = new Intl.DateTimeFormat(this._options.language, options);
    } catch {
      day = new Intl.DateTimeFormat(undefined, options); // not a language tag Intl knows
    }
    const span = `${clockText(overlap.start, zone)}–${clockText(overlap.end, zone)}`;
    node.textContent =
      overlap.start.getTime() <= now.getTime()
        ? trans.__(
            'All classes are in class together now, until %1.',
            clockText(overlap.end, zone)
          )
        : trans.__(
            'All classes are next in class together on %1 %2 (your time).',
            day.format(overlap.start),
            span
          );
  }

  private _tick(): void {
    const now = new Date();
    const { trans } = this._options;
    const sentences: Record<SchoolState, string> = {
      'in-class': trans.__('in class now'),
      'after-school': trans.__('after school'),
      weekend: trans.__('weekend'),
      holiday: trans.__('holiday')
    };
    for (const { cls, node } of this._clocks.values()) {
      const time = node.querySelector('time') as HTMLTimeElement;
      time.textContent = clockText(now, cls.timezone);
      time.dateTime = now.toISOString();
      const state = schoolState(cls, now);
      const label = node.querySelector('.vx-state') as HTMLElement;
      label.textContent = sentences[state];
      label.dataset.state = state;
    }
    this._showOverlap(now);
  }

  private async _notebooks(folder: string): Promise<HTMLElement> {
    const { trans, contents, open } = this._options;
    const section = el('section', 'vx-notebooks');
    section.append(el('h3', '', trans.__('Team notebooks')));
    const list = el('ul');
    try {
      const model = await contents.get(folder, { content: true });
      const notebooks = (model.content as Contents.IModel[])
        .filter(item => item.type === 'notebook')
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const notebook of notebooks) {
        const item = el('li', 'vx-shared');
        item.dataset.path = notebook.path;
        const button = el('button', 'vx-link', notebook.name);
        button.onclick = () => open(notebook.path);
        button.title = trans.__(
          'Shared with your team: everyone edits it together.'
        );
        item.append(
          button,
          ' ',
          el('span', 'vx-shared-badge', trans.__('shared with the team')),
          el('div', 'vx-here')
        );
        list.append(item);
      }
      if (!notebooks.length) {
        list.append(el('li', 'vx-muted', trans.__('No notebooks yet.')));
      }
    } catch {
      list.append(
        el('li', 'vx-muted', trans.__('The team folder is not there yet.'))
      );
    }
    section.append(list);
    return section;
  }

  private async _myWork(exchange: IExchange): Promise<HTMLElement> {
    const { trans, me } = this._options;
    const section = el('section', 'vx-mywork');
    section.append(el('h3', '', trans.__('My work')));
    const status = el('p', 'vx-status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    const answer = await requestAPI<{ assignments: IAssignment[] }>(
      'assignments'
    );
    if (!answer.ok || !answer.data) {
      section.append(this._problem(answer));
      return section;
    }
    const grades = await requestAPI<{ grades: IGrade[] }>('grades');
    const scores = new Map(
      (grades.data?.grades ?? []).map(g => [g.unit, g] as const)
    );
    const zone =
      exchange.classes.find(c => c.id === me.class)?.timezone ??
      Intl.DateTimeFormat().resolvedOptions().timeZone;
    const list = el('ul', 'vx-units');
    for (const unit of answer.data.assignments) {
      const item = el('li', 'vx-unit');
      item.dataset.unit = unit.unit;
      const name = unit.team ? trans.__('%1 (team)', unit.unit) : unit.unit;
      item.append(el('div', 'vx-unit-name', name));
      const facts = el('div', 'vx-unit-facts');
      facts.append(
        el(
          'span',
          'vx-deadline',
          unit.deadline
            ? trans.__('due %1', unit.deadline.local)
            : trans.__('no deadline')
        )
      );
      const handed = parseStamp(unit.submitted);
      const handedText = handed
        ? trans.__('handed in %1', localStamp(handed, zone))
        : trans.__('not handed in yet');
      facts.append(el('span', 'vx-handed', handedText));
      if (isLate(handed, unit.deadline?.utc)) {
        facts.append(el('span', 'vx-late', trans.__('late')));
      }
      const grade = scores.get(unit.unit);
      if (grade && grade.score !== null) {
        facts.append(
          el(
            'span',
            'vx-grade',
            trans.__('grade %1 / %2', grade.score, grade.max_score)
          )
        );
      }
      item.append(facts);
      const buttons = el('div', 'vx-unit-actions');
      const actions: [string, string][] = [
        ['fetch', trans.__('Fetch')],
        ['submit', trans.__('Hand in')],
        ['feedback', trans.__('Get feedback')]
      ];
      for (const [action, label] of actions) {
        const button = el('button', 'jp-mod-styled vx-action', label);
        button.dataset.action = action;
        button.setAttribute('aria-label', `${label}: ${unit.unit}`);
        button.onclick = () => void this._act(unit, action, status, zone);
        buttons.append(button);
      }
      item.append(buttons);
      list.append(item);
    }
    if (!answer.data.assignments.length) {
      list.append(el('li', 'vx-muted', trans.__('Nothing assigned yet.')));
    }
    section.append(list, status);
    return section;
  }

  private async _act(
    unit: IAssignment,
    action: string,
    status: HTMLElement,
    zone: string
  ): Promise<void> {
    const { trans, openFolder } = this._options;
    if (action === 'submit') {
      const sure = await showDialog({
        title: trans.__('Hand in %1?', unit.unit),
        body: unit.team
          ? trans.__('This hands in the team notebook for the whole team.')
          : trans.__('This hands in your notebook as it is now.'),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Hand in') })
        ]
      });
      if (!sure.button.accept) {
        return;
      }
    }
    status.replaceChildren(trans.__('Working…'));
    const answer = await requestAPI<any>(
      `assignments/${encodeURIComponent(unit.unit)}/${action}`,
      { method: 'POST' }
    );
    if (!answer.ok) {
      status.replaceChildren(this._problem(answer));
      return;
    }
    let done: string;
    if (action === 'submit') {
      const received = parseStamp(answer.data?.timestamp);
      done = trans.__(
        'Handed in: received %1.',
        received
          ? localStamp(received, zone)
          : String(answer.data?.timestamp ?? '')
      );
    } else if (action === 'fetch') {
      done = trans.__('Fetched into %1.', answer.data?.path ?? '');
      if (answer.data?.path) {
        openFolder(answer.data.path);
      }
    } else {
      const files: string[] = answer.data?.files ?? [];
      done = files.length
        ? trans.__('Feedback: %1', files.join(', '))
        : trans.__('No feedback yet.');
    }
    await this.refresh();
    const after = this.node.querySelector('.vx-mywork .vx-status');
    if (after) {
      after.textContent = done;
    }
  }

  private _problem(answer: IAnswer<unknown>): HTMLElement {
    const { trans } = this._options;
    // a missing personal code is a step to take once, not an error: said calmly
    const node = el(
      'p',
      needsPersonalCode(answer) ? 'vx-notice' : 'vx-problem',
      answer.message || trans.__('That did not work.')
    );
    if (needsPersonalCode(answer)) {
      const link = el('a', 'vx-verify', trans.__('Enter my personal code'));
      link.href = URLExt.join(PageConfig.getBaseUrl(), 'vxkit', 'verify');
      node.append(' ', link);
    }
    return node;
  }

  private _options: IPanelOptions;
  private _clocks = new Map<
    string,
    { cls: IExchangeClass; node: HTMLElement }
  >();
  private _timer = 0;
  private _overlap: IOverlap | null = null;
  private _overlapNode: HTMLElement | null = null;
  private _zone = 'UTC';
  private _unread: HTMLElement;
  private _stopListening: (() => void) | null = null;
}
