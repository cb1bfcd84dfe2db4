import { describe, expect, it } from 'vitest';
import { parseResetDuration } from '../../../src/index.ts';

describe('parseResetDuration', () => {
  it.each([
    ['0s', 0],
    ['0', 0],
    ['6ms', 0.006],
    ['500us', 0.0005],
    ['500µs', 0.0005],
    ['250ns', 0.00000025],
    ['1s', 1],
    ['0.8s', 0.8],
    ['7.66s', 7.66],
    ['6m0s', 360],
    ['1m26.4s', 86.4],
    ['19m45.394s', 1185.394],
    ['2h0m0s', 7200],
    ['1h2m3.5s', 3723.5],
    ['1.5h', 5400],
    [' 20ms ', 0.02],
    ['.5s', 0.5],
    ['5.s', 5],
  ])('reads Go duration %j as %d seconds', (input, seconds) => {
    expect(parseResetDuration(input)).toBe(seconds);
  });

  it.each([
    '',
    ' ',
    's',
    '.s',
    '1',
    '12',
    '-1s',
    '+1s',
    '-0s',
    '1x',
    '1 s',
    '1sm',
    '1mss',
    'NaN',
    'Infinity',
    '1e3s',
    '1..2s',
    '3000000000h',
    '99999999999999999999999999999s',
    'abc',
    '1m26.4',
    '1h-2m',
  ])('leaves %j out', (input) => {
    expect(parseResetDuration(input)).toBeUndefined();
  });

  it('is total on non-string input', () => {
    expect(parseResetDuration(undefined as unknown as string)).toBeUndefined();
    expect(parseResetDuration(12 as unknown as string)).toBeUndefined();
  });
});
