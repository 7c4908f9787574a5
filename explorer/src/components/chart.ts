import { html } from 'htm/preact';
import { useLayoutEffect, useRef, useState, type MutableRef } from 'preact/hooks';
import { bucketStarts, fittingBucket, nextBucket, type TimeBucket } from '../buckets.js';
import type { DatasetInfo } from '../catalog.js';
import { loadExtent } from '../extent.js';
import { formatAxisCount, formatCount } from '../format.js';
import { useKeyWhenNear, useLoad } from '../hooks.js';
import { filterParams, sdkParams } from '../query.js';
import { datasetApi } from '../sdk.js';
import type { ChartView, ViewState } from '../state.js';

/** The drawing's width before the first measure; then it is the element's own width, so text keeps its size. */
const DEFAULT_WIDTH = 640;
const HEIGHT = 200;
const PLOT = { left: 44, right: 8, top: 10, bottom: 26 };
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const VIEWS: Array<[ChartView, string]> = [
  ['time', 'Over time'],
  ['dow', 'Day of week'],
  ['hour', 'Hour of day'],
];

interface Bar {
  key: string;
  label: string;
  count: number;
  /** For time bars: the bucket as a `from`/`to` range. */
  range?: [string, string];
}

interface Series {
  bars: Bar[];
  bucket: string;
}

interface Props {
  dataset: DatasetInfo;
  state: ViewState;
  onRange(from: string | null, to: string | null): void;
  onView(view: ChartView): void;
}

/** Counts over time (bucket fitted to the range; drag to set the range), by weekday, or by hour. */
export function Chart({ dataset, state, onRange, onView }: Props) {
  const api = datasetApi(dataset.sdkName);
  const usable = Boolean(api?.aggregate && dataset.timeColumn && dataset.buckets.length);
  const params = filterParams(dataset, state);
  // Below the fold (at phone width), the chart asks for its counts when scrolled near.
  const panel = useRef<HTMLElement>(null);
  const key = useKeyWhenNear(panel, usable ? JSON.stringify(['chart', dataset.key, state.chart, params]) : null);
  const series = useLoad(key, async (signal) => {
    const aggregate = (extra: Record<string, unknown>) => api!.aggregate!(sdkParams({ ...params, ...extra, limit: 10000 }), { signal });
    if (state.chart === 'dow' || state.chart === 'hour') {
      const field = state.chart;
      const answer = await aggregate({ bucket: field });
      const counts = new Map(answer.data.map((row) => [Number(row[field]), row.count]));
      const keys = field === 'dow' ? [1, 2, 3, 4, 5, 6, 7] : Array.from({ length: 24 }, (_, hour) => hour);
      const bars = keys.map((key) => ({ key: String(key), label: field === 'dow' ? DAYS[key - 1]! : String(key).padStart(2, '0'), count: counts.get(key) ?? 0 }));
      return { bars, bucket: field } satisfies Series;
    }
    const extent = await loadExtent(dataset);
    const from = state.from ?? extent?.from;
    const to = state.to ?? extent?.to;
    if (!from || !to || from >= to) return { bars: [], bucket: 'day' } satisfies Series;
    const bucket = fittingBucket(from, to, dataset.buckets) as TimeBucket;
    const answer = await aggregate({ bucket });
    const counts = new Map(answer.data.map((row) => [String(row.period), row.count]));
    const bars = bucketStarts(from, to, bucket).map((start) => ({ key: start, label: start, count: counts.get(start) ?? 0, range: [start, nextBucket(start, bucket)] as [string, string] }));
    return { bars, bucket } satisfies Series;
  });
  if (!usable) return null;
  const data = series.data;
  const total = data?.bars.reduce((sum, bar) => sum + bar.count, 0);
  return html`
    <section ref=${panel} class="panel chart-panel" aria-labelledby="chart-title">
      <div class="panel-head">
        <h2 id="chart-title">Counts</h2>
        <div class="segmented" role="radiogroup" aria-label="Chart view">
          ${VIEWS.map(
            ([view, label]) => html`<label>
              <input type="radio" name="chart" value=${view} checked=${state.chart === view} onChange=${() => onView(view)} />
              ${label}
            </label>`,
          )}
        </div>
      </div>
      <p class="muted" aria-live="polite">
        ${series.error
          ? html`<span class="error">${series.error.message}</span>`
          : data
            ? `${formatCount(total ?? 0)} rows${state.chart === 'time' ? ` by ${data.bucket}; drag across the bars to set the time range` : ''}.`
            : ''}
      </p>
      <${Bars} series=${data} brushable=${state.chart === 'time'} onRange=${onRange} />
    </section>
  `;
}

function Bars({ series, brushable, onRange }: { series: Series | undefined; brushable: boolean; onRange: Props['onRange'] }) {
  const svg = useRef<SVGSVGElement>(null);
  const [brush, setBrush] = useState<[number, number] | null>(null);
  const WIDTH = useWidth(svg);
  const bars = series?.bars ?? [];
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const step = bars.length ? plotWidth / bars.length : plotWidth;
  const gap = step > 4 ? 1 : 0;
  const toX = (clientX: number) => {
    const box = svg.current!.getBoundingClientRect();
    return Math.min(WIDTH - PLOT.right, Math.max(PLOT.left, ((clientX - box.left) / box.width) * WIDTH));
  };
  const barAt = (x: number) => bars[Math.min(bars.length - 1, Math.max(0, Math.floor((x - PLOT.left) / step)))];

  const onDown = (event: PointerEvent) => {
    if (!brushable || !bars.length) return;
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    const x = toX(event.clientX);
    setBrush([x, x]);
  };
  const onMove = (event: PointerEvent) => brush && setBrush([brush[0], toX(event.clientX)]);
  const onUp = () => {
    if (!brush) return;
    setBrush(null);
    const first = barAt(Math.min(...brush));
    const last = barAt(Math.max(...brush));
    if (first?.range && last?.range) onRange(first.range[0], last.range[1]);
  };

  // A date label takes about 75 px: as many as fit.
  const ticks = tickIndexes(bars.length, Math.max(2, Math.min(5, Math.floor(plotWidth / 75))));
  return html`
    <svg
      ref=${svg}
      data-testid="chart"
      data-bucket=${series?.bucket}
      class=${brushable ? 'chart brushable' : 'chart'}
      viewBox=${`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label=${series ? `Bar chart of row counts by ${series.bucket}, highest ${formatCount(max)}` : 'Bar chart of row counts'}
      onPointerDown=${onDown}
      onPointerMove=${onMove}
      onPointerUp=${onUp}
      onPointerCancel=${() => setBrush(null)}
    >
      <line class="axis" x1=${PLOT.left} x2=${WIDTH - PLOT.right} y1=${HEIGHT - PLOT.bottom} y2=${HEIGHT - PLOT.bottom} />
      <text class="tick" x=${PLOT.left - 6} y=${PLOT.top + 8} text-anchor="end">${formatAxisCount(max)}</text>
      <text class="tick" x=${PLOT.left - 6} y=${HEIGHT - PLOT.bottom} text-anchor="end">0</text>
      ${bars.map((bar, index) => {
        const height = (bar.count / max) * plotHeight;
        return html`<rect
          class="bar"
          data-period=${bar.key}
          data-count=${bar.count}
          x=${(PLOT.left + index * step + gap / 2).toFixed(1)}
          y=${(HEIGHT - PLOT.bottom - height).toFixed(1)}
          width=${Math.max(0.5, step - gap).toFixed(1)}
          height=${height.toFixed(1)}
        ><title>${bar.label}: ${formatCount(bar.count)}</title></rect>`;
      })}
      ${ticks.map(
        (index) => html`<text
          class="tick"
          x=${(PLOT.left + (index + 0.5) * step).toFixed(1)}
          y=${HEIGHT - 8}
          text-anchor=${bars.length > 7 && index === bars.length - 1 ? 'end' : bars.length > 7 && index === 0 ? 'start' : 'middle'}
        >
          ${bars[index]!.label}
        </text>`,
      )}
      ${brush &&
      html`<rect class="brush" x=${Math.min(...brush)} y=${PLOT.top} width=${Math.abs(brush[1] - brush[0])} height=${plotHeight} />`}
    </svg>
  `;
}

/** Every bar when few (weekdays, or short labels), else `most` evenly spread, first and last included. */
function tickIndexes(count: number, most: number): number[] {
  if (count <= 7) return Array.from({ length: count }, (_, index) => index);
  const every = (count - 1) / (most - 1);
  return Array.from({ length: most }, (_, tick) => Math.round(tick * every));
}


/** The element's width in CSS pixels, following resizes. */
function useWidth(ref: MutableRef<SVGSVGElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => {
      const measured = Math.round(element.getBoundingClientRect().width);
      if (measured > 0) setWidth(measured);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return width;
}
