/** Which way vxkit's own panels are written (JupyterLab's stay as they are). */

/** "rtl" or "ltr" for a language tag ("ar-SA", "fr_FR"), as the browser's Intl knows it. */
export function directionOf(
  language: string | null | undefined
): 'ltr' | 'rtl' {
  if (!language) {
    return 'ltr';
  }
  try {
    const locale = new Intl.Locale(language.replace('_', '-')) as any;
    // getTextInfo() in today's browsers and Node, a textInfo getter in older Chromium
    const info =
      typeof locale.getTextInfo === 'function'
        ? locale.getTextInfo()
        : locale.textInfo;
    return info?.direction === 'rtl' ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/**
 * The direction of vxkit's panels: the server's answer for a student whose class has its
 * own language, else that of the language JupyterLab speaks (a teacher who chose Arabic).
 */
export function panelDirection(
  me: { language: string | null; dir?: 'ltr' | 'rtl' },
  languageCode: string | undefined
): 'ltr' | 'rtl' {
  return me.language ? (me.dir ?? 'ltr') : directionOf(languageCode);
}
