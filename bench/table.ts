import type { HandlerCostReport } from './micro/handler-cost.ts';
import type { PartsReport } from './micro/parts.ts';
import type { PeerSummary } from './peers/summary.ts';
import type { Spread } from './stats.ts';
import type { AbSummary, SoakSummary, Target, VariantSummary } from './summary.ts';

/** Plain-text tables for the terminal, also pasted into the README as Markdown. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** `median (min-max)`, or just the median when there was one repetition. */
function withSpread(s: Spread | undefined, digits: number): string {
  if (s === undefined) return '-';
  if (s.min === s.max) return fixed(s.median, digits);
  return `${fixed(s.median, digits)} (${fixed(s.min, digits)}-${fixed(s.max, digits)})`;
}

export function variantTable(variants: readonly VariantSummary[]): string {
  return markdownTable(
    ['variant', 'req/s', 'p50 ms', 'p99 ms', 'CPU us/req', 'heap MiB before -> after', 'req/s vs ref', '+CPU us/req vs ref'],
    variants.map((v) => [
      `(${v.label}) ${v.id}`,
      withSpread(v.requestsPerSecond, 0),
      fixed(v.p50Ms.median, 2),
      fixed(v.p99Ms.median, 2),
      withSpread(v.cpuUsPerRequest, 0),
      `${fixed(v.heapBeforeMiB.median, 1)} -> ${fixed(v.heapAfterMiB.median, 1)}`,
      v.reference === undefined ? '-' : `${withSpread(v.throughputVsReference, 3)}${v.reference === 'fetch' ? '' : ` vs ${v.reference}`}`,
      v.reference === undefined ? '-' : withSpread(v.addedCpuUsVsReference, 1),
    ]),
  );
}

export function handlerCostTable(report: HandlerCostReport): string {
  const undiciHeaders = report.cases.find((c) => c.id === 'undici-headers')?.addedCpuUs;
  return markdownTable(
    ['network-free, one whole request', 'added CPU us', 'vs undici + headers', 'per round (us, incl. baseline)'],
    report.cases.map((c) => [
      `${c.id}: ${c.description}`,
      fixed(c.addedCpuUs, 2),
      undiciHeaders && c.id !== 'baseline' ? fixed(c.addedCpuUs / undiciHeaders, 2) : '-',
      c.cpuUsPerRequest.map((v) => v.toFixed(2)).join(' '),
    ]),
  );
}

export function bodyReadingTable(report: HandlerCostReport): string {
  return markdownTable(
    ['network-free, response body', 'body reading adds (us)', 'per', 'of which the SDK (floor)', 'ours per call (us)', 'undici + headers per call (us)'],
    report.bodyReading.map((b) => [
      `${b.id}: ${b.description}`,
      fixed(b.oursUs, 2),
      b.per,
      b.floorUs === undefined ? '-' : fixed(b.floorUs, 2),
      fixed(b.oursCallUs, 1),
      b.undiciHeadersCallUs === undefined ? '-' : fixed(b.undiciHeadersCallUs, 1),
    ]),
  );
}

export function partsTable(report: PartsReport): string {
  return markdownTable(
    ['hot-path part', 'median us', 'mean us'],
    report.parts.map((p) => [`${p.id}: ${p.description}`, fixed(p.p50Us, 3), fixed(p.meanUs, 3)]),
  );
}

export function abTable(ab: readonly AbSummary[]): string {
  return markdownTable(
    ['ON/OFF in one process', 'blocks x requests', 'req/s ON/OFF', 'per pair', '+CPU us/req per pair'],
    ab.map((a) => [
      a.variant,
      `${a.blocks} x ${a.requestsPerBlock}`,
      fixed(a.throughputRatio, 3),
      withSpread(a.pairRatios, 3),
      withSpread(a.addedCpuUs, 1),
    ]),
  );
}

export function soakLine(soak: SoakSummary): string {
  const points = soak.checkpoints.map((c) => `${c.requests}: ${c.heapMiB.toFixed(2)}`).join(', ');
  return `heap after GC (MiB) by requests done, ${soak.variant}: ${points}; slope ${soak.bytesPerRequest.toFixed(2)} bytes/request`;
}

export function targetTable(targets: readonly Target[]): string {
  return markdownTable(
    ['target', 'measured', 'limit', 'result'],
    targets.map((t) => [t.description, fixed(t.value, ['handler-cpu', 'throughput', 'body-flat-past-cap'].includes(t.id) ? 3 : 2), `${t.comparison} ${t.limit}`, t.met ? 'met' : 'MISSED']),
  );
}

/** The end-to-end comparison: CPU per call through the openai SDK, and what each variant adds to its bare run. */
export function peersTable(peers: readonly PeerSummary[]): string {
  const cells = (p: PeerSummary, workload: 'chat' | 'stream'): string[] => {
    const w = p.workloads[workload];
    return [
      `${fixed(w.cpu.median, 0)} ±${fixed(w.roundSpreadPct / 2, 0)}%`,
      w.added === undefined ? '-' : `${w.added.median >= 0 ? '+' : ''}${withSpread(w.added, 0)}`,
      w.vsOurs === undefined ? '-' : `${fixed(w.vsOurs, 2)}x`,
    ];
  };
  return markdownTable(
    ['client process CPU per call, us (median of rounds)', 'chat', 'added', 'vs ours', 'streamed chat', 'added', 'vs ours'],
    peers.map((p) => [p.label, ...cells(p, 'chat'), ...cells(p, 'stream')]),
  );
}
