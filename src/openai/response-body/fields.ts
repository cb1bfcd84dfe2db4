import { MAX_CHOICES } from './limits.ts';
import { DOCUMENT_LEAVES, Leaf } from './paths.ts';
import type { ResponseBodyFields } from './types.ts';

/** A document's value for a leaf: undefined = not seen, null = null, the wrong type, or too long. */
type Value = string | number | null | undefined;

/**
 * Collects the values the scanner finds. Within one JSON document a repeated key replaces the
 * earlier one (last wins, as JSON.parse does, so we report what the client saw). Across the
 * documents of a stream, a later non-null value replaces an earlier one (the final usage event,
 * the last finish reason of each choice), except `id`, which the first event that has one gives.
 */
export class FieldCollector {
  private readonly doc: Value[] = new Array<Value>(DOCUMENT_LEAVES);
  /** The document's finished choices, as (index, finish reason) pairs. */
  private docChoices: Value[] = [];
  private inChoice = false;
  private choicePosition = 0;
  private choiceIndex: Value;
  private choiceReason: Value;

  private readonly kept: Value[] = new Array<Value>(DOCUMENT_LEAVES);
  private keptReasons: (string | undefined)[] | undefined;

  beginDocument(): void {
    this.doc.fill(undefined);
    this.docChoices.length = 0;
    this.inChoice = false;
  }

  set(leaf: Leaf, value: string | number | null): void {
    if (leaf === Leaf.ChoiceIndex) {
      if (this.inChoice) this.choiceIndex = value;
    } else if (leaf === Leaf.FinishReason) {
      if (this.inChoice) this.choiceReason = value;
    } else {
      this.doc[leaf] = value;
    }
  }

  /** Whether a value for this leaf could still change the result (a stream's `id` is its first one). */
  wants(leaf: Leaf): boolean {
    return leaf !== Leaf.Id || this.kept[Leaf.Id] === undefined;
  }

  /**
   * A plain ASCII string value, as bytes. A stream repeats the same model, fingerprint and tier
   * in every event: when the bytes match what is already kept, that string is reused rather
   * than a new one made.
   */
  setAscii(leaf: Leaf, buf: Uint8Array, start: number, end: number, text: (buf: Uint8Array, start: number, end: number) => string): void {
    const kept = leaf < DOCUMENT_LEAVES ? this.kept[leaf] : undefined;
    if (typeof kept === 'string' && kept.length === end - start) {
      let i = 0;
      while (i < kept.length && kept.charCodeAt(i) === buf[start + i]) i++;
      if (i === kept.length) {
        this.set(leaf, kept);
        return;
      }
    }
    this.set(leaf, text(buf, start, end));
  }

  /** A key that holds wanted leaves starts (again): whatever an earlier copy of it gave is replaced. */
  clear(leaves: readonly Leaf[], choices: boolean): void {
    for (let i = 0; i < leaves.length; i++) this.doc[leaves[i]!] = null;
    if (choices) this.docChoices.length = 0;
  }

  beginChoice(position: number): void {
    this.inChoice = true;
    this.choicePosition = position;
    this.choiceIndex = undefined;
    this.choiceReason = undefined;
  }

  endChoice(): void {
    if (!this.inChoice) return;
    this.inChoice = false;
    // A choice without `index` is numbered by its place in the array.
    const index = this.choiceIndex === undefined ? this.choicePosition : this.choiceIndex;
    this.docChoices.push(index, this.choiceReason);
  }

  /** The document was read to its end (or to the cap): keep what it gave. */
  commitDocument(): void {
    const { doc, kept } = this;
    for (let leaf = 0; leaf < DOCUMENT_LEAVES; leaf++) {
      const v = doc[leaf];
      if (v === undefined || v === null) continue;
      if (leaf === Leaf.Id && kept[leaf] !== undefined) continue;
      kept[leaf] = v;
    }
    const choices = this.docChoices;
    for (let i = 0; i < choices.length; i += 2) {
      const index = choices[i];
      const reason = choices[i + 1];
      if (typeof index !== 'number' || index >= MAX_CHOICES || typeof reason !== 'string') continue;
      (this.keptReasons ??= [])[index] = reason;
    }
  }

  result(): ResponseBodyFields {
    const k = this.kept;
    const str = (leaf: Leaf): string | undefined => {
      const v = k[leaf];
      return typeof v === 'string' ? v : undefined;
    };
    const num = (leaf: Leaf): number | undefined => {
      const v = k[leaf];
      return typeof v === 'number' ? v : undefined;
    };
    const out: ResponseBodyFields = {};
    const put = <K extends keyof ResponseBodyFields>(key: K, value: ResponseBodyFields[K] | undefined): void => {
      if (value !== undefined) out[key] = value;
    };
    put('responseId', str(Leaf.Id));
    put('responseModel', str(Leaf.Model));
    const reasons = this.keptReasons?.filter((r): r is string => r !== undefined);
    const status = str(Leaf.Status);
    if (reasons !== undefined && reasons.length > 0) out.finishReasons = reasons;
    else if (status !== undefined) out.finishReasons = [responsesFinishReason(status, k[Leaf.IncompleteReason])];
    put('inputTokens', num(Leaf.InputTokens));
    put('outputTokens', num(Leaf.OutputTokens));
    put('cachedInputTokens', num(Leaf.CachedInputTokens));
    put('reasoningOutputTokens', num(Leaf.ReasoningOutputTokens));
    put('serviceTier', str(Leaf.ServiceTier));
    put('systemFingerprint', str(Leaf.SystemFingerprint));
    put('errorCode', str(Leaf.ErrorCode));
    put('errorType', str(Leaf.ErrorType));
    return out;
  }
}

/** A Responses API status in chat completions' finish-reason vocabulary. */
export function responsesFinishReason(status: string, incompleteReason: Value): string {
  if (status === 'completed') return 'stop';
  if (status === 'failed') return 'error';
  if (status !== 'incomplete') return status;
  if (incompleteReason === 'max_output_tokens') return 'length';
  return typeof incompleteReason === 'string' ? incompleteReason : status;
}
