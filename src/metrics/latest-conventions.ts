import type { Attributes } from '@opentelemetry/api';
import type { RequestRecord } from '../internal-types.ts';
import {
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_MODALITY,
  ATTR_SERVER_PORT,
  OPERATION_EMBEDDINGS,
  TOKEN_MODALITY_UNKNOWN,
} from '../semconv.ts';
import { operationAttributes } from './attributes.ts';
import type { LatestGenAiInstruments } from './instruments.ts';

/**
 * The latest GenAI conventions' metrics (open-telemetry/semantic-conventions-genai), recorded
 * from the same record as the previous ones. Their attribute sets: the previous set plus
 * `server.port` and, once the body named it, `gen_ai.response.model`; the token counters add
 * `gen_ai.token.modality` and leave `error.type` out, as the conventions list them.
 */
export function latestAttributes(record: RequestRecord, errorType: string | undefined, errorCode?: string): Attributes {
  const attributes = operationAttributes(record, errorType, errorCode);
  attributes[ATTR_SERVER_PORT] = record.target.serverPort;
  const responseModel = record.body?.responseModel;
  if (responseModel !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
  return attributes;
}

/**
 * One ended attempt. Embeddings calls have their own duration and token histogram in the
 * conventions; every other call is an inference call. Token counts are recorded for the calls
 * whose bodies carry usage (chat, Responses, completions): the count the body gave, or 0 when the
 * call failed or its body had no usage, as the conventions ask; nothing where the runtime hid the
 * body, since the count could not be known (the conventions: "MUST NOT report" then).
 */
export function recordLatestEnd(
  instruments: LatestGenAiInstruments,
  record: RequestRecord,
  durationSeconds: number | undefined,
  errorType: string | undefined,
  errorCode: string | undefined,
  timeToFirstChunk: number | undefined,
): void {
  const embeddings = record.target.operation === OPERATION_EMBEDDINGS;
  if (durationSeconds !== undefined) {
    const duration = embeddings ? instruments.embeddingsDuration : instruments.inferenceDuration;
    duration.record(durationSeconds, latestAttributes(record, errorType, errorCode));
  }
  if (timeToFirstChunk !== undefined) instruments.timeToFirstChunk.record(timeToFirstChunk, latestAttributes(record, undefined));
  if (record.target.apiType === undefined) return;
  const body = record.body;
  const bodySeen = body !== undefined || record.statusCode === 0;
  if (!bodySeen) return;
  const histogramAttributes = latestAttributes(record, errorType);
  if (embeddings) {
    if (isCount(body?.inputTokens)) instruments.embeddingsInputTokens.record(body.inputTokens, histogramAttributes);
    return;
  }
  const input = countOrZero(body?.inputTokens);
  const output = countOrZero(body?.outputTokens);
  instruments.inferenceInputTokens.record(input, histogramAttributes);
  instruments.inferenceOutputTokens.record(output, histogramAttributes);
  const counterAttributes = latestAttributes(record, undefined);
  counterAttributes[ATTR_GEN_AI_TOKEN_MODALITY] = TOKEN_MODALITY_UNKNOWN;
  instruments.usageInputTokens.add(input, counterAttributes);
  instruments.usageOutputTokens.add(output, counterAttributes);
  instruments.usageCacheReadInputTokens.add(countOrZero(body?.cachedInputTokens), counterAttributes);
  instruments.usageReasoningOutputTokens.add(countOrZero(body?.reasoningOutputTokens), counterAttributes);
}

/**
 * `count` chunks of a stream ended just now. The conventions define the time per output chunk as
 * "recorded for each chunk received after the first one, measured as the time elapsed from the
 * end of the previous chunk to the end of the current chunk": the first of them is
 * `sincePrevious` after the chunk before (nothing when it is the stream's first), each further
 * one ended in the same instant as the one before it. Recorded as the chunks arrive, before the
 * body has named the model that answered, so without `gen_ai.response.model`.
 */
export function recordLatestChunks(instruments: LatestGenAiInstruments, record: RequestRecord, count: number, sincePrevious: number | undefined): void {
  const attributes = latestAttributes(record, undefined);
  if (sincePrevious !== undefined && Number.isFinite(sincePrevious) && sincePrevious >= 0) {
    instruments.timePerOutputChunk.record(sincePrevious, attributes);
  }
  for (let i = 1; i < count; i++) instruments.timePerOutputChunk.record(0, attributes);
}

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0;
}

function countOrZero(value: number | undefined): number {
  return isCount(value) ? value : 0;
}
