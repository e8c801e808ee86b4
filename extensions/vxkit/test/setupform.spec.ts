import {
  groupProblems,
  ISetupForm,
  keepRoster,
  listText,
  newTeamId,
  parseList,
  placePupil,
  problemKey,
  proposal,
  teamOf
} from '../src/setupform';

const CLASSES = ['lyon_4b', 'nairobi_7'];

function demo(teams: 'all' | 'own_class' | 'none' = 'own_class'): ISetupForm {
  const cls = (id: string, students: string[]) => ({
    id,
    teacher: 'T',
    colour: '',
    school: 'S',
    city: id,
    country: 'FR',
    timezone: 'Europe/Paris',
    hours: '08:00-15:00',
    holidays: [],
    languages: ['fr'],
    students
  });
  return {
    exchange: { id: 'x', title: 'X', start: '2027-01-11', end: '2027-06-25' },
    classes: [cls('lyon_4b', ['Chloé', 'Hugo']), cls('nairobi_7', ['Amani'])],
    teams: [
      {
        id: 'team_rivers',
        name: 'Rivers',
        members: { lyon_4b: ['Chloé'], nairobi_7: ['Amani'] }
      },
      { id: 'team_forests', name: 'Forests', members: { lyon_4b: ['Hugo'] } }
    ],
    version: 'v1',
    problems: [],
    editable: { classes: ['lyon_4b'], fields: [], teams }
  };
}

describe('problemKey', () => {
  it("puts each of vxkit check's fields next to the form field it is about", () => {
    expect(problemKey('classes[1].timezone', CLASSES)).toBe(
      'class:nairobi_7:timezone'
    );
    expect(problemKey('classes[0].students[3]', CLASSES)).toBe(
      'class:lyon_4b:students'
    );
    expect(problemKey('classes[0].holidays[1]', CLASSES)).toBe(
      'class:lyon_4b:holidays'
    );
    expect(problemKey('teams[1].members.lyon_4b[0]', CLASSES)).toBe('team:1');
    expect(problemKey('teams', CLASSES)).toBe('teams');
    expect(problemKey('exchange.end', CLASSES)).toBe('general');
    expect(problemKey('classes[7].city', CLASSES)).toBe('general');
  });

  it('keeps the field path in the messages that have no field of their own', () => {
    const groups = groupProblems(
      [
        { field: 'exchange.end', message: 'is missing' },
        { field: 'classes[0].city', message: 'must not be empty' },
        { field: 'classes[0].city', message: 'again' }
      ],
      CLASSES
    );
    expect(groups.get('general')).toEqual(['exchange.end: is missing']);
    expect(groups.get('class:lyon_4b:city')).toEqual([
      'must not be empty',
      'again'
    ]);
  });
});

describe('lists typed as text', () => {
  it('reads one pupil a line and languages by commas, and writes them back', () => {
    expect(parseList('students', ' Chloé\n\nHugo B \n')).toEqual([
      'Chloé',
      'Hugo B'
    ]);
    expect(parseList('languages', 'fr, en ,pt-BR')).toEqual([
      'fr',
      'en',
      'pt-BR'
    ]);
    expect(listText('languages', ['fr', 'en'])).toBe('fr, en');
    expect(listText('holidays', ['2027-04-12', '2027-05-01..2027-05-02'])).toBe(
      '2027-04-12\n2027-05-01..2027-05-02'
    );
  });
});

describe('proposal', () => {
  it('sends only the classes this teacher may change, and the teams if they place pupils', () => {
    const body = proposal(demo());
    expect(body.version).toBe('v1');
    expect(body.classes.map(c => c.id)).toEqual(['lyon_4b']);
    expect(Object.keys(body.classes[0])).not.toContain('teacher');
    expect(body.teams?.length).toBe(2);
    expect(proposal(demo('none')).teams).toBeUndefined();
  });
});

describe('teams', () => {
  it('moves a pupil from one team to another, and out of every team', () => {
    const form = demo();
    let teams = placePupil(form.teams, 'lyon_4b', 'Chloé', 'team_forests');
    expect(teamOf(teams, 'lyon_4b', 'Chloé')).toBe('team_forests');
    expect(teams[0].members).toEqual({ nairobi_7: ['Amani'] });
    expect(teams[1].members.lyon_4b).toEqual(['Hugo', 'Chloé']);
    teams = placePupil(teams, 'lyon_4b', 'Chloé', null);
    expect(teamOf(teams, 'lyon_4b', 'Chloé')).toBeNull();
    expect(form.teams[0].members.lyon_4b).toEqual(['Chloé']); // the form's teams untouched
  });

  it('takes a pupil taken off the roster out of their team', () => {
    const teams = keepRoster(demo().teams, 'lyon_4b', ['Hugo']);
    expect(teams[0].members).toEqual({ nairobi_7: ['Amani'] });
    expect(teams[1].members).toEqual({ lyon_4b: ['Hugo'] });
  });

  it('gives a new team an id of its own', () => {
    const teams = demo().teams;
    expect(newTeamId('Déserts', teams)).toBe('team_deserts');
    expect(newTeamId('Rivers', teams)).toBe('team_rivers_2');
    expect(newTeamId('???', teams)).toBe('team_new');
  });
});
