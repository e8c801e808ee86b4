/**
 * The setup form's data shaping (no DOM): the exchange as the form edits it, the change sent
 * to the server, and the server's problems (the same as `vxkit check`) put next to the field
 * they are about. The server decides what is valid and who may change what; this only
 * carries its answers.
 */

/** A class as the form edits it (`GET /vxkit/api/setup`). */
export interface ISetupClass {
  id: string;
  teacher: string;
  colour: string;
  school: string;
  city: string;
  country: string;
  timezone: string;
  hours: string;
  holidays: string[];
  languages: string[];
  students: string[];
}

/** A mixed team: its pupils, class by class. */
export interface ISetupTeam {
  id: string;
  name: string;
  members: { [classId: string]: string[] };
}

/** What this teacher may change (the server checks again on saving). */
export interface ISetupRights {
  classes: string[];
  fields: string[];
  /** every team ('all'), their own pupils' places ('own_class'), or nothing */
  teams: 'all' | 'own_class' | 'none';
}

/** One problem, as `vxkit check` reports it. */
export interface IProblem {
  field: string;
  value?: unknown;
  message: string;
}

/** The whole form. */
export interface ISetupForm {
  exchange: { id: string; title: string; start: string; end: string };
  classes: ISetupClass[];
  teams: ISetupTeam[];
  version: string;
  problems: IProblem[];
  editable: ISetupRights;
}

/** The fields of a class the form shows, in order; lists are edited as text. */
export const CLASS_FIELDS = [
  'school',
  'city',
  'country',
  'timezone',
  'hours',
  'holidays',
  'languages',
  'students'
] as const;

export type ClassField = (typeof CLASS_FIELDS)[number];

/** Fields holding a list: pupils and holidays one a line, languages by commas. */
export const LIST_FIELDS: ClassField[] = ['holidays', 'languages', 'students'];

/** A list field's text in its box. */
export function listText(field: ClassField, values: string[]): string {
  return values.join(field === 'languages' ? ', ' : '\n');
}

/** A list field's values from the text typed (empty lines dropped, spaces trimmed). */
export function parseList(field: ClassField, text: string): string[] {
  const parts = field === 'languages' ? text.split(/[,\s]+/) : text.split('\n');
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

/**
 * Where a problem goes in the form: `class:<id>:<field>`, `team:<index>` (a team's name,
 * id or members), `teams` or `general` (anything else: the exchange's own fields).
 */
export function problemKey(field: string, classIds: string[]): string {
  let m = /^classes\[(\d+)\]\.([a-z_]+)/.exec(field);
  if (m) {
    const id = classIds[Number(m[1])];
    return id === undefined ? 'general' : `class:${id}:${m[2]}`;
  }
  m = /^classes\[(\d+)\]$/.exec(field);
  if (m) {
    const id = classIds[Number(m[1])];
    return id === undefined ? 'general' : `class:${id}:school`;
  }
  m = /^teams\[(\d+)\]/.exec(field);
  if (m) {
    return `team:${m[1]}`;
  }
  return field === 'teams' ? 'teams' : 'general';
}

/** The problems grouped by where they go in the form, each group in the server's order. */
export function groupProblems(
  problems: IProblem[],
  classIds: string[]
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const p of problems) {
    const key = problemKey(p.field, classIds);
    const shown = key === 'general' ? `${p.field}: ${p.message}` : p.message;
    groups.set(key, [...(groups.get(key) ?? []), shown]);
  }
  return groups;
}

/** The change to send: the classes this teacher may change (all their fields) and, if
 * they may place pupils, the teams; the version of the file the form was made from. */
export function proposal(form: ISetupForm): {
  version: string;
  classes: Partial<ISetupClass>[];
  teams?: ISetupTeam[];
} {
  const mine = new Set(form.editable.classes);
  const body: {
    version: string;
    classes: Partial<ISetupClass>[];
    teams?: ISetupTeam[];
  } = {
    version: form.version,
    classes: form.classes
      .filter(c => mine.has(c.id))
      .map(c => {
        const out: Partial<ISetupClass> = { id: c.id };
        for (const key of CLASS_FIELDS) {
          (out as any)[key] = c[key];
        }
        return out;
      })
  };
  if (form.editable.teams !== 'none') {
    body.teams = form.teams;
  }
  return body;
}

/** The team a pupil of `classId` is in, or null. */
export function teamOf(
  teams: ISetupTeam[],
  classId: string,
  name: string
): string | null {
  const team = teams.find(t => (t.members[classId] ?? []).includes(name));
  return team ? team.id : null;
}

/** The teams with `name` of `classId` moved into team `teamId` (null: in no team). */
export function placePupil(
  teams: ISetupTeam[],
  classId: string,
  name: string,
  teamId: string | null
): ISetupTeam[] {
  return teams.map(t => {
    const names = (t.members[classId] ?? []).filter(n => n !== name);
    if (t.id === teamId) {
      names.push(name);
    }
    const members = { ...t.members };
    if (names.length) {
      members[classId] = names;
    } else {
      delete members[classId];
    }
    return { ...t, members };
  });
}

/** The teams without the pupils of `classId` no longer on its roster (a name taken off
 * the roster, or renamed, leaves its team too). */
export function keepRoster(
  teams: ISetupTeam[],
  classId: string,
  roster: string[]
): ISetupTeam[] {
  const on = new Set(roster);
  return teams.map(t => {
    if (!(classId in t.members)) {
      return t;
    }
    const members = { ...t.members };
    const names = members[classId].filter(n => on.has(n));
    if (names.length) {
      members[classId] = names;
    } else {
      delete members[classId];
    }
    return { ...t, members };
  });
}

/** A new team's id from its name ("Deserts" -> "team_deserts"), unused by the others. */
export function newTeamId(name: string, teams: ISetupTeam[]): string {
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const base = `team_${plain || 'new'}`.slice(0, 36);
  const used = new Set(teams.map(t => t.id));
  let id = base;
  for (let n = 2; used.has(id); n++) {
    id = `${base}_${n}`;
  }
  return id;
}
