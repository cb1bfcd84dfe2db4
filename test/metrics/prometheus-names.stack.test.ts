import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { parse } from 'yaml';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';
import { assertFound, freePort, requireTool, startPrometheus, type PrometheusServer, type RelabelConfig } from '../helpers/prometheus.ts';
import { bridgeJsExporterToCollectorNames, collectorPrometheusName, INSTRUMENTS, jsExporterPrometheusName } from '../helpers/prometheus-names.ts';
import { bundledUndiciHasBodyChunks, publishesBodyChunksReceived } from '../helpers/runtime.ts';

const prometheusTool = requireTool('prometheus');
/** Token usage and time to first chunk come from the body: only where fetch hands its chunks over. */
const BODY_INSTRUMENTS = ['gen_ai.client.token.usage', 'gen_ai.client.operation.time_to_first_chunk'];
const bodyRead = await publishesBodyChunksReceived();
const SERVED = INSTRUMENTS.filter(({ name }) => bodyRead || !BODY_INSTRUMENTS.includes(name));

/** The `metric_relabel_configs` deploy/README.md tells users to add when scraping the JS exporter. */
async function readmeBridge(): Promise<RelabelConfig[]> {
  const readme = await readFile(new URL('../../deploy/README.md', import.meta.url), 'utf8');
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((y) => y.includes('metric_relabel_configs'));
  if (block === undefined) throw new Error('deploy/README.md has no yaml block with metric_relabel_configs');
  const config = parse(block) as { scrape_configs: Array<{ metric_relabel_configs: RelabelConfig[] }> };
  return config.scrape_configs[0]!.metric_relabel_configs;
}

describe.skipIf(prometheusTool.skip)('series names and labels as a real Prometheus scrapes them', () => {
  let sim: Simulator;
  let otel: TestOtel;
  let exporter: PrometheusExporter;
  let meterProvider: MeterProvider;
  let exporterPort: number;
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    assertFound(prometheusTool);
    sim = await startSimulator({ requestsPerWindow: 3 });
    otel = setupOtel({ endpoints: [sim.url] });
    exporterPort = await freePort();
    exporter = new PrometheusExporter({ port: exporterPort, host: '127.0.0.1' });
    await exporter.startServer();
    meterProvider = new MeterProvider({ readers: [exporter] });
    otel.instrumentation.setMeterProvider(meterProvider);
    const client = new OpenAI({ apiKey: 'sk-names', baseURL: sim.url, maxRetries: 0 });
    const chat = (): Promise<unknown> => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    for (let i = 0; i < 2; i++) await chat();
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    for await (const _ of stream) void _;
    await expect(chat()).rejects.toMatchObject({ status: 429 });
    await otel.waitForSpans(4);
    prometheus = await startPrometheus({
      scrapeJobs: [
        { job: 'app', targets: [`127.0.0.1:${exporterPort}`], metricRelabelConfigs: bridgeJsExporterToCollectorNames() },
        { job: 'readme', targets: [`127.0.0.1:${exporterPort}`], metricRelabelConfigs: await readmeBridge() },
      ],
    });
    await prometheus.waitForTargetsUp();
  });
  afterAll(async () => {
    await prometheus?.stop();
    await otel?.shutdown();
    await meterProvider?.shutdown();
    await sim?.close();
  });

  it('the JS Prometheus exporter serves names without unit suffixes (hence the bridge in test set-up)', async () => {
    const text = await (await fetch(`http://127.0.0.1:${exporterPort}/metrics`)).text();
    for (const { name, unit } of SERVED) {
      const served = jsExporterPrometheusName(name);
      expect(text, served).toMatch(new RegExp(`^# TYPE ${served} `, 'm'));
      if (unit === 's') expect(text).not.toContain(collectorPrometheusName(name, unit));
    }
  });

  it('after the bridge (the test set-up and the deploy/README.md snippet alike), Prometheus holds exactly the documented Collector names', async () => {
    const expected = SERVED.flatMap(({ name, unit, kind }) => {
      const n = collectorPrometheusName(name, unit);
      return kind === 'histogram' ? [`${n}_bucket`, `${n}_count`, `${n}_sum`] : [n];
    }).sort();
    for (const job of ['app', 'readme']) {
      const samples = await prometheus!.query(`count by (__name__) ({job="${job}", __name__=~"openai_.+|gen_ai_.+"})`);
      expect(samples.map((s) => s.metric['__name__']).sort(), job).toEqual(expected);
    }
  });

  it('labels a rate-limit series with the quota only, never a request id', async () => {
    const [series, ...others] = await prometheus!.query('openai_ratelimit_requests_remaining{job="app"}');
    expect(others).toEqual([]);
    const { __name__, job, instance, otel_scope_name, otel_scope_version, ...quota } = series!.metric;
    expect(otel_scope_name).toBe('opentelemetry-instrumentation-openai-http');
    expect(quota).toEqual({
      gen_ai_provider_name: 'openai',
      server_address: '127.0.0.1',
      openai_organization: 'org-simulator',
      openai_project: 'proj_simulator',
      ...(bundledUndiciHasBodyChunks() ? { gen_ai_request_model: 'gpt-4o-mini' } : {}),
    });
    expect([__name__, job, instance, otel_scope_version].every((v) => typeof v === 'string')).toBe(true);
  });

  it('counts the 429 under error_type="429" in the duration histogram', async () => {
    const [count] = await prometheus!.query('sum(gen_ai_client_operation_duration_seconds_count{job="app", error_type="429"})');
    expect(count?.value).toBe(1);
  });
});
