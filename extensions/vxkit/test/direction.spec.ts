import { directionOf, panelDirection } from '../src/direction';

describe('writing direction', () => {
  it('knows the right-to-left languages from the browser', () => {
    expect(directionOf('ar-SA')).toBe('rtl');
    expect(directionOf('ar_SA')).toBe('rtl');
    expect(directionOf('he')).toBe('rtl');
    expect(directionOf('fr-FR')).toBe('ltr');
    expect(directionOf('zh-CN')).toBe('ltr');
    expect(directionOf('en')).toBe('ltr');
    expect(directionOf(undefined)).toBe('ltr');
    expect(directionOf('not a language tag')).toBe('ltr');
  });

  it("follows the student's class, else JupyterLab's own language", () => {
    const arabicClass = { language: 'ar_SA', dir: 'rtl' as const };
    expect(panelDirection(arabicClass, 'ar-SA')).toBe('rtl');
    // the server's answer wins over what JupyterLab says
    const frenchClass = { language: 'fr_FR', dir: 'ltr' as const };
    expect(panelDirection(frenchClass, 'ar-SA')).toBe('ltr');
    // a teacher keeps the language she chose in Settings > Language
    const teacher = { language: null, dir: 'ltr' as const };
    expect(panelDirection(teacher, 'ar-SA')).toBe('rtl');
    expect(panelDirection(teacher, 'es-ES')).toBe('ltr');
  });
});
