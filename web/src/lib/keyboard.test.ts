import { describe, expect, it } from 'vitest';
import { tableKey } from './keyboard.js';

describe('tableKey', () => {
  it('moves with j/k and arrows, clamped to the rows', () => {
    expect(tableKey('j', -1, 5)).toEqual({ kind: 'move', index: 0 });
    expect(tableKey('j', 2, 5)).toEqual({ kind: 'move', index: 3 });
    expect(tableKey('ArrowDown', 4, 5)).toEqual({ kind: 'move', index: 4 });
    expect(tableKey('k', 0, 5)).toEqual({ kind: 'move', index: 0 });
    expect(tableKey('ArrowUp', 3, 5)).toEqual({ kind: 'move', index: 2 });
  });

  it('jumps with Home/End/PageDown/PageUp', () => {
    expect(tableKey('End', 0, 5)).toEqual({ kind: 'move', index: 4 });
    expect(tableKey('Home', 3, 5)).toEqual({ kind: 'move', index: 0 });
    expect(tableKey('PageDown', 0, 30)).toEqual({ kind: 'move', index: 10 });
    expect(tableKey('PageUp', 5, 30)).toEqual({ kind: 'move', index: 0 });
  });

  it('opens the selected row with Enter, nothing without a selection or rows', () => {
    expect(tableKey('Enter', 2, 5)).toEqual({ kind: 'open', index: 2 });
    expect(tableKey('Enter', -1, 5)).toEqual({ kind: 'none' });
    expect(tableKey('j', -1, 0)).toEqual({ kind: 'none' });
    expect(tableKey('x', 1, 5)).toEqual({ kind: 'none' });
  });
});
