import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { assertFound, requireTool } from '../helpers/prometheus.ts';
import { collectorPrometheusName, INSTRUMENTS } from '../helpers/prometheus-names.ts';

const run = promisify(execFile);
const rulesFile = fileURLToPath(new URL('../../deploy/prometheus/alerts.yml', import.meta.url));
const rulesTests = fileURLToPath(new URL('../../deploy/prometheus/alerts.test.yml', import.meta.url));
const promtool = requireTool('promtool');

/** The documented metrics table, "Prometheus name (via the Collector)" column. */
const DOCUMENTED_PROMETHEUS_NAMES = [
  'openai_ratelimit_requests_remaining',
  'openai_ratelimit_requests_limit',
  'openai_ratelimit_tokens_remaining',
  'openai_ratelimit_tokens_limit',
  'openai_ratelimit_requests_reset_seconds',
  'openai_ratelimit_tokens_reset_seconds',
  'gen_ai_client_operation_duration_seconds',
  'openai_processing_duration_seconds',
  'gen_ai_client_token_usage',
  'gen_ai_client_operation_time_to_first_chunk_seconds',
];

interface RulesFile {
  groups: Array<{ rules: Array<{ alert?: string; expr: string; for?: string; labels?: Record<string, string> }> }>;
}

describe('shipped Prometheus alert rules (deploy/prometheus/alerts.yml)', () => {
  it.skipIf(promtool.skip)('pass promtool check rules', async () => {
    const { stdout } = await run(assertFound(promtool), ['check', 'rules', rulesFile]);
    expect(stdout).toContain('SUCCESS: 6 rules found');
  });

  it.skipIf(promtool.skip)('pass their promtool unit tests (alerts.test.yml)', async () => {
    const result = await run(assertFound(promtool), ['test', 'rules', rulesTests]).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`promtool test rules failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    expect(result.stdout).toContain('SUCCESS');
  });

  it('are the four documented alerts, with their severities, and the two forecasts', async () => {
    const rules = (parse(await readFile(rulesFile, 'utf8')) as RulesFile).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => [r.alert, r.for ?? null, r.labels?.['severity']])).toEqual([
      ['OpenAITokensRemainingLow', '1m', 'warning'],
      ['OpenAIRequestsRemainingLow', '1m', 'warning'],
      ['OpenAITokensRunningOut', '30s', 'warning'],
      ['OpenAIRequestsRunningOut', '30s', 'warning'],
      ['OpenAIRateLimited', null, 'critical'],
      ['OpenAIInsufficientQuota', null, 'critical'],
    ]);
  });

  it('page one cause once: the 429 rule leaves out what the insufficient_quota rule catches', async () => {
    const rules = (parse(await readFile(rulesFile, 'utf8')) as RulesFile).groups.flatMap((g) => g.rules);
    const selectors = (alert: string): string[] => rules.find((r) => r.alert === alert)?.expr.match(/gen_ai_client_operation_duration_seconds_count\{[^}]*\}/g) ?? [];
    expect(selectors('OpenAIRateLimited')).toHaveLength(3);
    for (const s of selectors('OpenAIRateLimited')) expect(s).toContain('openai_error_code!="insufficient_quota"');
    expect(selectors('OpenAIInsufficientQuota')).toHaveLength(3);
    for (const s of selectors('OpenAIInsufficientQuota')) expect(s).toContain('openai_error_code="insufficient_quota"');
  });

  it('use only the documented Prometheus names, which are the Collector names of the instruments in semconv.ts', async () => {
    const fromSemconv = INSTRUMENTS.map((i) => collectorPrometheusName(i.name, i.unit));
    // Every instrument's Collector name is one documented (readme-metrics.test.ts checks the reverse).
    for (const name of fromSemconv) expect(DOCUMENTED_PROMETHEUS_NAMES, name).toContain(name);
    const allowed = new Set(DOCUMENTED_PROMETHEUS_NAMES.flatMap((n) => [n, `${n}_bucket`, `${n}_count`, `${n}_sum`]));
    const rules = (parse(await readFile(rulesFile, 'utf8')) as RulesFile).groups.flatMap((g) => g.rules);
    // Identifiers in the expressions that are not label names are metric names.
    const labels = new Set(['gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_operation_name', 'openai_organization', 'openai_project', 'openai_error_code']);
    const metricNames = rules.flatMap((r) => r.expr.match(/\b(?:openai|gen_ai)_\w+/g) ?? []).filter((n) => !labels.has(n));
    expect(new Set(metricNames)).toEqual(
      new Set([
        'openai_ratelimit_tokens_remaining',
        'openai_ratelimit_tokens_limit',
        'openai_ratelimit_requests_remaining',
        'openai_ratelimit_requests_limit',
        'gen_ai_client_operation_duration_seconds_count',
      ]),
    );
    for (const name of metricNames) expect(allowed, name).toContain(name);
  });
});
