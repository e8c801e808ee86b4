import { hiddenPrefixes, isHidden } from '../src/roles';

const student = {
  terminals: false,
  nbgrader_ui: false,
  extension_manager: false,
  dashboard: false,
  handin: true,
  new_chat: false
};

describe('hidden tools', () => {
  it("hides every teacher's tool from a student", () => {
    const prefixes = hiddenPrefixes(student);
    for (const command of [
      'terminal:create-new',
      'nbgrader:open-formgrader',
      'nbgrader:open-create-assignment',
      'extensionmanager:show-panel',
      'jupyterlab-chat:createAndOpen',
      'jupyterlab-chat:create-in-folder'
    ]) {
      expect(isHidden(command, prefixes)).toBe(true);
    }
    expect(isHidden('notebook:create-new', prefixes)).toBe(false);
    expect(isHidden('launcher:create', prefixes)).toBe(false);
    // reading and answering in one's chats stays
    expect(isHidden('jupyterlab-chat:open', prefixes)).toBe(false);
  });

  it('hides nothing from a teacher', () => {
    const teacher = {
      ...student,
      terminals: true,
      nbgrader_ui: true,
      extension_manager: true,
      new_chat: true
    };
    expect(hiddenPrefixes(teacher)).toEqual([]);
  });
});
