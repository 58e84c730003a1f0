import { createSignal, type Accessor } from 'solid-js';

/** What a user-started call has come to: not run yet, running, its result, or its failure. */
type ActionState<T> =
  { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; result: T } | { kind: 'error'; error: unknown };

/** A call the user starts and may start again (read its state through the accessors). */
export interface AsyncAction<A extends unknown[], T> {
  /** Runs the call; a failure is kept for `error`, never thrown. */
  run: (...args: A) => Promise<void>;
  busy: Accessor<boolean>;
  /** The last run's failure, `undefined` unless it failed. */
  error: Accessor<unknown>;
  /** The last run's outcome, wrapped so that an empty result still counts as done. */
  done: Accessor<{ result: T } | undefined>;
}

/**
 * State for a call such as "Ask" or "Explain this event" whose outcome replaces the previous one; shaped for
 * `AsyncView` (`loading={a.busy()} error={a.error()} value={a.done()}`).
 */
export function createAsyncAction<A extends unknown[], T>(
  task: (...args: A) => Promise<T>,
): AsyncAction<A, T> {
  const [state, setState] = createSignal<ActionState<T>>({ kind: 'idle' });
  return {
    run: async (...args) => {
      setState({ kind: 'busy' });
      try {
        setState({ kind: 'done', result: await task(...args) });
      } catch (error) {
        setState({ kind: 'error', error });
      }
    },
    busy: () => state().kind === 'busy',
    error: () => {
      const s = state();
      return s.kind === 'error' ? s.error : undefined;
    },
    done: () => {
      const s = state();
      return s.kind === 'done' ? s : undefined;
    },
  };
}
