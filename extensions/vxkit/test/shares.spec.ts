import {
  IContribution,
  IJob,
  IUnitCounts,
  jobFraction,
  peopleIn,
  teamNotebookPattern,
  teamShares,
  unitTotals
} from '../src/shaping';

const row = (
  name: string,
  team: string | null,
  edits: number,
  class_id = 'lyon_4b'
): IContribution => ({
  person: name.toLowerCase(),
  name,
  role: 'student',
  class_id,
  team_id: team,
  edits,
  cells: 1,
  documents: []
});

describe('teamShares', () => {
  it("gives each student's share of their team's edits, busiest team first", () => {
    const shares = teamShares([
      row('Chloé', 'team_rivers', 30),
      row('Valentina', 'team_rivers', 10, 'valparaiso_1m'),
      row('Lucas', 'team_forests', 50),
      row('Yanis', 'team_forests', 0)
    ]);
    expect(shares.map(t => [t.team, t.edits])).toEqual([
      ['team_forests', 50],
      ['team_rivers', 40]
    ]);
    expect(shares[1].students.map(s => [s.name, s.share])).toEqual([
      ['Chloé', 0.75],
      ['Valentina', 0.25]
    ]);
    expect(shares[0].students[1]).toMatchObject({ name: 'Yanis', share: 0 });
  });

  it('groups students without a team, and a team with no edits has no NaN', () => {
    const shares = teamShares(
      [row('Ana', null, 0), row('Ben', null, 0)],
      'sans équipe'
    );
    expect(shares).toHaveLength(1);
    expect(shares[0].team).toBe('sans équipe');
    expect(shares[0].students.map(s => s.share)).toEqual([0, 0]);
  });
});

describe('unitTotals', () => {
  it('adds up the classes', () => {
    const counts = (n: number) => ({
      students: n,
      fetched: n - 1,
      handed_in: n - 2,
      late: 1,
      graded: 0,
      returned: 0
    });
    const unit: IUnitCounts = {
      unit: 'squares',
      team_work: false,
      classes: { lyon_4b: counts(6), nairobi_7: counts(5) }
    };
    expect(unitTotals(unit)).toEqual({
      students: 11,
      fetched: 9,
      handed_in: 7,
      late: 2,
      graded: 0,
      returned: 0
    });
  });
});

describe('jobFraction', () => {
  const job = (state: IJob['state'], done: number, total: number): IJob => ({
    id: 'x',
    action: 'grade',
    unit: 'squares',
    state,
    done,
    total,
    label: '',
    lines: [],
    message: ''
  });
  it('is 0 before the job counts, done/total while it runs, 1 once it ended', () => {
    expect(jobFraction(job('running', 0, 0))).toBe(0);
    expect(jobFraction(job('running', 3, 12))).toBe(0.25);
    expect(jobFraction(job('failed', 3, 12))).toBe(1);
  });
});

describe('peopleIn', () => {
  it('names the teammates who have a notebook open', () => {
    const members = [
      {
        name: 'Hugo',
        class: 'lyon_4b',
        online: true,
        documents: ['p/a.ipynb']
      },
      {
        name: 'Amani',
        class: 'nairobi_7',
        online: true,
        documents: ['p/a.ipynb']
      },
      { name: 'Inès', class: 'lyon_4b', online: false, documents: [] }
    ];
    expect(peopleIn(members, 'p/a.ipynb')).toEqual(['Amani', 'Hugo']);
    expect(peopleIn(members, 'p/b.ipynb')).toEqual([]);
  });
});

describe('teamNotebookPattern', () => {
  it("matches the units' team notebooks and nothing else", () => {
    const pattern = new RegExp(
      teamNotebookPattern(['meet_partners', 'rivers']) ?? 'none'
    );
    expect(pattern.test('meet_partners.ipynb')).toBe(true);
    expect(pattern.test('rivers.ipynb')).toBe(true);
    expect(pattern.test('individual.ipynb')).toBe(false);
    expect(pattern.test('meet_partnersXipynb')).toBe(false);
    expect(pattern.test('old_meet_partners.ipynb')).toBe(false);
    expect(teamNotebookPattern([])).toBeNull();
    expect(teamNotebookPattern(['Bad.Unit'])).toBeNull();
  });
});
