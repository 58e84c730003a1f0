import { For, Show, createResource, createSignal, onCleanup } from 'solid-js';
import { AsyncView, ErrorState } from '../components/states.js';
import { finalProgress, summarizeProgress, type SourceProgressView } from '../lib/fetch-progress.js';
import { withProgress, type Run, type SourcesProgress } from '../lib/fetch-run.js';
import { formatCount, formatDuration, formatRelative } from '../lib/format.js';
import { healthRowView } from '../lib/health-row.js';
import { useApi, useFeatures } from '../providers/api.js';

const HOURS = [1, 24, 168, 720];

/** Source health, the demo-tenant notice and "Fetch now" with live progress. */
export default function SourcesPage() {
  const api = useApi();
  const features = useFeatures();
  const [health, { refetch }] = createResource(() => api.ingest.sourceHealth.query());
  const [hours, setHours] = createSignal(24);
  const [run, setRun] = createSignal<Run>({ kind: 'idle' });
  // The progress stream covers any running fetch (this one, a REST call, a webhook or the scheduler).
  const subscription = api.ingest.progress.subscribe(undefined, {
    onData: (progress) => {
      const before = run();
      const after = withProgress(before, progress);
      setRun(after);
      if (before.kind === 'watching' && after.kind === 'done') void refetch();
    },
  });
  onCleanup(() => subscription.unsubscribe());

  const start = async () => {
    setRun({ kind: 'running', sources: {} });
    try {
      const result = await api.ingest.fetch.mutate({ hours: hours() });
      // Still `running`: the stream's snapshots of this run kept its sources and run id.
      const current = run();
      const streamed = current.kind === 'running' ? current : { sources: {}, runId: undefined };
      setRun({
        kind: 'done',
        sources: finalProgress(streamed.sources, result.per_source),
        count: result.count,
        warnings: result.warnings,
        elsewhere: false,
        runId: streamed.runId,
      });
    } catch (error) {
      setRun({ kind: 'error', error });
    }
    void refetch();
  };

  const busy = () => run().kind === 'running' || run().kind === 'watching';
  const elsewhere = () => {
    const r = run();
    return r.kind === 'watching' || (r.kind === 'done' && r.elsewhere) ? ' (started elsewhere)' : '';
  };

  const shown = (): SourcesProgress | undefined => {
    const r = run();
    return 'sources' in r ? r.sources : undefined;
  };
  const progress = () => {
    const sources = shown();
    return sources ? summarizeProgress(sources) : null;
  };

  return (
    <div class="sources">
      <h1>Sources</h1>
      <Show when={features().demoTenant}>
        <p class="card" role="note">
          <span class="badge warn">Demo tenant</span> No Microsoft credentials are configured, so AOC ingests
          from its built-in simulated tenant. Set <code>TENANT_ID</code>, <code>CLIENT_ID</code> and{' '}
          <code>CLIENT_SECRET</code> to collect your own audit logs.
        </p>
      </Show>
      <section class="card" aria-labelledby="fetch-h">
        <h2 id="fetch-h">Fetch now</h2>
        <div class="row">
          <label for="fetch-hours">Reach back</label>
          <select id="fetch-hours" value={hours()} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            <For each={HOURS}>{(h) => <option value={h}>{h < 24 ? `${h} h` : `${h / 24} d`}</option>}</For>
          </select>
          <button type="button" class="primary" disabled={busy()} onClick={() => void start()}>
            {busy() ? 'Fetching…' : 'Fetch now'}
          </button>
        </div>
        <Show when={progress()}>
          {(p) => (
            <div class="fetch-progress">
              <progress
                class="progress"
                max={1}
                value={p().fraction}
                aria-label="Fetch progress"
                aria-valuetext={`${p().finishedSources} of ${p().totalSources} sources finished`}
              />
              <p role="status" data-testid="fetch-status">
                <Show
                  when={run().kind === 'done'}
                  fallback={
                    <>
                      Running{elsewhere()}: {p().finishedSources} of {p().totalSources} sources finished
                    </>
                  }
                >
                  Fetch complete{elsewhere()}
                </Show>{' '}
                — {formatCount(p().eventsFetched)} events fetched, {formatCount(p().eventsStored)} stored.
              </p>
              <ul>
                <For each={Object.entries((shown() ?? {}) as Record<string, SourceProgressView>)}>
                  {([name, s]) => (
                    <li>
                      <strong>{name}</strong>: {s.state}, {s.pages} pages, {formatCount(s.events_fetched)}{' '}
                      events
                    </li>
                  )}
                </For>
              </ul>
            </div>
          )}
        </Show>
        <Show when={run().kind === 'done' && (run() as { warnings: string[] }).warnings}>
          {(warnings) => (
            <ul>
              <For each={warnings()}>{(w) => <li class="muted">{w}</li>}</For>
            </ul>
          )}
        </Show>
        <Show when={run().kind === 'error' && (run() as { error: unknown })}>
          {(r) => <ErrorState what="The fetch" error={r().error} onRetry={() => void start()} />}
        </Show>
      </section>
      <section aria-labelledby="health-h">
        <h2 id="health-h">Health</h2>
        <AsyncView
          loading={health.loading && !health.latest}
          loadingLabel="Loading source health…"
          error={health.error as unknown}
          what="Loading source health"
          onRetry={() => void refetch()}
          value={health.latest}
        >
          {(rows) => (
            <div class="table-wrap">
              <table class="events">
                <thead>
                  <tr>
                    <th scope="col">Source</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last success</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Lag</th>
                    <th scope="col">Events</th>
                    <th scope="col">Next run</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(row) => (
                      <tr>
                        <td>{healthRowView(row).name}</td>
                        <td>
                          <span
                            class={`badge ${row.status === 'ok' ? 'ok' : row.status === 'failing' ? 'bad' : ''}`}
                            title={row.reason ?? ''}
                          >
                            {row.status}
                          </span>
                        </td>
                        <td>{formatRelative(row.last_success_at, new Date())}</td>
                        <td title={row.last_error ?? ''}>{row.last_error ?? '—'}</td>
                        <td>{row.lag_seconds === null ? '—' : formatDuration(row.lag_seconds * 1000)}</td>
                        <td title={healthRowView(row).volumeTitle}>{healthRowView(row).volume}</td>
                        <td>{formatRelative(row.next_run_at, new Date())}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </AsyncView>
      </section>
    </div>
  );
}
