/** What a key press means in the events table. */
export type TableKey = { kind: 'move'; index: number } | { kind: 'open'; index: number } | { kind: 'none' };

/**
 * Dense-table navigation: j/↓ and k/↑ move one row, Home/End jump, PageDown/PageUp move `page` rows, Enter or
 * o opens the selected row. `current` is -1 when nothing is selected yet: the first move selects row 0.
 */
export function tableKey(key: string, current: number, length: number, page = 10): TableKey {
  if (length === 0) return { kind: 'none' };
  const clamp = (i: number) => Math.max(0, Math.min(length - 1, i));
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'move', index: current < 0 ? 0 : clamp(current + 1) };
    case 'k':
    case 'ArrowUp':
      return { kind: 'move', index: current < 0 ? 0 : clamp(current - 1) };
    case 'Home':
      return { kind: 'move', index: 0 };
    case 'End':
      return { kind: 'move', index: length - 1 };
    case 'PageDown':
      return { kind: 'move', index: clamp(current + page) };
    case 'PageUp':
      return { kind: 'move', index: clamp(current - page) };
    case 'Enter':
    case 'o':
      return current >= 0 && current < length ? { kind: 'open', index: current } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}
