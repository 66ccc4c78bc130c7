import { Resvg } from '@resvg/resvg-js';
import type { BenchReport } from './bench-report';

/** One colour per scenario, the same in every panel. */
const COLOURS: Record<string, string> = {
  baseline: '#7f7f7f',
  read: '#1f77b4',
  duplicate: '#2ca02c',
  'duplicate-db': '#9467bd',
  create: '#d62728',
  storm: '#ff7f0e',
  'raw-sql': '#8c564b',
};
const FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"';

interface Panel {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Scale = (value: number) => number;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const text = (x: number, y: number, content: string, extra = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${FONT} ${extra.includes('font-size') ? '' : 'font-size="12"'} ${extra}>${escape(content)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, style: string) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${style}/>`;

/** A log scale over [min, max] onto the panel's height, ticks at 1-2-5 steps. */
function logScale(panel: Panel, values: number[]): { scale: Scale; ticks: number[] } {
  const positive = values.filter((value) => value > 0);
  const low = 10 ** Math.floor(Math.log10(Math.min(...positive, 1)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...positive, 1)));
  const scale: Scale = (value) =>
    panel.y +
    panel.height -
    ((Math.log10(Math.max(value, low)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * panel.height;
  const ticks: number[] = [];
  for (let decade = low; decade <= high; decade *= 10)
    for (const step of [1, 2, 5]) if (decade * step <= high) ticks.push(decade * step);
  return { scale, ticks };
}

function linearScale(panel: Panel, values: number[]): { scale: Scale; ticks: number[] } {
  const max = Math.max(...values, 1);
  const step =
    10 ** Math.floor(Math.log10(max)) *
    (max / 10 ** Math.floor(Math.log10(max)) > 5 ? 2 : max / 10 ** Math.floor(Math.log10(max)) > 2 ? 1 : 0.5);
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  return { scale: (value) => panel.y + panel.height - (value / top) * panel.height, ticks };
}

function frame(panel: Panel, title: string, yLabel: string, ticks: number[], scale: Scale): string[] {
  const parts = [text(panel.x, panel.y - 14, title, 'font-size="15" font-weight="bold"')];
  for (const tick of ticks) {
    const y = scale(tick);
    parts.push(
      line(panel.x, y, panel.x + panel.width, y, 'stroke="#e3e3e3"'),
      text(panel.x - 8, y + 4, formatTick(tick), 'text-anchor="end"'),
    );
  }
  parts.push(
    line(panel.x, panel.y, panel.x, panel.y + panel.height, 'stroke="#333"'),
    line(panel.x, panel.y + panel.height, panel.x + panel.width, panel.y + panel.height, 'stroke="#333"'),
  );
  parts.push(
    text(
      panel.x - 52,
      panel.y + panel.height / 2,
      yLabel,
      `transform="rotate(-90 ${panel.x - 52} ${panel.y + panel.height / 2})" text-anchor="middle"`,
    ),
  );
  return parts;
}

function formatTick(value: number): string {
  if (value >= 1000) return `${value / 1000}k`;
  return value >= 1 ? String(value) : value.toPrecision(1);
}

/** Lines over the closed-loop concurrencies, one per scenario (and a dashed twin when `dashed` is given). */
function closedLoopPanel(
  report: BenchReport,
  panel: Panel,
  title: string,
  yLabel: string,
  figures: {
    pick: (
      point: BenchReport['scenarios'][keyof BenchReport['scenarios']] & object,
      connections: string,
    ) => number | undefined;
    dash?: string;
  }[],
  log: boolean,
): string[] {
  const connections = [...new Set([...report.settings.connections, report.settings.stormConnections])]
    .sort((a, b) => a - b)
    .map(String);
  const xOf = (key: string) => panel.x + ((connections.indexOf(key) + 0.5) / connections.length) * panel.width;
  const series: { scenario: string; dash?: string; points: [number, number][] }[] = [];
  for (const [scenario, result] of Object.entries(report.scenarios)) {
    for (const figure of figures) {
      const points = connections.flatMap((key): [number, number][] => {
        const value = figure.pick(result, key);
        return value === undefined ? [] : [[xOf(key), value]];
      });
      series.push({ scenario, dash: figure.dash, points });
    }
  }
  const values = series.flatMap((entry) => entry.points.map(([, value]) => value));
  const { scale, ticks } = log ? logScale(panel, values) : linearScale(panel, values);
  const parts = frame(panel, title, yLabel, ticks, scale);
  for (const key of connections)
    parts.push(text(xOf(key), panel.y + panel.height + 18, `${key} conn`, 'text-anchor="middle"'));
  for (const entry of series) {
    const colour = COLOURS[entry.scenario] ?? '#000';
    const path = entry.points
      .map(([x, value], index) => `${index ? 'L' : 'M'}${x.toFixed(1)},${scale(value).toFixed(1)}`)
      .join(' ');
    if (entry.points.length > 1)
      parts.push(
        `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2" ${entry.dash ? `stroke-dasharray="${entry.dash}"` : ''}/>`,
      );
    for (const [x, value] of entry.points)
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${scale(value).toFixed(1)}" r="3.5" fill="${colour}"/>`);
  }
  return parts;
}

/** Grouped bars: p50, p95, p99 of each scenario's open-loop run. */
function openLoopPanel(report: BenchReport, panel: Panel): string[] {
  const runs = Object.entries(report.scenarios).flatMap(([scenario, result]) =>
    Object.entries(result.openLoop).map(([rate, run]) => [`${scenario} ${rate}/s`, scenario, run] as const),
  );
  const percentiles = ['p50', 'p95', 'p99'] as const;
  const { scale, ticks } = logScale(
    panel,
    runs.flatMap(([, , run]) => percentiles.map((p) => run.latencyMs[p])),
  );
  const parts = frame(
    panel,
    `Open loop at ${report.settings.openLoopRates.join(' and ')} req/s: latency from scheduled send (ms, log)`,
    'ms',
    ticks,
    scale,
  );
  const groupWidth = panel.width / Math.max(runs.length, 1);
  const barWidth = (groupWidth * 0.7) / percentiles.length;
  runs.forEach(([label, scenario, run], group) => {
    const colour = COLOURS[scenario] ?? '#000';
    percentiles.forEach((percentile, index) => {
      const x = panel.x + group * groupWidth + groupWidth * 0.15 + index * barWidth;
      const y = scale(run.latencyMs[percentile]);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(panel.y + panel.height - y).toFixed(1)}" fill="${colour}" fill-opacity="${0.45 + index * 0.25}"/>`,
      );
      parts.push(
        text(x + barWidth / 2 - 1, y - 4, run.latencyMs[percentile].toFixed(1), 'font-size="10" text-anchor="middle"'),
      );
    });
    parts.push(
      text(
        panel.x + (group + 0.5) * groupWidth,
        panel.y + panel.height + 18,
        label,
        'text-anchor="middle" font-size="10"',
      ),
    );
    parts.push(
      text(
        panel.x + (group + 0.5) * groupWidth,
        panel.y + panel.height + 32,
        `${run.throughputPerSec.toFixed(0)}/s done`,
        'text-anchor="middle" font-size="10"',
      ),
    );
  });
  parts.push(
    text(panel.x + panel.width, panel.y - 14, 'bars: p50, p95, p99 (light → dark)', 'text-anchor="end" font-size="11"'),
  );
  return parts;
}

function legend(report: BenchReport, x: number, y: number): string[] {
  const parts = Object.keys(report.scenarios).flatMap((scenario, index) => [
    `<rect x="${x + index * 150}" y="${y - 10}" width="14" height="14" fill="${COLOURS[scenario] ?? '#000'}"/>`,
    text(x + index * 150 + 20, y + 2, scenario, 'font-size="13"'),
  ]);
  parts.push(
    text(
      x,
      y + 24,
      'Latency panel: solid = p50, dashed = p99. Storm runs at its own connection count only.',
      'font-size="12" fill="#444"',
    ),
  );
  return parts;
}

/** The chart as SVG: throughput and latency by concurrency, and the open-loop percentiles. */
export function renderChartSvg(report: BenchReport): string {
  const width = 1400;
  const height = 980;
  const parts = [
    `<rect width="${width}" height="${height}" fill="white"/>`,
    text(
      40,
      34,
      `Order Gate benchmark — ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.machine.cpus} cores, load average ${report.machine.loadAverageAtStart[0]} at start`,
      'font-size="18" font-weight="bold"',
    ),
    ...legend(report, 40, 66),
    ...closedLoopPanel(
      report,
      { x: 90, y: 130, width: 560, height: 330 },
      'Closed loop: throughput (req/s)',
      'req/s',
      [{ pick: (result, key) => result.closedLoop[key]?.throughputPerSec }],
      false,
    ),
    ...closedLoopPanel(
      report,
      { x: 800, y: 130, width: 560, height: 330 },
      'Closed loop: latency p50 and p99 (ms, log)',
      'ms',
      [
        { pick: (result, key) => result.closedLoop[key]?.latencyMs.p50 },
        { pick: (result, key) => result.closedLoop[key]?.latencyMs.p99, dash: '6 4' },
      ],
      true,
    ),
    ...openLoopPanel(report, { x: 90, y: 560, width: 1270, height: 360 }),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join('\n')}\n</svg>\n`;
}

/** The chart as PNG, rendered by resvg (no browser). */
export function renderChartPng(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' })
    .render()
    .asPng();
}
