import { Navigate, Route, Router, type RouteSectionProps } from '@solidjs/router';
import { lazy } from 'solid-js';
import { Layout } from './components/layout.js';
import { AccessGate, ApiProvider } from './providers/api.js';
import { SessionProvider } from './providers/session.js';
import { ThemeProvider } from './providers/theme.js';
import { NotFound } from './routes/not-found.js';

// Every screen is its own chunk: the first paint only pays for the shell and the screen it lands on.
const Events = lazy(() => import('./routes/events.js'));
const EventDetail = lazy(() => import('./routes/event-detail.js'));
const Ask = lazy(() => import('./routes/ask.js'));
const Sources = lazy(() => import('./routes/sources.js'));
const Rules = lazy(() => import('./routes/rules.js'));

function Root(props: RouteSectionProps) {
  return (
    <ThemeProvider>
      <SessionProvider>
        <ApiProvider>
          <Layout>
            <AccessGate>{props.children}</AccessGate>
          </Layout>
        </ApiProvider>
      </SessionProvider>
    </ThemeProvider>
  );
}

const SCREENS: [RegExp, { preload: () => unknown }][] = [
  [/^\/(events\/?)?$/, Events],
  [/^\/events\/[^/]+/, EventDetail],
  [/^\/ask/, Ask],
  [/^\/sources/, Sources],
  [/^\/rules/, Rules],
];

/** The console: providers around a router whose screens load on demand. */
export function App() {
  // The landing screen's code downloads while the session is still being resolved, not after it.
  SCREENS.find(([path]) => path.test(location.pathname))?.[1].preload();
  return (
    <Router root={Root}>
      <Route path="/" component={() => <Navigate href="/events" />} />
      <Route path="/events" component={Events} />
      <Route path="/events/:id" component={EventDetail} />
      <Route path="/ask" component={Ask} />
      <Route path="/sources" component={Sources} />
      <Route path="/rules" component={Rules} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}
