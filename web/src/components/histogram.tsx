import { For, Show, createMemo, createSignal } from 'solid-js';
import { formatTime } from '../lib/format.js';
import { maxCount, rangeFromPixels, type Bucket } from '../lib/histogram.js';

const HEIGHT = 90;
const AXIS = 14;

/**
 * Event counts over time as SVG bars. Click a bar to zoom to it, or drag across bars to zoom to the span;
 * `onZoom` receives the snapped window. Keyboard users get the same through the time-range inputs.
 */
export function Histogram(props: { buckets: Bucket[]; onZoom: (start: Date, end: Date) => void }) {
  let svg: SVGSVGElement | undefined;
  const [drag, setDrag] = createSignal<{ x0: number; x1: number } | null>(null);
  const max = createMemo(() => maxCount(props.buckets));
  const total = createMemo(() => props.buckets.reduce((sum, b) => sum + b.count, 0));
  const x = (event: PointerEvent) => {
    const box = svg?.getBoundingClientRect();
    return box && box.width > 0 ? (event.clientX - box.left) / box.width : 0;
  };
  const finish = () => {
    const current = drag();
    setDrag(null);
    if (!current) return;
    const range = rangeFromPixels(props.buckets, current.x0, current.x1, 1);
    if (range) props.onZoom(new Date(range.start), new Date(range.end));
  };
  const first = () => props.buckets[0];
  const last = () => props.buckets[props.buckets.length - 1];
  return (
    <svg
      ref={(el) => (svg = el)}
      class="histogram"
      role="img"
      aria-label={`Histogram of ${total()} events over time; click or drag to zoom`}
      onPointerDown={(e) => {
        svg?.setPointerCapture(e.pointerId);
        const at = x(e);
        setDrag({ x0: at, x1: at });
      }}
      onPointerMove={(e) => {
        const current = drag();
        if (current) setDrag({ ...current, x1: x(e) });
      }}
      onPointerUp={finish}
      onPointerCancel={() => setDrag(null)}
    >
      <For each={props.buckets}>
        {(bucket, i) => {
          const width = () => 100 / props.buckets.length;
          const h = () => (bucket.count / max()) * (HEIGHT - AXIS - 4);
          return (
            <rect
              class="bar"
              x={`${i() * width()}%`}
              y={HEIGHT - AXIS - h()}
              width={`${width() * 0.85}%`}
              height={h()}
            >
              <title>{`${formatTime(bucket.start)} – ${formatTime(bucket.end)}: ${bucket.count}`}</title>
            </rect>
          );
        }}
      </For>
      <Show when={drag()}>
        {(d) => (
          <rect
            class="sel"
            x={`${Math.min(d().x0, d().x1) * 100}%`}
            y={0}
            width={`${Math.max(0.2, Math.abs(d().x1 - d().x0) * 100)}%`}
            height={HEIGHT - AXIS}
          />
        )}
      </Show>
      <Show when={first()}>
        {(b) => (
          <text x={2} y={HEIGHT - 2}>
            {formatTime(b().start)}
          </text>
        )}
      </Show>
      <Show when={last()}>
        {(b) => (
          <text x="100%" y={HEIGHT - 2} text-anchor="end">
            {formatTime(b().end)}
          </text>
        )}
      </Show>
    </svg>
  );
}
