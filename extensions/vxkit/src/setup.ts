/**
 * The exchange setup form (main area, teachers): each class's school, city, country, time
 * zone, hours, holidays, languages and roster, and the mixed teams. As the teacher types,
 * the server's check (the same messages as `vxkit check`) shows next to each field; Save
 * writes exchange.toml on the server, keeping its comments. The server says which classes
 * and teams this teacher may change, and refuses anything else.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { IAnswer, requestAPI } from './api';
import { el } from './dom';
import {
  CLASS_FIELDS,
  ClassField,
  groupProblems,
  IProblem,
  ISetupClass,
  ISetupForm,
  keepRoster,
  LIST_FIELDS,
  listText,
  newTeamId,
  parseList,
  placePupil,
  proposal,
  teamOf
} from './setupform';

/** How long the form waits after the last key before asking the server's check, in ms. */
const CHECK_DELAY = 400;

/** The setup form (put it in a MainAreaWidget). */
export class SetupForm extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    this._trans = trans;
    this.id = 'vxkit-setup';
    this.addClass('vx-Setup');
    this.title.label = trans.__('Exchange setup');
    this.title.closable = true;
    void this.load();
  }

  /** Read the form from the server (again), dropping what was typed. */
  async load(): Promise<void> {
    const trans = this._trans;
    const answer = await requestAPI<ISetupForm>('setup');
    if (!answer.ok || !answer.data) {
      this.node.replaceChildren(
        el('h2', '', trans.__('Exchange setup')),
        el(
          'p',
          'vx-problem',
          answer.message || trans.__('The form could not be loaded.')
        )
      );
      const list = el('ul', 'vx-problem');
      for (const p of answer.problems ?? []) {
        list.append(el('li', '', `${p.field}: ${p.message}`));
      }
      this.node.append(list);
      return;
    }
    this._form = answer.data;
    this._build();
    this._showProblems(this._form.problems);
  }

  private _build(): void {
    const trans = this._trans;
    const form = this._form!;
    const head = el('div', 'vx-toolbar');
    head.append(
      el('h2', '', trans.__('Exchange setup: %1', form.exchange.title))
    );
    const save = el('button', 'jp-mod-styled jp-mod-accept', trans.__('Save'));
    save.onclick = () => void this._save();
    const reload = el('button', 'jp-mod-styled', trans.__('Reload'));
    reload.onclick = () => void this.load();
    head.append(save, reload);
    this._status = el('p', 'vx-setup-status');
    this._status.setAttribute('role', 'status');
    this._status.setAttribute('aria-live', 'polite');
    const general = this._messages('general');
    const intro = el(
      'p',
      'vx-muted',
      trans.__(
        'Each teacher changes their own class; the messages are those of vxkit check. Saving keeps the comments in exchange.toml.'
      )
    );
    const classes = form.classes.map(c => this._classBlock(c));
    this._teamsBox = el('section', 'vx-setup-teams');
    this._buildTeams();
    this.node.replaceChildren(
      head,
      this._status,
      intro,
      general,
      ...classes,
      this._teamsBox
    );
  }

  /** A box for the messages of one place in the form (`problemKey`), with an id to point
   * the field's aria-describedby at. */
  private _messages(key: string): HTMLElement {
    const box = el('div', 'vx-field-problems');
    box.id = `vx-setup-msg-${this._idOf(key)}`;
    box.dataset.problemKey = key;
    box.setAttribute('aria-live', 'polite');
    this._boxes.set(key, box);
    return box;
  }

  private _idOf(key: string): string {
    return key.replace(/[^a-zA-Z0-9_-]/g, '-');
  }

  private _classBlock(cls: ISetupClass): HTMLElement {
    const trans = this._trans;
    const form = this._form!;
    const mine = form.editable.classes.includes(cls.id);
    const block = el('fieldset', 'vx-setup-class');
    block.dataset.classId = cls.id;
    const legend = el(
      'legend',
      '',
      `${cls.school || cls.id}, ${cls.city} (${cls.id})`
    );
    block.append(legend);
    if (cls.teacher) {
      block.append(el('p', 'vx-muted', trans.__('Teacher: %1', cls.teacher)));
    }
    if (!mine) {
      block.append(
        el(
          'p',
          'vx-muted',
          trans.__('Only the teacher of this class changes it.')
        )
      );
    }
    const labels: { [key in ClassField]: string } = {
      school: trans.__('School'),
      city: trans.__('City'),
      country: trans.__('Country (ISO code, like FR or KE)'),
      timezone: trans.__('Time zone (like Europe/Paris)'),
      hours: trans.__('School hours (like 08:00-15:30)'),
      holidays: trans.__(
        'Holidays (one a line: 2027-04-12 or 2027-04-12..2027-04-23)'
      ),
      languages: trans.__('Languages (codes, like fr, en)'),
      students: trans.__('Students (first names or nicknames only, one a line)')
    };
    for (const field of CLASS_FIELDS) {
      const key = `class:${cls.id}:${field}`;
      const id = `vx-setup-${this._idOf(key)}`;
      const row = el('div', 'vx-setup-field');
      const label = el('label', '', labels[field]);
      label.htmlFor = id;
      const isList = LIST_FIELDS.includes(field);
      const input =
        isList && field !== 'languages'
          ? el('textarea', 'vx-setup-input')
          : el('input', 'vx-setup-input');
      input.id = id;
      input.dataset.field = key;
      if (input instanceof HTMLTextAreaElement) {
        input.rows = field === 'students' ? 6 : 3;
      }
      const value = cls[field];
      input.value = Array.isArray(value) ? listText(field, value) : value;
      if (field === 'timezone') {
        input.setAttribute('list', 'vx-setup-zones');
      }
      input.disabled = !mine;
      const messages = this._messages(key);
      input.setAttribute('aria-describedby', messages.id);
      input.addEventListener('input', () => {
        const typed = input.value;
        if (Array.isArray(cls[field])) {
          const values = parseList(field, typed);
          (cls as any)[field] = values;
          if (field === 'students') {
            this._form!.teams = keepRoster(this._form!.teams, cls.id, values);
            this._buildTeams();
          }
        } else {
          (cls as any)[field] = typed;
        }
        this._changed();
      });
      row.append(label, input, messages);
      block.append(row);
    }
    block.append(this._zones());
    return block;
  }

  /** The time zones the browser knows, as suggestions for the time zone fields. */
  private _zones(): HTMLElement {
    const list = el('datalist');
    list.id = 'vx-setup-zones';
    const known: string[] = (Intl as any).supportedValuesOf?.('timeZone') ?? [];
    for (const zone of known) {
      const option = el('option');
      option.value = zone;
      list.append(option);
    }
    return list;
  }

  private _buildTeams(): void {
    const trans = this._trans;
    const form = this._form!;
    const box = this._teamsBox!;
    const focused = (document.activeElement as HTMLElement | null)?.id;
    for (const key of Array.from(this._boxes.keys())) {
      if (key === 'teams' || key.startsWith('team:')) {
        this._boxes.delete(key); // the team boxes are made again below
      }
    }
    const nodes: Node[] = [el('h3', '', trans.__('Teams'))];
    nodes.push(this._messages('teams'));
    const organiser = form.editable.teams === 'all';
    if (form.editable.teams === 'own_class') {
      nodes.push(
        el('p', 'vx-muted', trans.__('You place your own pupils in the teams.'))
      );
    }
    form.teams.forEach((team, i) => {
      const row = el('div', 'vx-setup-team');
      const id = `vx-setup-team-${i}`;
      const label = el('label', '', trans.__('Team name'));
      label.htmlFor = id;
      const name = el('input', 'vx-setup-input');
      name.id = id;
      name.value = team.name;
      name.disabled = !organiser;
      const messages = this._messages(`team:${i}`);
      name.setAttribute('aria-describedby', messages.id);
      name.addEventListener('input', () => {
        team.name = name.value;
        this._changed();
      });
      row.append(label, name);
      if (organiser) {
        const remove = el('button', 'jp-mod-styled', trans.__('Remove'));
        remove.setAttribute(
          'aria-label',
          trans.__('Remove the team %1', team.name)
        );
        remove.onclick = () => {
          form.teams = form.teams.filter(t => t !== team);
          this._buildTeams();
          this._changed();
        };
        row.append(remove);
      }
      row.append(messages);
      nodes.push(row);
    });
    if (organiser) {
      const add = el('button', 'jp-mod-styled', trans.__('Add a team'));
      add.id = 'vx-setup-add-team';
      add.onclick = () => {
        const name = trans.__('New team');
        form.teams = [
          ...form.teams,
          { id: newTeamId(name, form.teams), name, members: {} }
        ];
        this._buildTeams();
        this._changed();
      };
      nodes.push(add);
    }
    // each pupil's team, class by class: a labelled choice, reachable with the keyboard
    for (const cls of form.classes) {
      const mine =
        organiser ||
        (form.editable.teams === 'own_class' &&
          form.editable.classes.includes(cls.id));
      const group = el('fieldset', 'vx-setup-places');
      group.append(
        el('legend', '', trans.__('Teams of %1', cls.city || cls.id))
      );
      for (const pupil of cls.students) {
        const id = `vx-setup-place-${this._idOf(cls.id)}-${cls.students.indexOf(pupil)}`;
        const label = el('label', '', pupil);
        label.htmlFor = id;
        const choice = el('select', 'vx-setup-place');
        choice.id = id;
        choice.disabled = !mine;
        choice.append(new Option(trans.__('(no team)'), ''));
        for (const team of form.teams) {
          choice.append(new Option(team.name || team.id, team.id));
        }
        choice.value = teamOf(form.teams, cls.id, pupil) ?? '';
        choice.onchange = () => {
          form.teams = placePupil(
            form.teams,
            cls.id,
            pupil,
            choice.value || null
          );
          this._changed();
        };
        const row = el('div', 'vx-setup-field');
        row.append(label, choice);
        group.append(row);
      }
      nodes.push(group);
    }
    box.replaceChildren(...nodes);
    if (focused) {
      document.getElementById(focused)?.focus();
    }
    this._showProblems(this._problems);
  }

  /** Something was typed: ask the server's check once the typing pauses. */
  private _changed(): void {
    window.clearTimeout(this._timer);
    this._status!.textContent = '';
    this._timer = window.setTimeout(() => void this._check(), CHECK_DELAY);
  }

  private async _check(): Promise<void> {
    const asked = ++this._asked;
    const answer = await requestAPI<{ problems: IProblem[] }>('setup/check', {
      method: 'POST',
      body: JSON.stringify(proposal(this._form!))
    });
    if (asked !== this._asked) {
      return; // the teacher typed again meanwhile: a newer check is on its way
    }
    if (answer.ok && answer.data) {
      this._showProblems(answer.data.problems);
    } else {
      this._status!.textContent = answer.message;
    }
  }

  private async _save(): Promise<void> {
    const trans = this._trans;
    window.clearTimeout(this._timer);
    this._asked++;
    this._status!.textContent = trans.__('Saving…');
    const answer: IAnswer<{ saved: boolean; version: string }> =
      await requestAPI('setup', {
        method: 'PUT',
        body: JSON.stringify(proposal(this._form!))
      });
    if (answer.ok && answer.data) {
      this._form!.version = answer.data.version;
      this._showProblems([]);
      this._status!.textContent = answer.data.saved
        ? trans.__('Saved: exchange.toml is up to date.')
        : trans.__('Nothing to save: no change.');
      return;
    }
    const problems = answer.problems;
    if (problems?.length) {
      this._showProblems(problems);
    }
    this._status!.textContent = answer.message || trans.__('Not saved.');
  }

  /** Put each problem next to its field (and mark the field invalid for screen readers). */
  private _showProblems(problems: IProblem[]): void {
    this._problems = problems;
    const form = this._form;
    const groups = groupProblems(
      problems,
      form ? form.classes.map(c => c.id) : []
    );
    for (const [key, box] of this._boxes) {
      const messages = groups.get(key) ?? [];
      box.replaceChildren(...messages.map(m => el('p', 'vx-problem', m)));
      const input = this.node.querySelector(`[aria-describedby="${box.id}"]`);
      input?.setAttribute('aria-invalid', messages.length ? 'true' : 'false');
    }
    const general = this._boxes.get('general');
    for (const [key, messages] of groups) {
      if (!this._boxes.has(key) && general) {
        general.append(...messages.map(m => el('p', 'vx-problem', m)));
      }
    }
  }

  private _trans: TranslationBundle;
  private _form: ISetupForm | null = null;
  private _boxes = new Map<string, HTMLElement>();
  private _problems: IProblem[] = [];
  private _status: HTMLElement | null = null;
  private _teamsBox: HTMLElement | null = null;
  private _timer = 0;
  private _asked = 0;
}
