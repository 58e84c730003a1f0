import {
  createContext,
  createEffect,
  createSignal,
  useContext,
  type Accessor,
  type ParentProps,
} from 'solid-js';
import { THEME_KEY, initialTheme, otherTheme, type Theme } from '../lib/theme.js';

interface ThemeContextValue {
  theme: Accessor<Theme>;
  toggle: () => void;
}

const ThemeContext = createContext<ThemeContextValue>();

function readStored(): string | null {
  try {
    return localStorage.getItem(THEME_KEY);
  } catch {
    // Storage can be disabled by policy; the default theme is then the only one that persists.
    return null;
  }
}

/** Holds the active theme, applies it to <html data-theme> and remembers it across visits. */
export function ThemeProvider(props: ParentProps) {
  const [theme, setTheme] = createSignal<Theme>(initialTheme(readStored()));
  createEffect(() => {
    document.documentElement.dataset.theme = theme();
    try {
      localStorage.setItem(THEME_KEY, theme());
    } catch {
      // See readStored: nothing to persist into.
    }
  });
  const value: ThemeContextValue = { theme, toggle: () => setTheme(otherTheme(theme())) };
  return <ThemeContext.Provider value={value}>{props.children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeContextValue {
  const value = useContext(ThemeContext);
  if (!value) throw new Error('useTheme outside ThemeProvider');
  return value;
}
