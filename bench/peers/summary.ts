import { median, spread, type Spread } from '../stats.ts';
import type { PeerRunReport } from './child.ts';
import { PEER_VARIANTS, referenceOf, WORKLOADS, type PeerVariant, type Workload } from './variants.ts';

export interface PeerWorkloadSummary {
  /** Process CPU per call of each run (microseconds), in run order; a reference runs once per variant of its major. */
  cpuUsPerCall: number[];
  cpu: Spread;
  /** Per round: this variant's CPU per call minus its reference run's beside it; absent for a reference. */
  added: Spread | undefined;
  /** Median added CPU over ours' on the same `openai` major; absent for references and for ours. */
  vsOurs: number | undefined;
  /** (max - min) / median of the CPU per call over rounds: how much the machine moved it. */
  roundSpreadPct: number;
  errors: number;
}

export interface PeerSummary {
  id: string;
  /** The table's name for it, with the versions that ran. */
  label: string;
  description: string;
  reference: string | undefined;
  versions: Record<string, string>;
  workloads: Record<Workload, PeerWorkloadSummary>;
  spans: number;
  metricDataPoints: number;
  logRecords: number;
}

/** `rounds[r]` holds every variant's report of round r. */
export function summarizePeers(rounds: ReadonlyArray<readonly PeerRunReport[]>, ids: readonly string[]): PeerSummary[] {
  const reportsOf = (id: string): PeerRunReport[] => rounds.flatMap((round) => round.filter((r) => r.variant === id));
  const cpuSeries = (id: string, workload: Workload): number[] => reportsOf(id).map((r) => r.load[workload].cpuUsPerRequest);
  /** Per round: the variant's CPU per call minus that of the reference run beside it. */
  const addedSeries = (variant: PeerVariant, workload: Workload): number[] | undefined => {
    const reference = referenceOf(variant);
    if (reference.id === variant.id || !ids.includes(reference.id)) return undefined;
    return rounds.flatMap((round) => {
      const mine = round.find((r) => r.variant === variant.id);
      const theirs = round.find((r) => r.variant === reference.id && r.pairedWith === variant.id) ?? round.find((r) => r.variant === reference.id);
      return mine === undefined || theirs === undefined ? [] : [mine.load[workload].cpuUsPerRequest - theirs.load[workload].cpuUsPerRequest];
    });
  };
  const variants = PEER_VARIANTS.filter((v) => ids.includes(v.id));
  return variants.map((variant) => {
    const reports = reportsOf(variant.id);
    const reference = referenceOf(variant);
    const workloads = Object.fromEntries(
      WORKLOADS.map((workload): [Workload, PeerWorkloadSummary] => {
        const cpu = cpuSeries(variant.id, workload);
        const added = addedSeries(variant, workload);
        const ours = variants.find((v) => v.major === variant.major && v.instrumenting === 'ours');
        const oursAdded = ours === undefined ? undefined : addedSeries(ours, workload);
        const cpuSpread = spread(cpu);
        return [
          workload,
          {
            cpuUsPerCall: cpu,
            cpu: cpuSpread,
            added: added === undefined || added.length === 0 ? undefined : spread(added),
            vsOurs:
              added === undefined || oursAdded === undefined || ours === variant || added.length === 0
                ? undefined
                : median(added) / median(oursAdded),
            roundSpreadPct: ((cpuSpread.max - cpuSpread.min) / cpuSpread.median) * 100,
            errors: reports.reduce((n, r) => n + r.load[workload].errors, 0),
          },
        ];
      }),
    ) as Record<Workload, PeerWorkloadSummary>;
    const versions = reports[0]?.versions ?? {};
    const named = variant.packageName === undefined ? variant.name : variant.name.replace(variant.packageName, `${variant.packageName} ${versions[variant.packageName] ?? '?'}`);
    return {
      id: variant.id,
      label: `${named} (openai ${versions['openai'] ?? variant.major})`,
      description: variant.description,
      reference: reference.id === variant.id ? undefined : reference.id,
      versions,
      workloads,
      spans: reports.reduce((n, r) => n + r.counts.spans, 0),
      metricDataPoints: reports.reduce((n, r) => n + r.counts.metricDataPoints, 0),
      logRecords: reports.reduce((n, r) => n + r.counts.logRecords, 0),
    };
  });
}
