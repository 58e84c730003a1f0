import { A, useParams } from '@solidjs/router';
import { For, Show, createMemo, createResource } from 'solid-js';
import { Comments } from '../components/comments.js';
import { DiffTable } from '../components/diff-table.js';
import { Explain } from '../components/explain.js';
import { RawJson } from '../components/raw-json.js';
import { AsyncView } from '../components/states.js';
import { TagEditor } from '../components/tag-editor.js';
import { extractChanges } from '../lib/diff.js';
import { describeError } from '../lib/errors.js';
import { formatTime, resultClass } from '../lib/format.js';
import { useApi, useFeatures } from '../providers/api.js';

function Json(props: { value: unknown }) {
  return <pre class="raw">{JSON.stringify(props.value, null, 2)}</pre>;
}

/** One event by its deep link `/events/:id`: what happened, who, to what, what changed, and the analysis. */
export default function EventDetailPage() {
  const api = useApi();
  const features = useFeatures();
  const params = useParams<{ id: string }>();
  const [event, { mutate, refetch }] = createResource(
    () => params.id,
    (id) => api.events.get.query({ id }),
  );
  const changes = createMemo(() => extractChanges(event.latest?.raw));
  // A missing event is final: say which id was not found, and offer no retry.
  const notFound = () => describeError(event.error).status === 404;

  return (
    <div class="event-detail">
      <p>
        <A
          href="/events"
          onClick={(e) => {
            // Going back keeps the filters of the list the user came from.
            if (history.length > 1) {
              e.preventDefault();
              history.back();
            }
          }}
        >
          ← Back to events
        </A>
      </p>
      <AsyncView
        loading={event.loading && !event.latest}
        loadingLabel="Loading the event…"
        error={event.error as unknown}
        what={notFound() ? `Finding event ${params.id}` : 'Loading the event'}
        onRetry={notFound() ? undefined : () => void refetch()}
        value={event.latest}
      >
        {(e) => (
          <>
            <h1>{e().display_summary || e().operation}</h1>
            <div class="detail-grid">
              <div class="stack">
                <section class="card" aria-labelledby="summary-h">
                  <h2 id="summary-h">Summary</h2>
                  <dl class="props">
                    <dt>Time</dt>
                    <dd class="mono">{formatTime(e().timestamp)}</dd>
                    <dt>Service</dt>
                    <dd>{e().service}</dd>
                    <dt>Operation</dt>
                    <dd>{e().operation}</dd>
                    <dt>Result</dt>
                    <dd class={resultClass(e().result)}>{e().result}</dd>
                    <dt>Source</dt>
                    <dd>{e().source}</dd>
                    <dt>Actor</dt>
                    <dd>{e().actor_display}</dd>
                    <dt>Targets</dt>
                    <dd>
                      <For each={e().target_displays} fallback={<span class="muted">none</span>}>
                        {(t) => <div>{t}</div>}
                      </For>
                    </dd>
                    <dt>Event id</dt>
                    <dd class="mono">{e().id}</dd>
                  </dl>
                </section>
                <section class="card" aria-labelledby="changes-h">
                  <h2 id="changes-h">Modified properties</h2>
                  <DiffTable changes={changes()} />
                </section>
                <section class="card grid-2" aria-label="Actor and targets">
                  <div>
                    <h2>Actor</h2>
                    <Json value={e().actor} />
                  </div>
                  <div>
                    <h2>Targets</h2>
                    <Json value={e().targets} />
                  </div>
                </section>
                <section class="card">
                  <RawJson value={e().raw} />
                </section>
              </div>
              <div class="stack">
                <section class="card" aria-labelledby="tags-h">
                  <h2 id="tags-h">Tags</h2>
                  <TagEditor
                    tags={e().tags}
                    onSave={async (tags) => {
                      mutate(await api.events.setTags.mutate({ id: e()._id, tags }));
                    }}
                  />
                </section>
                <section class="card" aria-labelledby="comments-h">
                  <h2 id="comments-h">Comments</h2>
                  <Comments
                    comments={e().comments}
                    onAdd={async (text) => {
                      mutate(await api.events.addComment.mutate({ id: e()._id, text }));
                    }}
                  />
                </section>
                <Show when={features().ai}>
                  <section class="card" aria-labelledby="explain-h">
                    <h2 id="explain-h">AI explanation</h2>
                    <Explain
                      eventId={e()._id}
                      explain={async () => (await api.ai.explain.mutate({ id: e()._id })).explanation}
                    />
                  </section>
                </Show>
              </div>
            </div>
          </>
        )}
      </AsyncView>
    </div>
  );
}
