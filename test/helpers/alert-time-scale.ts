import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';

/**
 * Runs alert rules on a compressed clock. A test that shortens the simulator's window by
 * `factor` (60 s -> 15 s for 4) shortens every duration in the rules by the same factor, so the
 * rules see the same shapes as in real time: range selectors (`[1m]`), `offset`, `for`, and the
 * forecast rules' horizon in seconds (`) < 120`). Ratios (`< 0.10`, `< 0.5`) stay as they are.
 * For tests only: the shipped file is never changed.
 */
export async function scaledRulesYaml(file: string, factor: number): Promise<string> {
  if (!(factor >= 1)) throw new RangeError(`time scale must be >= 1, got ${factor}`);
  const doc = parse(await readFile(file, 'utf8')) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      let expr = String(rule['expr']);
      expr = expr.replace(/\[(\d+)([smh])\]/g, (_m, n: string, unit: string) => `[${scaledMs(Number(n), unit, factor)}ms]`);
      expr = expr.replace(/\boffset (\d+)([smh])\b/g, (_m, n: string, unit: string) => `offset ${scaledMs(Number(n), unit, factor)}ms`);
      if (/RunningOut$/.test(String(rule['alert']))) {
        const horizon = /\)\s*<\s*(\d+(?:\.\d+)?)\s*$/.exec(expr);
        if (!horizon?.[1]) throw new Error(`${String(rule['alert'])}: no horizon in seconds at the end of its expression`);
        expr = `${expr.slice(0, horizon.index)}) < ${Number(horizon[1]) / factor}\n`;
      }
      rule['expr'] = expr;
      if (typeof rule['for'] === 'string') {
        const m = /^(\d+)([smh])$/.exec(rule['for']);
        if (!m?.[1] || !m[2]) throw new Error(`unexpected for: ${rule['for']}`);
        rule['for'] = `${scaledMs(Number(m[1]), m[2], factor)}ms`;
      }
    }
  }
  return stringify(doc);
}

function scaledMs(n: number, unit: string, factor: number): number {
  const ms = n * { s: 1_000, m: 60_000, h: 3_600_000 }[unit as 's' | 'm' | 'h'];
  return Math.round(ms / factor);
}
