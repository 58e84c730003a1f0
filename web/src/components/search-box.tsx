import { createEffect, createSignal, on, onCleanup } from 'solid-js';

/**
 * Free-text search that never blocks typing: the input is local state, and `onSearch` fires only after the
 * user pauses for `delay` ms (or presses Enter). When the URL changes the value from outside (back/forward),
 * the box follows it.
 */
export function SearchBox(props: { value: string; onSearch: (value: string) => void; delay?: number }) {
  const [text, setText] = createSignal(props.value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      () => props.value,
      (value) => setText(value),
      { defer: true },
    ),
  );
  const flush = (value: string) => {
    clearTimeout(timer);
    if (value !== props.value) props.onSearch(value);
  };
  onCleanup(() => clearTimeout(timer));
  return (
    <div class="field search-field">
      <label for="search">Search</label>
      <input
        id="search"
        type="search"
        placeholder="Words, UPNs, ids… (press / to focus)"
        autocomplete="off"
        value={text()}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          clearTimeout(timer);
          timer = setTimeout(() => flush(value), props.delay ?? 250);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') flush(event.currentTarget.value);
        }}
      />
    </div>
  );
}
