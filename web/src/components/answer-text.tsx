import { A } from '@solidjs/router';
import { For, Match, Switch } from 'solid-js';
import { segmentAnswer } from '../lib/answer.js';

/** An AI answer rendered as text, with links only to the AOC events it cites. */
export function AnswerText(props: { text: string; cited: string[] }) {
  return (
    <div class="answer" data-testid="answer">
      <For each={segmentAnswer(props.text, props.cited)}>
        {(segment) => (
          <Switch>
            <Match when={segment.kind === 'event' && segment}>
              {(s) => <A href={`/events/${encodeURIComponent(s().id)}`}>{s().text}</A>}
            </Match>
            <Match when={segment.kind === 'text'}>{segment.text}</Match>
          </Switch>
        )}
      </For>
    </div>
  );
}
