import { formatDifference, formatEstimate, formatPercent } from '../report/format';
import { TimelinePoint, VerdictStatus } from '../report/report-model';
import { OneSided } from '../statistics/canonical-test';
import { MetricKind } from '../statistics/sufficient-stats';

/** Inline SVG charts: no library, no script, each with a title and a description for screen readers. */

export const STATUS_COLOURS: Record<VerdictStatus, string> = {
  win: '#1a7f37',
  loss: '#cf222e',
  inconclusive: '#57606a',
  'not-enough-data': '#8c959f',
};

export const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}

/** A padded domain around the finite values, always including 0. */
function domain(values: Array<number | null>): [number, number] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const pad = (hi - lo || 0.1) * 0.08;
  return [lo - pad, hi + pad];
}

const tickLabel = (v: number, scale: 'relative' | 'absolute', kind: MetricKind) =>
  scale === 'relative' ? formatPercent(v, 0) : formatDifference(v, kind);

export interface LiftRow {
  label: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
  status: VerdictStatus;
}

/**
 * One row per comparison: the relative lift's interval as a bar, its estimate as a dot, 0 as a reference line. A
 * one-sided interval (one bound only) runs to the chart's edge on its open side and ends there in an arrow.
 */
export function liftIntervalChart(id: string, title: string, description: string, rows: LiftRow[]): string {
  const width = 760;
  const left = 270;
  const right = 110;
  const rowHeight = 34;
  const top = 16;
  const height = top + rows.length * rowHeight + 36;
  const [lo, hi] = domain(rows.flatMap((r) => [r.lower, r.upper, r.estimate]));
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * (width - left - right);
  const clamp = (v: number | null, edge: number) => (v === null ? edge : Math.min(hi, Math.max(lo, v)));
  const parts = [
    `<svg id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const axisY = top + rows.length * rowHeight;
  for (const t of ticks(lo, hi)) {
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${axisY}" stroke="${t === 0 ? '#57606a' : '#d0d7de'}" stroke-width="${t === 0 ? 1.5 : 1}"/>`,
      `<text x="${x(t)}" y="${axisY + 18}" text-anchor="middle" font-size="12" fill="#57606a">${escapeXml(tickLabel(t, 'relative', 'rate'))}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const colour = STATUS_COLOURS[r.status];
    const dash = r.status === 'not-enough-data' ? ' stroke-dasharray="5 4"' : '';
    parts.push(
      `<text x="${left - 12}" y="${y + 4}" text-anchor="end" font-size="13" fill="#1f2328">${escapeXml(r.label)}</text>`,
      `<line x1="${x(clamp(r.lower, lo))}" x2="${x(clamp(r.upper, hi))}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="6" stroke-linecap="round"${dash}/>`,
      ...[r.lower === null && r.upper !== null ? -1 : 0, r.upper === null && r.lower !== null ? 1 : 0]
        .filter((side) => side !== 0)
        .map((side) => {
          const tip = x(side < 0 ? lo : hi);
          const base = tip - side * 10;
          return `<polygon class="open-end" points="${tip},${y} ${base},${y - 7} ${base},${y + 7}" fill="${colour}"/>`;
        }),
      `<circle cx="${x(Math.min(hi, Math.max(lo, r.estimate)))}" cy="${y}" r="6" fill="#ffffff" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${width - right + 10}" y="${y + 4}" font-size="13" fill="#1f2328">${escapeXml(formatPercent(r.estimate))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * Cumulative lift per day: the estimate as a line over its interval as a band, with 0 as a reference line. A
 * one-sided interval's band runs from its bound to the chart's edge on the open side.
 */
export function timelineChart(
  id: string,
  title: string,
  points: TimelinePoint[],
  scale: 'relative' | 'absolute',
  kind: MetricKind,
  oneSided: OneSided | null = null,
): string {
  const width = 760;
  const height = 240;
  const pad = { left: 64, right: 20, top: 16, bottom: 40 };
  // The first days' intervals are very wide; scaling to them would flatten the rest, so they are clipped at the edge.
  const settled = points.slice(Math.floor(points.length / 4));
  const [lo, hi] = domain(settled.flatMap((p) => [p.lower, p.upper, p.estimate]));
  const x = (i: number) =>
    pad.left + (points.length <= 1 ? 0.5 : i / (points.length - 1)) * (width - pad.left - pad.right);
  const y = (v: number) =>
    pad.top + ((hi - Math.min(hi, Math.max(lo, v))) / (hi - lo)) * (height - pad.top - pad.bottom);
  const shown = points.map((p, i) => ({ p, i })).filter(({ p }) => p.estimate !== null);
  const open = (p: TimelinePoint) => ({
    lower: p.lower ?? (oneSided === 'less' && p.upper !== null ? lo : null),
    upper: p.upper ?? (oneSided === 'greater' && p.lower !== null ? hi : null),
  });
  const banded = shown.filter(({ p }) => open(p).lower !== null && open(p).upper !== null);
  const last = shown[shown.length - 1]?.p;
  const description = last
    ? `On ${last.day}, after ${last.controlN + last.treatmentN} users: ${formatEstimate({ estimate: last.estimate!, lower: last.lower, upper: last.upper }, scale, kind, null, oneSided)}. The table below the chart lists every day.`
    : 'No comparison is possible yet.';
  const parts = [
    `<svg id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  for (const t of ticks(lo, hi)) {
    parts.push(
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t)}" y2="${y(t)}" stroke="${t === 0 ? '#57606a' : '#d0d7de'}" stroke-width="${t === 0 ? 1.5 : 1}"/>`,
      `<text x="${pad.left - 8}" y="${y(t) + 4}" text-anchor="end" font-size="12" fill="#57606a">${escapeXml(tickLabel(t, scale, kind))}</text>`,
    );
  }
  if (banded.length > 1) {
    const upper = banded.map(({ p, i }) => `${x(i)},${y(open(p).upper!)}`);
    const lower = banded.map(({ p, i }) => `${x(i)},${y(open(p).lower!)}`).reverse();
    parts.push(
      `<polygon points="${[...upper, ...lower].join(' ')}" fill="#0969da" fill-opacity="0.15" stroke="none"/>`,
    );
  }
  if (shown.length > 0) {
    parts.push(
      `<polyline points="${shown.map(({ p, i }) => `${x(i)},${y(p.estimate!)}`).join(' ')}" fill="none" stroke="#0969da" stroke-width="2.5"/>`,
      ...shown.map(({ p, i }) => `<circle cx="${x(i)}" cy="${y(p.estimate!)}" r="3" fill="#0969da"/>`),
    );
  }
  if (points.length > 0) {
    parts.push(
      `<text x="${x(0)}" y="${height - 12}" text-anchor="start" font-size="12" fill="#57606a">${escapeXml(points[0].day)}</text>`,
      `<text x="${x(points.length - 1)}" y="${height - 12}" text-anchor="end" font-size="12" fill="#57606a">${escapeXml(points[points.length - 1].day)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
