/** The console's two palettes; dark is the default because admins keep the console open all day. */
export type Theme = 'dark' | 'light';

/** Storage key of the chosen theme. */
export const THEME_KEY = 'aoc.theme';

/** The theme to start with, given what was stored last time (anything unrecognized falls back to dark). */
export function initialTheme(stored: string | null): Theme {
  return stored === 'light' ? 'light' : 'dark';
}

/** The other theme, for the toggle. */
export function otherTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark';
}
