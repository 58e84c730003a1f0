import { For, Show, createSignal } from 'solid-js';
import { describeError } from '../lib/errors.js';
import { exportUrl, type ExportFormat } from '../lib/export-link.js';
import type { EventFilters } from '../lib/filters.js';
import { useSession } from '../providers/session.js';

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'Export CSV' },
  { format: 'ndjson', label: 'Export NDJSON' },
];

/**
 * Download links for the current filter. Without auth they are plain links; with auth a link cannot carry
 * the bearer token, so the file is fetched with it and handed to the browser as a download.
 */
export function ExportLinks(props: { filters: EventFilters; now: Date }) {
  const session = useSession();
  const [error, setError] = createSignal('');
  const download = async (event: MouseEvent, format: ExportFormat, href: string) => {
    if (!session.authEnabled) return;
    event.preventDefault();
    setError('');
    try {
      const token = await session.token();
      const response = await fetch(href, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok)
        throw Object.assign(new Error(`The export answered ${response.status}`), { status: response.status });
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = `aoc-events.${format}`;
      anchor.click();
      URL.revokeObjectURL(url);
    } catch (failure) {
      setError(describeError(failure).message);
    }
  };
  return (
    <>
      <For each={FORMATS}>
        {(item) => {
          const href = () => exportUrl(item.format, props.filters, props.now);
          return (
            <a
              class="button-link"
              href={href()}
              download=""
              onClick={(e) => void download(e, item.format, href())}
            >
              {item.label}
            </a>
          );
        }}
      </For>
      <Show when={error()}>
        <span role="alert" class="result-failure">
          Export failed: {error()}
        </span>
      </Show>
    </>
  );
}
