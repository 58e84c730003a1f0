const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-22 16:37:05` in the viewer's local time: sortable, dense, unambiguous. */
export function formatTime(iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A duration in the largest sensible unit: `45 s`, `12 min`, `3 h`, `2 d`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min`;
  if (abs < 86_400_000) return `${Math.round(abs / 3_600_000)} h`;
  return `${Math.round(abs / 86_400_000)} d`;
}

/** `5 min ago` / `in 3 h` relative to `now`. */
export function formatRelative(iso: string | null | undefined, now: Date): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const delta = t - now.getTime();
  if (Math.abs(delta) < 1000) return 'now';
  return delta < 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(delta)}`;
}

/** Thousands separators, with an explicit lower bound when the server only knows "at least". */
export function formatCount(count: number, exact = true): string {
  const text = count.toLocaleString('en-US');
  return exact ? text : `${text}+`;
}

/** Lower-cased result words Microsoft uses for success and failure, for colouring the result column. */
export function resultClass(result: string): 'result-success' | 'result-failure' | '' {
  const r = result.toLowerCase();
  if (r === 'success' || r === 'succeeded' || r === 'true') return 'result-success';
  if (r === 'failure' || r === 'failed' || r === 'false' || r === 'timeout') return 'result-failure';
  return '';
}
