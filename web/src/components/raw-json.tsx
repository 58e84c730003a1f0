import { createSignal } from 'solid-js';

/** The raw source record, collapsed by default, with a copy-to-clipboard button. */
export function RawJson(props: { value: unknown }) {
  const [copied, setCopied] = createSignal<'idle' | 'done' | 'failed'>('idle');
  const text = () => JSON.stringify(props.value, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setCopied('done');
    } catch {
      // Clipboard access needs a secure context and permission; say so rather than pretend.
      setCopied('failed');
    }
  };
  return (
    <details class="raw-json">
      <summary>Raw JSON</summary>
      <div class="row">
        <button type="button" onClick={() => void copy()}>
          Copy JSON
        </button>
        <span class="muted" role="status">
          {copied() === 'done'
            ? 'Copied.'
            : copied() === 'failed'
              ? 'Copy failed: select the text instead.'
              : ''}
        </span>
      </div>
      <pre class="raw" tabIndex={0}>
        {text()}
      </pre>
    </details>
  );
}
