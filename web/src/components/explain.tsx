import { Match, Switch, createSignal } from 'solid-js';
import { AnswerText } from './answer-text.js';
import { ErrorState, Loading } from './states.js';

/** The "Explain" action: asks the AI about this event and shows the explanation as text. */
export function Explain(props: { eventId: string; explain: () => Promise<string> }) {
  const [state, setState] = createSignal<
    { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'error'; error: unknown }
  >({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'busy' });
    try {
      setState({ kind: 'done', text: await props.explain() });
    } catch (error) {
      setState({ kind: 'error', error });
    }
  };
  return (
    <div class="explain">
      <button type="button" class="primary" disabled={state().kind === 'busy'} onClick={() => void run()}>
        Explain this event
      </button>
      <Switch>
        <Match when={state().kind === 'busy'}>
          <Loading label="Asking the AI…" />
        </Match>
        <Match when={state().kind === 'error' && (state() as { error: unknown })}>
          {(s) => <ErrorState what="Explaining the event" error={s().error} onRetry={() => void run()} />}
        </Match>
        <Match when={state().kind === 'done' && (state() as { text: string })}>
          {(s) => <AnswerText text={s().text} cited={[props.eventId]} />}
        </Match>
      </Switch>
    </div>
  );
}
