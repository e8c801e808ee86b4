/**
 * The dashboard's data shaping: pure functions of what the teacher endpoints answer, no DOM.
 */

/** A join link as `GET /vxkit/api/links` gives it. */
export interface ILink {
  code: string;
  url: string;
}

/** One row of `GET /vxkit/api/presence`. */
export interface IConnection {
  document: string;
  name: string;
  role: string;
  class_id: string | null;
  city: string | null;
  colour: string | null;
}

/** One student of `GET /vxkit/api/contributions`. */
export interface IContribution {
  person: string;
  name: string | null;
  role: string | null;
  class_id: string | null;
  team_id: string | null;
  edits: number;
  cells: number;
  documents: string[];
}

/** Who is online, one row per person, with the notebooks they have open. */
export function onlinePeople(rows: IConnection[]): {
  name: string;
  city: string | null;
  colour: string | null;
  documents: string[];
}[] {
  const people = new Map<
    string,
    {
      name: string;
      city: string | null;
      colour: string | null;
      documents: string[];
    }
  >();
  for (const row of rows) {
    const key = `${row.name}\u0000${row.class_id ?? ''}`;
    const person = people.get(key) ?? {
      name: row.name,
      city: row.city,
      colour: row.colour,
      documents: []
    };
    if (!person.documents.includes(row.document)) {
      person.documents.push(row.document);
    }
    people.set(key, person);
  }
  return Array.from(people.values()).sort((a, b) =>
    a.name.localeCompare(b.name)
  );
}

/** The contributions as CSV text (RFC 4180 quoting), for a spreadsheet. */
export function contributionsCsv(rows: IContribution[]): string {
  const quote = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = ['name', 'class', 'team', 'edits', 'cells', 'documents'];
  const lines = rows.map(r =>
    [r.name, r.class_id, r.team_id, r.edits, r.cells, r.documents.join(' ')]
      .map(quote)
      .join(',')
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** One team's edits, each student's share of them (for the contributions chart). */
export interface ITeamShares {
  team: string;
  edits: number;
  students: {
    name: string;
    class_id: string | null;
    edits: number;
    share: number;
  }[];
}

/**
 * Edits per team, and each student's share of their team's edits (0..1), largest first;
 * students without a team are grouped under `noTeam`. Teams with the most edits come first.
 */
export function teamShares(
  rows: IContribution[],
  noTeam = '(no team)'
): ITeamShares[] {
  const teams = new Map<string, ITeamShares>();
  for (const row of rows) {
    const key = row.team_id ?? noTeam;
    const team = teams.get(key) ?? { team: key, edits: 0, students: [] };
    team.edits += row.edits;
    team.students.push({
      name: row.name ?? row.person,
      class_id: row.class_id,
      edits: row.edits,
      share: 0
    });
    teams.set(key, team);
  }
  const out = Array.from(teams.values());
  for (const team of out) {
    for (const student of team.students) {
      student.share = team.edits ? student.edits / team.edits : 0;
    }
    team.students.sort(
      (a, b) => b.edits - a.edits || a.name.localeCompare(b.name)
    );
  }
  return out.sort((a, b) => b.edits - a.edits || a.team.localeCompare(b.team));
}

/** Per-class counts of one unit (`GET /vxkit/api/units`). */
export interface IUnitCounts {
  unit: string;
  team_work: boolean;
  classes: Record<
    string,
    {
      students: number;
      fetched: number;
      handed_in: number;
      late: number;
      graded: number;
      returned: number;
    }
  >;
}

/** A unit's counts summed over classes (the "all classes" row). */
export function unitTotals(unit: IUnitCounts): IUnitCounts['classes'][string] {
  const total = {
    students: 0,
    fetched: 0,
    handed_in: 0,
    late: 0,
    graded: 0,
    returned: 0
  };
  for (const row of Object.values(unit.classes)) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) {
      total[key] += row[key];
    }
  }
  return total;
}

/** A teacher job (`GET /vxkit/api/jobs/ID`). */
export interface IJob {
  id: string;
  action: 'assign' | 'collect' | 'grade' | 'feedback';
  unit: string;
  state: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  label: string;
  lines: string[];
  message: string;
}

/** How far a job got, 0..1 (a job that has not counted yet is at 0). */
export function jobFraction(job: IJob): number {
  if (job.state !== 'running') {
    return 1;
  }
  return job.total > 0 ? Math.min(1, job.done / job.total) : 0;
}

/** A team member as `GET /vxkit/api/team` gives them. */
export interface ITeamMember {
  name: string;
  class: string;
  online: boolean;
  documents: string[];
}

/** Who of my team has `path` open (names, sorted). */
export function peopleIn(members: ITeamMember[], path: string): string[] {
  return members
    .filter(m => m.documents.includes(path))
    .map(m => m.name)
    .sort((a, b) => a.localeCompare(b));
}

/** The file name pattern of the units' team notebooks (`<unit>.ipynb`), or null. */
export function teamNotebookPattern(units: string[]): string | null {
  const ids = units.filter(u => /^[a-z][a-z0-9_]*$/.test(u));
  return ids.length ? `^(${ids.join('|')})\\.ipynb$` : null;
}
