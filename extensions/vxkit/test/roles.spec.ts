import { hiddenPrefixes, isHidden } from '../src/roles';

const student = {
  terminals: false,
  nbgrader_ui: false,
  extension_manager: false,
  dashboard: false,
  handin: true
};

describe('hidden tools', () => {
  it("hides every teacher's tool from a student", () => {
    const prefixes = hiddenPrefixes(student);
    for (const command of [
      'terminal:create-new',
      'nbgrader:open-formgrader',
      'nbgrader:open-create-assignment',
      'extensionmanager:show-panel'
    ]) {
      expect(isHidden(command, prefixes)).toBe(true);
    }
    expect(isHidden('notebook:create-new', prefixes)).toBe(false);
    expect(isHidden('launcher:create', prefixes)).toBe(false);
  });

  it('hides nothing from a teacher', () => {
    const teacher = {
      ...student,
      terminals: true,
      nbgrader_ui: true,
      extension_manager: true
    };
    expect(hiddenPrefixes(teacher)).toEqual([]);
  });
});
