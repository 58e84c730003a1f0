import { describe, expect, it } from 'vitest';
import { listWindows } from '../sources/management-activity/list-content.js';
import { graphWindow } from './fetch-graph.js';
import { managementWindow } from './fetch-management.js';
import type { WatermarkDocument } from './watermarks.js';

const HOUR = 3_600_000;
const now = new Date('2026-03-10T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const mark = (until: Date, wideScanAt?: Date): WatermarkDocument => ({
  _id: 'x',
  kind: 'watermark',
  source: 'directory',
  until,
  ...(wideScanAt ? { wide_scan_at: wideScanAt } : {}),
  updated_at: until,
});

describe('graphWindow', () => {
  it('reaches back `hours` (168 by default) on a first run', () => {
    expect(graphWindow(null, now, undefined).from).toEqual(ago(168));
    expect(graphWindow(null, now, 5).from).toEqual(ago(5));
  });

  it('re-reads an hour before the watermark, and 72 h once a day', () => {
    expect(graphWindow(mark(ago(2), ago(3)), now, undefined)).toEqual({ from: ago(3), wide: false });
    expect(graphWindow(mark(ago(2), ago(25)), now, undefined)).toEqual({ from: ago(72), wide: true });
  });

  it('honours a longer explicit window, capped at 30 days', () => {
    expect(graphWindow(mark(ago(2), ago(3)), now, 48).from).toEqual(ago(48));
    expect(graphWindow(mark(ago(2), ago(3)), now, 48).gap).toBeUndefined();
  });

  it('reports the stretch beyond 30 days as lost instead of skipping it silently', () => {
    const outage = graphWindow(mark(ago(2000), ago(3)), now, undefined);
    expect(outage.from).toEqual(ago(720));
    expect(outage.gap).toEqual({ from: ago(2000), to: ago(720) });
  });
});

describe('managementWindow', () => {
  it('re-lists at least 24 h on every run and sweeps the 7 days daily', () => {
    expect(managementWindow(mark(ago(1), ago(2)), now, undefined)).toEqual({ from: ago(24), wide: false });
    const sweep = managementWindow(mark(ago(1), ago(30)), now, undefined);
    expect(sweep.wide).toBe(true);
    expect(now.getTime() - sweep.from.getTime()).toBeLessThan(7 * 24 * HOUR);
    expect(now.getTime() - sweep.from.getTime()).toBeGreaterThan(7 * 24 * HOUR - HOUR);
  });

  it('never asks for more than the API keeps, and reports what fell out of it', () => {
    const first = managementWindow(null, now, 720);
    expect(now.getTime() - first.from.getTime()).toBeLessThan(7 * 24 * HOUR);
    expect(first.gap).toBeUndefined();
    const outage = managementWindow(mark(ago(9 * 24), ago(9 * 24)), now, undefined);
    expect(outage.gap?.from).toEqual(ago(9 * 24));
    expect(outage.gap?.to).toEqual(outage.from);
  });
});

describe('listWindows', () => {
  it('splits a span into consecutive windows of at most 24 h', () => {
    const windows = listWindows(ago(50), now);
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      [ago(50), ago(26)],
      [ago(26), ago(2)],
      [ago(2), now],
    ]);
  });
});
