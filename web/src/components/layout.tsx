import { A } from '@solidjs/router';
import { Show, type ParentProps } from 'solid-js';
import { useFeatures } from '../providers/api.js';
import { useSession } from '../providers/session.js';
import { ThemeToggle } from './theme-toggle.js';

/** The frame of every screen: skip link, navigation, demo-tenant badge, user and theme controls. */
export function Layout(props: ParentProps) {
  const session = useSession();
  const features = useFeatures();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <A href="/events" class="brand" aria-label="AOC home">
          AOC
        </A>
        <nav class="nav" aria-label="Main">
          <A href="/events" activeClass="active">
            Events
          </A>
          <Show when={features().ai}>
            <A href="/ask" activeClass="active">
              Ask
            </A>
          </Show>
          <A href="/sources" activeClass="active">
            Sources
          </A>
          <A href="/rules" activeClass="active">
            Rules &amp; alerts
          </A>
        </nav>
        <div class="header-end">
          <Show when={features().demoTenant}>
            <span class="badge warn" title="Events come from the built-in simulated Microsoft tenant">
              Demo tenant
            </span>
          </Show>
          <Show when={session.user}>
            {(user) => (
              <span class="muted" aria-label="Signed in as">
                {user()}
              </span>
            )}
          </Show>
          <Show when={session.signOut}>
            {(signOut) => (
              <button type="button" onClick={() => void signOut()()}>
                Sign out
              </button>
            )}
          </Show>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
