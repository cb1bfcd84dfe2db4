import { describe, expect, it } from 'vitest';
import { HEADER_ATTRIBUTES, RESPONSE_HEADERS, fieldForMetric } from '../../../src/openai/headers.ts';
import { readNamedHeaders as readResponseHeaders } from '../../helpers/header-fields.ts';
import { INSTRUMENT_SPECS } from '../../../src/metrics/instruments.ts';

describe('the response-header table', () => {
  it('names each header once, in lower case', () => {
    const names = RESPONSE_HEADERS.map((row) => row.header);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toBe(name.toLowerCase());
  });

  it('gives every attribute a type, and one attribute per field', () => {
    for (const row of RESPONSE_HEADERS) {
      if (row.attribute !== undefined) expect(row.type, row.header).toBeDefined();
      const others = RESPONSE_HEADERS.filter((o) => o.field === row.field);
      expect(new Set(others.map((o) => o.attribute)).size, row.field).toBe(1);
    }
    expect(HEADER_ATTRIBUTES.map((a) => a.attribute)).toEqual([...new Set(RESPONSE_HEADERS.flatMap((r) => (r.attribute ? [r.attribute] : [])))]);
  });

  it('names only instruments the code creates, and feeds each of them from one header', () => {
    const instruments = new Set<string>(Object.values(INSTRUMENT_SPECS).map((spec) => spec.name));
    const fed = RESPONSE_HEADERS.flatMap((row) => (row.metric === undefined ? [] : [row.metric]));
    for (const metric of fed) expect(instruments.has(metric), metric).toBe(true);
    expect(new Set(fed).size).toBe(fed.length);
    for (const spec of Object.values(INSTRUMENT_SPECS)) {
      if (spec.kind === 'gauge') expect(fed, spec.name).toContain(spec.name);
    }
    expect(() => fieldForMetric('no.such.metric')).toThrow();
  });

  it('reads every row, from both header shapes', () => {
    const sample: Record<string, string> = {
      'x-request-id': 'req_1',
      'apim-request-id': 'apim_1',
      'openai-organization': 'org-a',
      'openai-project': 'proj_a',
      'openai-version': '2020-10-01',
      'openai-processing-ms': '412',
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '9000',
      'x-ratelimit-reset-tokens': '6s',
      'retry-after-ms': '1500',
      'retry-after': '2',
      'content-type': 'text/event-stream',
      'content-encoding': 'gzip',
    };
    expect(Object.keys(sample).sort()).toEqual(RESPONSE_HEADERS.map((r) => r.header).sort());
    const fromObject = readResponseHeaders(sample);
    const fromBuffers = readResponseHeaders(Object.entries(sample).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v)]));
    expect(fromBuffers).toEqual(fromObject);
    for (const row of RESPONSE_HEADERS) expect(fromObject[row.field], row.field).not.toBeUndefined();
  });
});
