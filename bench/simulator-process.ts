/**
 * The simulator in its own process, so its CPU is never charged to the variant being measured.
 * Limits are set out of reach: every benchmark call must answer 200 with the full set of
 * OpenAI headers, never 429. Streamed answers send each event on its own, 1 ms apart, so a
 * client receives one event per chunk as it does from the live API (non-streamed answers are
 * not delayed). Reports its base URL over IPC; exits when the parent disconnects.
 */
import { startSimulator } from '../simulator/index.ts';

const simulator = await startSimulator({ requestsPerWindow: 1e12, tokensPerWindow: 1e15, windowMs: 60_000, streamChunkDelayMs: 1 });
process.send?.({ url: simulator.url });
process.on('disconnect', () => {
  void simulator.close().finally(() => process.exit(0));
});
