/**
 * A hand-made SVG plot: the cumulative distribution of one or more series of latencies on a log
 * time axis, with vertical marks for the targets. No dependency, readable in any browser.
 */

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface Mark {
  readonly at: number;
  readonly label: string;
}

const W = 760;
const PLOT_H = 320;
const PAD = { left: 64, right: 24, top: 44, bottom: 56 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pct(sorted: readonly number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!);
}

export function cdfSvg(options: { title: string; unit: string; series: readonly Series[]; marks: readonly Mark[] }): string {
  const all = options.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  const lo = 1;
  const hiData = Math.max(10, ...all, ...options.marks.map((m) => m.at));
  const hi = 10 ** Math.ceil(Math.log10(hiData));
  const plotW = W - PAD.left - PAD.right;
  const plotH = PLOT_H;
  // The legend goes under the axis title, one line per series.
  const H = PAD.top + plotH + PAD.bottom + 18 * options.series.length + 8;
  const x = (v: number) => PAD.left + (Math.log10(Math.min(hi, Math.max(lo, v))) / Math.log10(hi)) * plotW;
  const y = (p: number) => PAD.top + (1 - p) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escape(options.title)}</text>`,
  ];
  for (let decade = 0; 10 ** decade <= hi; decade++) {
    const v = 10 ** decade;
    out.push(`<line x1="${x(v)}" y1="${PAD.top}" x2="${x(v)}" y2="${PAD.top + plotH}" stroke="#ddd"/>`);
    out.push(`<text x="${x(v)}" y="${PAD.top + plotH + 18}" text-anchor="middle">${v >= 1000 ? `${v / 1000} s` : `${v} ${options.unit}`}</text>`);
  }
  for (const p of [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    out.push(`<line x1="${PAD.left}" y1="${y(p)}" x2="${PAD.left + plotW}" y2="${y(p)}" stroke="${p === 0.99 ? '#ccc' : '#eee'}"/>`);
    // 99% sits too close to 100% for a label of its own: it shares one with it.
    if (p === 0.99) continue;
    out.push(`<text x="${PAD.left - 8}" y="${y(p) + 4}" text-anchor="end">${p === 1 ? '99–100%' : `${Math.round(p * 100)}%`}</text>`);
  }
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH + 40}" text-anchor="middle">lateness after the due time (log scale; values under 1 ${options.unit} drawn at 1)</text>`);
  out.push(`<text x="16" y="${PAD.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${PAD.top + plotH / 2})">share of jobs</text>`);
  options.marks.forEach((mark, index) => {
    out.push(`<line x1="${x(mark.at)}" y1="${PAD.top}" x2="${x(mark.at)}" y2="${PAD.top + plotH}" stroke="#c33" stroke-dasharray="4 3"/>`);
    const nearRight = x(mark.at) > PAD.left + plotW - 90;
    out.push(
      `<text x="${x(mark.at) + (nearRight ? -3 : 3)}" y="${PAD.top + 12 + 13 * index}" text-anchor="${nearRight ? 'end' : 'start'}" fill="#c33" font-size="11">${escape(mark.label)}</text>`,
    );
  });
  options.series.forEach((series, index) => {
    const sorted = [...series.values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (sorted.length === 0) return;
    const points: string[] = [`${x(sorted[0]!)},${y(0)}`];
    sorted.forEach((v, i) => points.push(`${x(v).toFixed(1)},${y((i + 1) / sorted.length).toFixed(1)}`));
    // Thin the polyline to about one point per pixel column.
    const thinned = points.filter((_, i) => i === 0 || i === points.length - 1 || i % Math.max(1, Math.floor(points.length / 1500)) === 0);
    out.push(`<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${thinned.join(' ')}"/>`);
    const ly = PAD.top + plotH + PAD.bottom + 4 + index * 18;
    out.push(`<line x1="${PAD.left}" y1="${ly}" x2="${PAD.left + 24}" y2="${ly}" stroke="${series.color}" stroke-width="2"/>`);
    out.push(`<text x="${PAD.left + 30}" y="${ly + 4}">${escape(series.label)} (${sorted.length} jobs, p50 ${pct(sorted, 0.5)} ${options.unit}, p99 ${pct(sorted, 0.99)} ${options.unit}, max ${Math.round(sorted[sorted.length - 1]!)} ${options.unit})</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
