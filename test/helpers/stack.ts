import { answersOk, startManagedProcess, type ManagedProcess } from './managed-process.ts';
import { freePort, startPrometheus, type PrometheusServer } from './prometheus.ts';
import { startDemoReplica, type DemoReplica } from './stack-apps.ts';
import { type StackProgram } from './stack-binaries.ts';
import { loadCompose, ROOT, service } from './stack-files.ts';
import {
  shippedAlertmanagerConfig,
  shippedPrometheusConfig,
  startAlertmanager,
  startCollector,
  startJaeger,
  startPager,
  type AlertmanagerProcess,
  type AlertmanagerTimers,
  type CollectorProcess,
  type JaegerProcess,
  type PagerProcess,
} from './stack-services.ts';

/**
 * docker-compose.yml without Docker, on the programs `npm run stack:build` builds: Jaeger v2,
 * the Collector on the shipped collector-config.yaml, Prometheus 3 on the shipped
 * deploy/prometheus/prometheus.yml and alerts.yml, Alertmanager on the shipped
 * deploy/alertmanager/alertmanager.yml notifying compose's pager (demo/pager.ts), the simulator
 * with compose's settings, and instrumented demo replicas exporting OTLP to the Collector. Only
 * addresses differ from compose (free ports on 127.0.0.1). Grafana is not run (see
 * deploy/README.md).
 */
export interface StackOptions {
  readonly programs: Readonly<Record<StackProgram, string>>;
  /** Demo replicas to start; default compose's `deploy.replicas`. 0: none (start your own apps). */
  readonly demoReplicas?: number;
  /** Overrides of the simulator's compose environment (e.g. SIM_WINDOW_MS). */
  readonly simulatorEnv?: Readonly<Record<string, string>>;
  /** Overrides of the demo's compose environment. */
  readonly demoEnv?: Readonly<Record<string, string>>;
  /** Shorter Alertmanager route timers than the shipped ones. */
  readonly alertmanagerTimers?: AlertmanagerTimers;
}

export interface SimulatorProcess extends ManagedProcess {
  /** Base URL for `OPENAI_BASE_URL` (`http://127.0.0.1:PORT/v1`). */
  readonly baseUrl: string;
}

export interface Stack {
  readonly jaeger: JaegerProcess;
  readonly collector: CollectorProcess;
  readonly prometheus: PrometheusServer;
  readonly alertmanager: AlertmanagerProcess;
  readonly pager: PagerProcess;
  readonly simulator: SimulatorProcess;
  readonly demo: readonly DemoReplica[];
  /** The compose demo's environment as the replicas got it (service name, API key...). */
  readonly demoEnv: Readonly<Record<string, string>>;
  /** Everything every part printed, labelled (for failure messages). */
  logs(): string;
  /** Stops the apps first, then the simulator, Prometheus, Alertmanager, the pager, the Collector and Jaeger. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const compose = loadCompose();
  const { programs } = options;
  let appLog = '';
  const log = (line: string): void => {
    appLog = `${appLog}${line}\n`.slice(-32_768);
  };
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    for (const part of started.splice(0).reverse()) await part.stop();
  };
  try {
    const jaeger = await startJaeger(programs.jaeger);
    started.push(jaeger);
    const collector = await startCollector(programs['otelcol-openai-http'], jaeger.otlpGrpcAddress);
    started.push(collector);
    const pager = await startPager();
    started.push(pager);
    const alertmanager = await startAlertmanager(programs.alertmanager, shippedAlertmanagerConfig(pager.address, options.alertmanagerTimers));
    started.push(alertmanager);
    const prometheusPort = await freePort();
    const prometheus = await startPrometheus({
      port: prometheusPort,
      config: shippedPrometheusConfig({
        collectorExporter: collector.exporterAddress,
        collectorTelemetry: collector.telemetryAddress,
        prometheus: `127.0.0.1:${prometheusPort}`,
        alertmanager: alertmanager.address,
      }),
    });
    started.push(prometheus);

    const simulatorService = service(compose, 'simulator');
    const [command, ...args] = simulatorService.command;
    if (command !== 'node') throw new Error(`compose simulator: expected a node command, got ${simulatorService.command.join(' ')}`);
    const simulatorPort = await freePort();
    const origin = `http://127.0.0.1:${simulatorPort}`;
    const simulator = Object.assign(
      await startManagedProcess({
        name: 'simulator',
        command: process.execPath,
        args,
        cwd: ROOT,
        env: { ...simulatorService.environment, ...options.simulatorEnv, HOST: '127.0.0.1', PORT: String(simulatorPort) },
        // What compose's healthcheck asks (any key will do).
        ready: () => answersOk(`${origin}/v1/models`, { authorization: 'Bearer healthcheck' }),
      }),
      { baseUrl: `${origin}/v1` },
    );
    started.push(simulator);

    const demoService = service(compose, 'demo');
    // compose: OPENAI_BASE_URL=http://simulator:8787/v1, OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318
    const composeBase = new URL(demoService.environment['OPENAI_BASE_URL'] ?? 'http://simulator:8787/v1');
    const demoEnv = {
      ...demoService.environment,
      OPENAI_BASE_URL: `${origin}${composeBase.pathname}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
      ...options.demoEnv,
    };
    const demo: DemoReplica[] = [];
    for (let i = 0; i < (options.demoReplicas ?? demoService.replicas); i++) {
      const replica = startDemoReplica(i, demoEnv, log);
      demo.push(replica);
      started.push(replica);
    }
    const parts: ManagedProcess[] = [jaeger, collector, alertmanager, pager, simulator];
    return {
      jaeger,
      collector,
      prometheus,
      alertmanager,
      pager,
      simulator,
      demo,
      demoEnv,
      logs: () =>
        [...parts.map((p) => `--- ${p.name}\n${p.logs()}`), `--- prometheus\n${prometheus.logs()}`, `--- demo replicas\n${appLog}`].join('\n'),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
