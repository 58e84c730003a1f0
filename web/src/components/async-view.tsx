import { Match, Switch, type Accessor, type JSX } from 'solid-js';
import { ErrorState, Loading } from './states.js';

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
