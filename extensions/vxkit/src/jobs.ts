/**
 * The dashboard's units: per class, how many fetched, handed in (late), were graded and got
 * feedback; and the teacher's jobs (assign, collect, grade, return feedback), run by the
 * server in a process of their own, one at a time, with their progress. Progress and counts
 * come over the event stream (`jobs`, `units`); the GET endpoints give the first paint.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { requestAPI } from './api';
import { EventStream } from './events';
import { el, table } from './dom';
import { IJob, IUnitCounts, jobFraction, unitTotals } from './shaping';

/** The units section; it keeps its node across dashboard refreshes (a job may be running). */
export class UnitsSection {
  readonly node: HTMLElement;

  constructor(trans: TranslationBundle, units: string[] = []) {
    this._trans = trans;
    this._exchangeUnits = units;
    this.node = el('section', 'vx-units-section');
    this.node.setAttribute('aria-label', trans.__('Units'));
    this._status = el('div', 'vx-job');
    this._status.setAttribute('role', 'status');
    this._status.setAttribute('aria-live', 'polite');
  }

  /** Read the counts and the jobs again. */
  async refresh(units?: string[]): Promise<void> {
    if (units) {
      this._exchangeUnits = units;
    }
    const [counts, jobs] = await Promise.all([
      requestAPI<{ units: IUnitCounts[] }>('units'),
      requestAPI<IJobs>('jobs')
    ]);
    this._render(
      counts.ok && counts.data ? counts.data.units : [],
      counts.message
    );
    if (jobs.ok && jobs.data) {
      this._jobs(jobs.data);
    }
  }

  /** Follow the counts and the jobs on the event stream; returns what stops it. */
  listen(stream: EventStream): () => void {
    const stops = [
      stream.on('units', m => this._render(m.data.units, ''), false),
      stream.on('jobs', m => this._jobs(m.data), false)
    ];
    return () => stops.forEach(stop => stop());
  }

  /** Show the running job (or the newest), and keep the buttons off while one runs. */
  private _jobs(jobs: IJobs): void {
    const running = jobs.jobs.find(j => j.id === jobs.running);
    const shown = running ?? jobs.jobs[0];
    if (shown) {
      this._showJob(shown);
    }
    this._setBusy(!!running);
  }

  private _render(units: IUnitCounts[], problem: string): void {
    const trans = this._trans;
    // the counts move while the teacher types a deadline: keep what was typed, and the focus
    const typed = new Map<string, { due: string; team: boolean }>();
    for (const block of Array.from(
      this.node.querySelectorAll<HTMLElement>('.vx-unit-block')
    )) {
      typed.set(block.dataset.unit ?? '', {
        due: block.querySelector<HTMLInputElement>('.vx-due')?.value ?? '',
        team: !!block.querySelector<HTMLInputElement>('.vx-team-work')?.checked
      });
    }
    const focused = document.activeElement as HTMLElement | null;
    const focusUnit = this.node.contains(focused)
      ? focused?.closest<HTMLElement>('.vx-unit-block')?.dataset.unit
      : undefined;
    const focusClass = focused?.className.split(' ').pop();
    const content: Node[] = [];
    if (problem && !units.length) {
      content.push(el('p', 'vx-problem', problem));
    }
    const assigned = new Set(units.map(u => u.unit));
    const all = [
      ...units.map(u => u.unit),
      ...this._exchangeUnits.filter(u => !assigned.has(u))
    ];
    if (!all.length) {
      content.push(el('p', 'vx-muted', trans.__('No units yet.')));
    }
    const heads = [
      trans.__('Class'),
      trans.__('Students'),
      trans.__('Fetched'),
      trans.__('Handed in'),
      trans.__('Late'),
      trans.__('Graded'),
      trans.__('Returned')
    ];
    for (const name of all) {
      const unit = units.find(u => u.unit === name);
      const block = el('div', 'vx-unit-block');
      block.dataset.unit = name;
      block.append(
        el(
          'h4',
          '',
          unit
            ? unit.team_work
              ? trans.__('%1 (team work)', name)
              : name
            : trans.__('%1 (not assigned yet)', name)
        )
      );
      if (unit) {
        const rows = [
          ...Object.entries(unit.classes),
          [trans.__('All classes'), unitTotals(unit)] as const
        ];
        const counts = table(
          heads,
          rows.map(([cls, c]) =>
            [
              cls,
              c.students,
              c.fetched,
              c.handed_in,
              c.late,
              c.graded,
              c.returned
            ].map(String)
          ),
          rows.map(([cls]) => cls)
        );
        counts.classList.add('vx-counts');
        block.append(counts);
      }
      block.append(this._buttons(name, !!unit));
      content.push(block);
    }
    content.push(this._status);
    this.node.replaceChildren(...content);
    for (const block of Array.from(
      this.node.querySelectorAll<HTMLElement>('.vx-unit-block')
    )) {
      const unit = block.dataset.unit ?? '';
      const before = typed.get(unit);
      const due = block.querySelector<HTMLInputElement>('.vx-due');
      const team = block.querySelector<HTMLInputElement>('.vx-team-work');
      if (before && due && team) {
        due.value = before.due;
        team.checked = before.team;
      }
      if (unit === focusUnit && focusClass) {
        block.querySelector<HTMLElement>(`.${focusClass}`)?.focus();
      }
    }
    this._setBusy(this._busy);
  }

  private _buttons(unit: string, assigned: boolean): HTMLElement {
    const trans = this._trans;
    const bar = el('div', 'vx-job-buttons');
    const due = el('input', 'vx-due');
    due.placeholder = 'YYYY-MM-DD HH:MM';
    due.setAttribute(
      'aria-label',
      trans.__('Deadline of %1, in each class’s local time', unit)
    );
    const team = el('input', 'vx-team-work');
    team.type = 'checkbox';
    const teamLabel = el('label', 'vx-team-work-label');
    teamLabel.append(team, ' ', trans.__('team work'));
    const actions: [IJob['action'], string][] = [
      ['assign', assigned ? trans.__('Assign again') : trans.__('Assign')],
      ['collect', trans.__('Collect')],
      ['grade', trans.__('Grade')],
      ['feedback', trans.__('Return feedback')]
    ];
    bar.append(due, teamLabel);
    for (const [action, label] of actions) {
      const button = el('button', 'jp-mod-styled vx-job-button', label);
      button.dataset.action = action;
      button.setAttribute('aria-label', `${label}: ${unit}`);
      button.disabled = !assigned && action !== 'assign';
      button.onclick = () =>
        void this._start(action, unit, due.value.trim(), team.checked);
      bar.append(button);
    }
    return bar;
  }

  private async _start(
    action: IJob['action'],
    unit: string,
    due: string,
    team: boolean
  ): Promise<void> {
    const body =
      action === 'assign' ? { action, unit, due, team } : { action, unit };
    const answer = await requestAPI<{ job: IJob }>('jobs', {
      method: 'POST',
      body: JSON.stringify(body)
    });
    if (!answer.ok || !answer.data) {
      this._status.replaceChildren(el('p', 'vx-problem', answer.message));
      return;
    }
    // its progress, its end and the new counts come over the event stream
    this._showJob(answer.data.job);
    this._setBusy(answer.data.job.state === 'running');
  }

  private _setBusy(busy: boolean): void {
    this._busy = busy;
    for (const button of Array.from(
      this.node.querySelectorAll<HTMLButtonElement>('.vx-job-button')
    )) {
      if (button.dataset.wasDisabled === undefined) {
        button.dataset.wasDisabled = String(button.disabled);
      }
      button.disabled = busy || button.dataset.wasDisabled === 'true';
    }
  }

  private _showJob(job: IJob): void {
    const trans = this._trans;
    const names: Record<IJob['action'], string> = {
      assign: trans.__('Assigning %1', job.unit),
      collect: trans.__('Collecting %1', job.unit),
      grade: trans.__('Grading %1', job.unit),
      feedback: trans.__('Returning feedback on %1', job.unit)
    };
    const content: Node[] = [];
    const title = el('div', 'vx-job-title', names[job.action]);
    title.dataset.state = job.state;
    content.push(title);
    const bar = el('progress', 'vx-job-progress');
    bar.max = 1;
    bar.value = jobFraction(job);
    bar.setAttribute('aria-label', names[job.action]);
    content.push(bar);
    if (job.state === 'running') {
      content.push(
        el(
          'span',
          'vx-job-count',
          job.total
            ? `${job.done}/${job.total} ${job.label}`
            : trans.__('starting…')
        )
      );
    } else if (job.state === 'failed') {
      content.push(el('p', 'vx-problem', job.message));
    } else {
      content.push(el('p', 'vx-job-done', trans.__('Done.')));
    }
    if (job.lines.length) {
      content.push(el('pre', 'vx-job-lines', job.lines.join('\n')));
    }
    this._status.dataset.state = job.state;
    this._status.replaceChildren(...content);
  }

  private _trans: TranslationBundle;
  private _exchangeUnits: string[];
  private readonly _status: HTMLElement;
  private _busy = false;
}

/** The answer of `GET /vxkit/api/jobs` (and the `jobs` event). */
interface IJobs {
  jobs: IJob[];
  running: string | null;
}
