import { For, Show, createSignal } from 'solid-js';
import { describeError } from '../lib/errors.js';

/** Tags analysts reach for most; offered as one-click suggestions. */
export const TAG_SUGGESTIONS = ['investigating', 'false_positive', 'escalated'];

/** Tags of an event: remove with ×, add by typing or by a suggestion. `onSave` persists the new list. */
export function TagEditor(props: { tags: string[]; onSave: (tags: string[]) => Promise<void> }) {
  const [draft, setDraft] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const save = async (tags: string[]) => {
    setBusy(true);
    setError('');
    try {
      await props.onSave(tags);
    } catch (failure) {
      setError(describeError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  const add = (tag: string) => {
    const clean = tag.trim();
    if (!clean || props.tags.includes(clean)) return;
    setDraft('');
    void save([...props.tags, clean]);
  };
  return (
    <div class="tag-editor">
      <div class="row" aria-label="Tags">
        <For each={props.tags} fallback={<span class="muted">No tags.</span>}>
          {(tag) => (
            <span class="tag">
              {tag}
              <button
                type="button"
                aria-label={`Remove tag ${tag}`}
                disabled={busy()}
                onClick={() => void save(props.tags.filter((t) => t !== tag))}
              >
                ×
              </button>
            </span>
          )}
        </For>
      </div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          add(draft());
        }}
      >
        <label for="new-tag">Add tag</label>
        <input
          id="new-tag"
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          disabled={busy()}
        />
        <button type="submit" disabled={busy() || !draft().trim()}>
          Add
        </button>
        <For each={TAG_SUGGESTIONS.filter((s) => !props.tags.includes(s))}>
          {(suggestion) => (
            <button type="button" class="link" disabled={busy()} onClick={() => add(suggestion)}>
              +{suggestion}
            </button>
          )}
        </For>
      </form>
      <Show when={error()}>
        <p role="alert" class="result-failure">
          Saving tags failed: {error()}
        </p>
      </Show>
    </div>
  );
}
