import { Match, Show, Switch, type Accessor, type JSX } from 'solid-js';
import { describeError } from '../lib/errors.js';

/** A busy indicator that screen readers announce. */
export function Loading(props: { label?: string }) {
  return (
    <div class="state" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </div>
  );
}

/** Nothing to show, and why; `children` may offer a way out (e.g. "clear filters"). */
export function Empty(props: { title: string; children?: JSX.Element }) {
  return (
    <div class="state" role="status">
      <p>{props.title}</p>
      {props.children}
    </div>
  );
}

/** A failed call: what failed, the server's reason, and a retry. Never a blank page. */
export function ErrorState(props: { what: string; error: unknown; onRetry?: () => void }) {
  const view = () => describeError(props.error);
  return (
    <div class="state error" role="alert">
      <p>
        <strong>{props.what} failed.</strong> {view().message}
        <Show when={view().status}>{(status) => <span class="muted"> (HTTP {status()})</span>}</Show>
      </p>
      <Show when={view().forbidden}>
        <p>Your account does not have access to this. Ask an AOC administrator for a role that grants it.</p>
      </Show>
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" onClick={() => retry()()}>
            Retry
          </button>
        )}
      </Show>
    </div>
  );
}

/**
 * The one loading → failed → empty → ready switch every screen puts its data through. The props are read
 * lazily and in that order, so `value` is never read while `error` is set (a Solid resource's `latest`
 * rethrows its error).
 */
export function AsyncView<T>(props: {
  /** Show the busy indicator (with `loadingLabel`) instead of anything else. */
  loading: boolean;
  loadingLabel: string;
  /** A failure to show (with `what` failed and a retry when `onRetry` is given); `undefined` when none. */
  error: unknown;
  what: string;
  onRetry?: (() => void) | undefined;
  /** The value has nothing to show: `empty` (an `Empty` state) stands in for it. */
  isEmpty?: boolean;
  empty?: JSX.Element;
  value: T | undefined | null | false;
  children: (value: Accessor<T>) => JSX.Element;
}) {
  return (
    <Switch>
      <Match when={props.loading}>
        <Loading label={props.loadingLabel} />
      </Match>
      <Match when={props.error !== undefined}>
        <ErrorState what={props.what} error={props.error} onRetry={props.onRetry} />
      </Match>
      <Match when={props.isEmpty}>{props.empty}</Match>
      <Match when={props.value}>{(value) => props.children(value)}</Match>
    </Switch>
  );
}
