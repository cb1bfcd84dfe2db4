import type { Attributes } from '@opentelemetry/api';
import type { RequestRecord } from '../internal-types.ts';
import { FIELD, headerValue } from '../openai/headers.ts';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_OPENAI_ERROR_CODE,
  ATTR_OPENAI_ORGANIZATION,
  ATTR_OPENAI_PROJECT,
  ATTR_SERVER_ADDRESS,
} from '../semconv.ts';

/** The attributes of one rate-limit series, and a string that identifies the quota they name. */
export interface QuotaSeries {
  readonly key: string;
  readonly attributes: Attributes;
}

/**
 * Rate-limit gauge attributes: provider, server address and, when known,
 * organization, project and model. OpenAI limits each organization/project per model, so these
 * name one quota. Nothing per request (ids, status) goes here: it would make a series per call.
 */
export function quotaSeries(record: RequestRecord): QuotaSeries {
  const { provider, serverAddress } = record.target;
  const organization = organizationOf(record);
  const project = projectOf(record);
  const model = record.model;
  // Key by key: below V8's top tier, where once-per-request code mostly runs, a literal with
  // computed keys makes a runtime call per key (test/unit/computed-keys.test.ts).
  const attributes: Attributes = {};
  attributes[ATTR_GEN_AI_PROVIDER_NAME] = provider;
  attributes[ATTR_SERVER_ADDRESS] = serverAddress;
  if (organization !== undefined) attributes[ATTR_OPENAI_ORGANIZATION] = organization;
  if (project !== undefined) attributes[ATTR_OPENAI_PROJECT] = project;
  if (model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = model;
  // JSON keeps "absent" (null) apart from any string value, so two quotas never share a key.
  const key = JSON.stringify([provider, serverAddress, organization ?? null, project ?? null, model ?? null]);
  return { key, attributes };
}

/**
 * Histogram attributes: the semconv set for `gen_ai.client.operation.duration`, the
 * organization and project the response named (so a page on failed calls can say whose quota
 * or billing stopped; an app uses a handful of them), and on a failed attempt whose error body
 * named one, `openai.error.code` (already bounded to the documented codes by the caller).
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/
 */
export function operationAttributes(record: RequestRecord, errorType: string | undefined, errorCode?: string): Attributes {
  const attributes: Attributes = {};
  attributes[ATTR_GEN_AI_OPERATION_NAME] = record.target.operation;
  attributes[ATTR_GEN_AI_PROVIDER_NAME] = record.target.provider;
  attributes[ATTR_SERVER_ADDRESS] = record.target.serverAddress;
  const organization = organizationOf(record);
  const project = projectOf(record);
  if (organization !== undefined) attributes[ATTR_OPENAI_ORGANIZATION] = organization;
  if (project !== undefined) attributes[ATTR_OPENAI_PROJECT] = project;
  if (record.model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = record.model;
  if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
  if (errorCode !== undefined) attributes[ATTR_OPENAI_ERROR_CODE] = errorCode;
  return attributes;
}

/**
 * `gen_ai.client.token.usage` attributes: the semconv set (no `error.type`: usage comes with
 * answers), the token type, and the model that answered when the body named it.
 */
export function tokenAttributes(record: RequestRecord, tokenType: string, responseModel: string | undefined): Attributes {
  const attributes = operationAttributes(record, undefined);
  attributes[ATTR_GEN_AI_TOKEN_TYPE] = tokenType;
  if (responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
  return attributes;
}

function organizationOf(record: RequestRecord): string | undefined {
  return record.headers === undefined ? undefined : headerValue(record.headers, FIELD.organization);
}

function projectOf(record: RequestRecord): string | undefined {
  return record.headers === undefined ? undefined : headerValue(record.headers, FIELD.project);
}
