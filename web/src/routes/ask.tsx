import { A, useSearchParams } from '@solidjs/router';
import { For, Show, createMemo, createSignal } from 'solid-js';
import { AnswerText } from '../components/answer-text.js';
import { createAsyncAction } from '../components/async-action.js';
import { AsyncView, Empty } from '../components/states.js';
import { PRESET_LABELS, filtersFromSearch, filtersToSearch, toQuery } from '../lib/filters.js';
import { formatCount, formatTime } from '../lib/format.js';
import { useApi, useFeatures } from '../providers/api.js';

function describeQuery(query: Record<string, unknown>): string[] {
  return Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
}

/**
 * Natural-language questions about the audit log. The filters active on the Events screen travel in this
 * page's URL and are sent along; the answer is text whose only links are the events it cites.
 */
export default function AskPage() {
  const api = useApi();
  const features = useFeatures();
  const [params] = useSearchParams();
  const filters = createMemo(() => filtersFromSearch(params));
  // Only a time range the user chose travels with the question; otherwise the question's own words ("last
  // month") decide, since filters sent explicitly win over what the question says.
  const timeChosen = () =>
    params.range !== undefined || params.start !== undefined || params.end !== undefined;
  const sentFilters = () => {
    const { start, end, ...rest } = toQuery(filters(), new Date());
    return timeChosen() ? { ...rest, ...(start ? { start } : {}), ...(end ? { end } : {}) } : rest;
  };
  const [question, setQuestion] = createSignal('');
  const asking = createAsyncAction((q: string) => api.ai.ask.mutate({ question: q, filters: sentFilters() }));

  const ask = async () => {
    const q = question().trim();
    if (q) await asking.run(q);
  };
  // The console's time presets are relative: describe them as chosen, not as the instants they resolve to.
  const activeFilters = () => {
    const f = filters();
    const { start: _start, end: _end, ...rest } = toQuery(f, new Date());
    const parts = describeQuery(rest);
    if (!timeChosen()) return parts;
    if (f.preset === 'custom') parts.push(`from ${f.start || '…'} to ${f.end || 'now'}`);
    else if (f.preset !== 'all') parts.push(`last ${PRESET_LABELS[f.preset]}`);
    return parts;
  };
  const eventsLink = () => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(filtersToSearch(filters()))) if (v !== undefined) search.set(k, v);
    const text = search.toString();
    return text ? `/events?${text}` : '/events';
  };

  return (
    <Show
      when={features().ai}
      fallback={<Empty title="AI features are turned off on this server (AI_FEATURES_ENABLED=false)." />}
    >
      <div class="ask">
        <h1>Ask</h1>
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            void ask();
          }}
        >
          <label for="question">Question</label>
          <textarea
            id="question"
            placeholder="Who changed conditional access policies last week?"
            value={question()}
            onInput={(e) => setQuestion(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void ask();
            }}
          />
          <div class="row">
            <button type="submit" class="primary" disabled={asking.busy() || !question().trim()}>
              Ask
            </button>
            <span class="muted">
              <Show when={activeFilters().length > 0} fallback="No console filters are applied.">
                Sends the active filters: {activeFilters().join(' · ')} (<A href={eventsLink()}>view them</A>)
              </Show>
            </span>
          </div>
        </form>
        <AsyncView
          loading={asking.busy()}
          loadingLabel="Thinking…"
          error={asking.error()}
          what="Asking"
          onRetry={() => void ask()}
          value={asking.done()}
        >
          {(s) => (
            <section class="card" aria-labelledby="answer-h">
              <h2 id="answer-h">Answer</h2>
              <Show when={s().result.warning}>
                {(warning) => (
                  <p class="muted" role="note">
                    {warning()}
                  </p>
                )}
              </Show>
              <AnswerText text={s().result.answer} cited={s().result.events.map((e) => e._id)} />
              <h3>Filters used</h3>
              <p class="mono" data-testid="filters-used">
                {describeQuery(s().result.query).join(' · ') || 'none'}
              </p>
              <p class="muted">
                {formatCount(s().result.total_matched)} events matched
                <Show when={s().result.truncated}>; the answer is based on the most recent ones</Show>.
              </p>
              <h3>Cited events</h3>
              <ul>
                <For each={s().result.events} fallback={<li class="muted">None.</li>}>
                  {(event) => (
                    <li>
                      <A href={`/events/${encodeURIComponent(event._id)}`}>
                        {formatTime(event.timestamp)} — {event.display_summary || event.operation}
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          )}
        </AsyncView>
      </div>
    </Show>
  );
}
