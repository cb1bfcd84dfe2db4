import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('HTTPS with HTTP/2', () => {
  let sim: Simulator;
  let agent: Agent;
  beforeAll(async () => {
    sim = await startSimulator({ tls: { key: fixture('localhost-key.pem'), cert: fixture('localhost-cert.pem') } });
    agent = new Agent({ allowH2: true, connect: { rejectUnauthorized: false } });
  });
  afterAll(async () => {
    await agent.close();
    await sim.close();
  });

  it('negotiates HTTP/2 and sends the same headers as over HTTP/1.1', async () => {
    const protocols: string[] = [];
    const onConnected = (message: unknown) => {
      const socket = (message as { socket: TLSSocket }).socket;
      protocols.push(String(socket.alpnProtocol));
    };
    subscribe('undici:client:connected', onConnected);
    try {
      expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1$/);
      const response = await fetch(`${sim.url}/chat/completions`, {
        dispatcher: agent,
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      expect(protocols).toEqual(['h2']);
      // HTTP/2 has no connection-level headers; Node's HTTP/1.1 server always sends `connection`.
      expect(response.headers.has('connection')).toBe(false);
      expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('59');
      expect(response.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+ms$/);
      expect(((await response.json()) as { object: string }).object).toBe('chat.completion');
    } finally {
      unsubscribe('undici:client:connected', onConnected);
    }
  });

  it('streams over HTTP/2', async () => {
    const response = await fetch(`${sim.url}/chat/completions`, {
      dispatcher: agent,
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text.split('\n\n').filter(Boolean).length).toBeGreaterThan(5);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('aborts a stream by resetting only that HTTP/2 stream, so the connection keeps serving', async () => {
    const request = (headers: Record<string, string>) =>
      fetch(`${sim.url}/chat/completions`, {
        dispatcher: agent,
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
    const aborted = await request({ 'x-simulator-abort-after-chunks': '2' });
    await expect(aborted.text()).rejects.toThrow();
    const next = await request({});
    expect((await next.text()).endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('still serves HTTP/1.1 clients on the same port', async () => {
    // undici 8 offers h2 by default: turn it off to be an HTTP/1.1-only client.
    const http1 = new Agent({ allowH2: false, connect: { rejectUnauthorized: false } });
    try {
      const response = await fetch(`${sim.url}/models`, { dispatcher: http1, headers: { authorization: 'Bearer sk-test' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('connection')).toBe('keep-alive');
    } finally {
      await http1.close();
    }
  });

  it('streams compressed over HTTP/2: br events decode, and a cut breaks only that stream', async () => {
    const ask = (headers: Record<string, string>) =>
      fetch(`${sim.url}/chat/completions`, {
        dispatcher: agent,
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', 'accept-encoding': 'br', ...headers },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
    const whole = await ask({});
    expect(whole.headers.get('content-encoding')).toBe('br');
    expect(await whole.text()).toMatch(/data: \[DONE\]\n\n$/);
    const cut = await ask({ 'x-simulator-fault': 'cut-mid-event' });
    await expect(cut.text()).rejects.toThrow();
    const after = await ask({});
    expect(await after.text()).toMatch(/data: \[DONE\]\n\n$/);
  });
});
