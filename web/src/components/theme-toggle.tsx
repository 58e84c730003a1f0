import { useTheme } from '../providers/theme.js';

export function ThemeToggle() {
  const { theme, toggle } = useTheme();
  return (
    <button
      type="button"
      onClick={toggle}
      aria-label={theme() === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
      title="Toggle theme"
    >
      {theme() === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}
