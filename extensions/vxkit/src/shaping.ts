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
