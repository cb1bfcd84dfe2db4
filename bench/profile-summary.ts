/**
 * `node bench/profile-summary.ts file.cpuprofile [top] [within]`: self and inclusive share of
 * the samples per function from a `--cpu-prof` profile, to see where the hot path spends. With `within` (a
 * function name, e.g. `publishRequest`), only samples under that function count, so the
 * harness around the code under test drops out of the percentages.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, within] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/profile-summary.ts file.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
const isWithin = (id: number): boolean => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    if (byId.get(at)!.callFrame.functionName === within) return true;
  }
  return false;
};
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  if (within !== undefined && !isWithin(id)) continue;
  // Each sample counts once: its time delta is wall-clock, and on a loaded machine a few
  // samples taken after the thread was descheduled would carry seconds and swamp the rest.
  self.set(id, (self.get(id) ?? 0) + 1);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const name = (n: ProfileNode): string => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '');
  return `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const selfByName = new Map<string, number>();
const inclusiveByName = new Map<string, number>();
for (const [id, t] of self) {
  const node = byId.get(id)!;
  selfByName.set(name(node), (selfByName.get(name(node)) ?? 0) + t);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const k = name(byId.get(at)!);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusiveByName.set(k, (inclusiveByName.get(k) ?? 0) + t);
  }
}
const top = Number(topArg ?? 40);
const pct = (t: number): string => ((100 * t) / total).toFixed(1).padStart(5) + '%';
console.log('self time:');
for (const [k, t] of [...selfByName].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
console.log('\ninclusive time:');
for (const [k, t] of [...inclusiveByName].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);

/** Where the time goes by origin: this package's sources, each @opentelemetry package, Node, the bench. */
const origin = (n: ProfileNode): string => {
  const url = n.callFrame.url;
  const otel = /node_modules\/(@opentelemetry\/[^/]+)/.exec(url);
  if (otel) return otel[1]!;
  if (/\/(src|dist)\//.test(url) && !url.includes('node_modules')) return 'this package';
  if (url.includes('/bench/')) return 'bench harness';
  return url === '' || url.startsWith('node:') ? 'node / V8 (natives, GC)' : url.replace(/^.*node_modules\//, '');
};
const byOrigin = new Map<string, number>();
for (const [id, t] of self) {
  const k = origin(byId.get(id)!);
  byOrigin.set(k, (byOrigin.get(k) ?? 0) + t);
}
console.log('\nself time by origin:');
for (const [k, t] of [...byOrigin].sort((a, b) => b[1] - a[1])) console.log(pct(t), k);
