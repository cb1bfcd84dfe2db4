import * as semconv from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import * as ours from '../../src/semconv.ts';

// The stable names are copied rather than imported, to keep the semconv package out of users'
// installs; a copy that drifted from the registry would be a silent rename.
const STABLE = [
  'ATTR_ERROR_TYPE',
  'ATTR_HTTP_REQUEST_METHOD',
  'ATTR_HTTP_REQUEST_RESEND_COUNT',
  'ATTR_HTTP_RESPONSE_STATUS_CODE',
  'ATTR_SERVER_ADDRESS',
  'ATTR_SERVER_PORT',
  'ATTR_URL_FULL',
] as const;

describe('stable semconv names', () => {
  it.each(STABLE)('%s is the name @opentelemetry/semantic-conventions gives', (key) => {
    expect(ours[key]).toBe(semconv[key]);
  });
});
