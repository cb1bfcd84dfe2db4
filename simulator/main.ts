// `npm run simulator`: runs the simulator until SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { HELP, parseCli, type CliConfig } from './cli.ts';
import { startSimulator } from './index.ts';

let config: CliConfig;
try {
  config = parseCli(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (config.help) {
  console.log(HELP);
  process.exit(0);
}

const tls = config.tlsFiles && { key: readFileSync(config.tlsFiles.key), cert: readFileSync(config.tlsFiles.cert) };
const simulator = await startSimulator({ ...config.options, tls });
const { mode, requestsPerWindow, tokensPerWindow, windowMs } = simulator.options;
console.log(`OpenAI simulator (${mode} mode${tls ? ', HTTPS + HTTP/2' : ''}) listening on ${simulator.url}`);
console.log(`Rate limits per API key and model: ${requestsPerWindow} requests and ${tokensPerWindow} tokens per ${windowMs} ms`);
console.log(
  mode === 'openai'
    ? `Point a client at it: OPENAI_BASE_URL=${simulator.url} OPENAI_API_KEY=sk-anything`
    : `Point a client at it: AZURE_OPENAI_ENDPOINT=${simulator.origin} AZURE_OPENAI_API_KEY=anything OPENAI_API_VERSION=2024-10-21`,
);

// Docker sends SIGTERM to PID 1, which has no default handler: without this, `docker stop` waits 10 s.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing after ${simulator.requestCount} requests`);
    // Leaves the process with nothing to do, so it exits with code 0; the timer is a safety net.
    setTimeout(() => process.exit(0), 2000).unref();
    simulator.close().catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  });
}
