import { For, Show, createSignal } from 'solid-js';
import { describeError } from '../lib/errors.js';
import { formatTime } from '../lib/format.js';

export interface CommentView {
  author: string;
  text: string;
  at: string;
}

/** An event's comments (author, time, text) and a box to add one; `onAdd` persists it. */
export function Comments(props: { comments: CommentView[]; onAdd: (text: string) => Promise<void> }) {
  const [draft, setDraft] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const submit = async () => {
    const text = draft().trim();
    if (!text) return;
    setBusy(true);
    setError('');
    try {
      await props.onAdd(text);
      setDraft('');
    } catch (failure) {
      setError(describeError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="comments">
      <ul class="comments">
        <For each={props.comments} fallback={<li class="muted">No comments yet.</li>}>
          {(comment) => (
            <li>
              <div class="row">
                <strong>{comment.author}</strong>
                <span class="muted mono">{formatTime(comment.at)}</span>
              </div>
              <div class="answer">{comment.text}</div>
            </li>
          )}
        </For>
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label for="new-comment">Add a comment</label>
        <textarea
          id="new-comment"
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          disabled={busy()}
        />
        <button type="submit" class="primary" disabled={busy() || !draft().trim()}>
          {busy() ? 'Saving…' : 'Comment'}
        </button>
      </form>
      <Show when={error()}>
        <p role="alert" class="result-failure">
          Saving the comment failed: {error()}
        </p>
      </Show>
    </div>
  );
}
