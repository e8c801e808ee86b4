import { contributionsCsv, onlinePeople } from '../src/shaping';

describe('onlinePeople', () => {
  it('gives one row per person with the notebooks they have open', () => {
    const row = (name: string, document: string, class_id = 'lyon_4b') => ({
      name,
      document,
      class_id,
      role: 'student',
      city: 'Lyon',
      colour: '#1b9e77'
    });
    const people = onlinePeople([
      row('Hugo', 'projects/team_rivers/a.ipynb'),
      row('Chloé', 'projects/team_rivers/a.ipynb'),
      row('Chloé', 'projects/team_rivers/b.ipynb'),
      row('Chloé', 'projects/team_rivers/b.ipynb'),
      row('Chloé', 'shared/x.ipynb', 'nairobi_7')
    ]);
    expect(people.map(p => [p.name, p.documents.length])).toEqual([
      ['Chloé', 2],
      ['Chloé', 1],
      ['Hugo', 1]
    ]);
  });
});

describe('contributionsCsv', () => {
  it('quotes what a spreadsheet would split', () => {
    const csv = contributionsCsv([
      {
        person: 'lyon_4b-chloe',
        name: 'Chloé, "la grande"',
        role: 'student',
        class_id: 'lyon_4b',
        team_id: 'team_rivers',
        edits: 12,
        cells: 3,
        documents: ['a.ipynb', 'b.ipynb']
      }
    ]);
    expect(csv).toBe(
      'name,class,team,edits,cells,documents\r\n' +
        '"Chloé, ""la grande""",lyon_4b,team_rivers,12,3,a.ipynb b.ipynb\r\n'
    );
  });
});
