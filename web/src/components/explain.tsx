import { AnswerText } from './answer-text.js';
import { createAsyncAction } from './async-action.js';
import { AsyncView } from './states.js';

/** The "Explain" action: asks the AI about this event and shows the explanation as text. */
export function Explain(props: { eventId: string; explain: () => Promise<string> }) {
  const explaining = createAsyncAction(() => props.explain());
  return (
    <div class="explain">
      <button
        type="button"
        class="primary"
        disabled={explaining.busy()}
        onClick={() => void explaining.run()}
      >
        Explain this event
      </button>
      <AsyncView
        loading={explaining.busy()}
        loadingLabel="Asking the AI…"
        error={explaining.error()}
        what="Explaining the event"
        onRetry={() => void explaining.run()}
        value={explaining.done()}
      >
        {(done) => <AnswerText text={done().result} cited={[props.eventId]} />}
      </AsyncView>
    </div>
  );
}
