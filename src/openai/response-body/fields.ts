import { MAX_CHOICES } from './limits.ts';
import { DOCUMENT_LEAVES, Leaf } from './paths.ts';
import type { ResponseBodyFields } from './types.ts';

/**
 * A few recent values per leaf, shared by all readers (these are model names, tiers,
 * fingerprints, finish reasons and error codes, never ids or text): a value seen before is
 * reused rather than made again.
 */
const RECENT_PER_LEAF = 4;
const RECENT: string[][] = Array.from({ length: Leaf.FinishReason + 1 }, () => []);
const RECENT_NEXT: number[] = new Array<number>(Leaf.FinishReason + 1).fill(0);

function sameText(s: string, buf: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

export interface DocumentState {
  readonly doc: readonly Value[];
  readonly choices: readonly Value[];
  readonly inChoice: boolean;
  readonly position: number;
  readonly index: Value;
  readonly reason: Value;
}

function emptyLeaves(): Value[] {
  const a: Value[] = [];
  for (let i = 0; i < DOCUMENT_LEAVES; i++) a.push(undefined);
  return a;
}

/** A document's value for a leaf: undefined = not seen, null = null, the wrong type, or too long. */
type Value = string | number | null | undefined;

/**
 * Collects the values the scanner finds. Within one JSON document a repeated key replaces the
 * earlier one (last wins, as JSON.parse does, so we report what the client saw). Across the
 * documents of a stream, a later non-null value replaces an earlier one (the final usage event,
 * the last finish reason of each choice), except `id`, which the first event that has one gives.
 */
export class FieldCollector {
  private readonly doc: Value[] = emptyLeaves();
  /** The document's finished choices, as (index, finish reason) pairs: the first `docChoiceCount` of them. */
  private readonly docChoices: Value[] = [];
  private docChoiceCount = 0;
  private inChoice = false;
  private choicePosition = 0;
  private choiceIndex: Value;
  private choiceReason: Value;

  private readonly kept: Value[] = emptyLeaves();
  private keptReasons: (string | undefined)[] | undefined;

  /** The document's state so far, to be put back by `restore` (see the scanner's prefix snapshot). */
  save(): DocumentState {
    return { doc: this.doc.slice(), choices: this.docChoices.slice(0, 2 * this.docChoiceCount), inChoice: this.inChoice, position: this.choicePosition, index: this.choiceIndex, reason: this.choiceReason };
  }

  restore(state: DocumentState): void {
    for (let i = 0; i < DOCUMENT_LEAVES; i++) this.doc[i] = state.doc[i];
    const choices = this.docChoices;
    for (let i = 0; i < state.choices.length; i++) choices[i] = state.choices[i];
    this.docChoiceCount = state.choices.length >> 1;
    this.inChoice = state.inChoice;
    this.choicePosition = state.position;
    this.choiceIndex = state.index;
    this.choiceReason = state.reason;
  }

  beginDocument(): void {
    // A plain loop: Array.prototype.fill goes through a slow generic path.
    const doc = this.doc;
    for (let i = 0; i < DOCUMENT_LEAVES; i++) doc[i] = undefined;
    this.docChoiceCount = 0;
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
    if (typeof kept === 'string' && sameText(kept, buf, start, end)) {
      this.set(leaf, kept);
      return;
    }
    // Models, tiers, fingerprints and finish reasons repeat from response to response too.
    const recent = leaf === Leaf.Id ? undefined : RECENT[leaf]!;
    if (recent !== undefined) {
      for (let i = 0; i < recent.length; i++) {
        const r = recent[i]!;
        if (sameText(r, buf, start, end)) {
          this.set(leaf, r);
          return;
        }
      }
    }
    const value = text(buf, start, end);
    if (recent !== undefined) recent[RECENT_NEXT[leaf]!++ % RECENT_PER_LEAF] = value;
    this.set(leaf, value);
  }

  /** A key that holds wanted leaves starts (again): whatever an earlier copy of it gave is replaced. */
  clear(leaves: readonly Leaf[], choices: boolean): void {
    for (let i = 0; i < leaves.length; i++) this.doc[leaves[i]!] = null;
    if (choices) this.docChoiceCount = 0;
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
    const at = 2 * this.docChoiceCount++;
    this.docChoices[at] = index;
    this.docChoices[at + 1] = this.choiceReason;
  }

  /**
   * The document was read to its end (or to the cap): keep what it gave. A `""` counts as
   * absent: Azure opens a stream with a prompt-filter event whose `id` and `model` are `""`, and
   * the real ones come in the next event.
   */
  commitDocument(): void {
    const { doc, kept } = this;
    for (let leaf = 0; leaf < DOCUMENT_LEAVES; leaf++) {
      const v = doc[leaf];
      if (v === undefined || v === null || v === '') continue;
      if (leaf === Leaf.Id && kept[leaf] !== undefined) continue;
      kept[leaf] = v;
    }
    const choices = this.docChoices;
    const count = 2 * this.docChoiceCount;
    for (let i = 0; i < count; i += 2) {
      const index = choices[i];
      const reason = choices[i + 1];
      if (typeof index !== 'number' || index >= MAX_CHOICES || typeof reason !== 'string' || reason === '') continue;
      (this.keptReasons ??= [])[index] = reason;
    }
  }

  result(): ResponseBodyFields {
    const k = this.kept;
    const out: ResponseBodyFields = {};
    const id = k[Leaf.Id];
    const model = k[Leaf.Model];
    if (typeof id === 'string') out.responseId = id;
    if (typeof model === 'string') out.responseModel = model;
    const reasons = this.keptReasons?.filter((r): r is string => r !== undefined);
    const status = k[Leaf.Status];
    if (reasons !== undefined && reasons.length > 0) out.finishReasons = reasons;
    else if (typeof status === 'string') out.finishReasons = [responsesFinishReason(status, k[Leaf.IncompleteReason])];
    const input = k[Leaf.InputTokens];
    const output = k[Leaf.OutputTokens];
    const cached = k[Leaf.CachedInputTokens];
    const reasoning = k[Leaf.ReasoningOutputTokens];
    if (typeof input === 'number') out.inputTokens = input;
    if (typeof output === 'number') out.outputTokens = output;
    if (typeof cached === 'number') out.cachedInputTokens = cached;
    if (typeof reasoning === 'number') out.reasoningOutputTokens = reasoning;
    const tier = k[Leaf.ServiceTier];
    const fingerprint = k[Leaf.SystemFingerprint];
    const code = k[Leaf.ErrorCode];
    const type = k[Leaf.ErrorType];
    if (typeof tier === 'string') out.serviceTier = tier;
    if (typeof fingerprint === 'string') out.systemFingerprint = fingerprint;
    if (typeof code === 'string') out.errorCode = code;
    if (typeof type === 'string') out.errorType = type;
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
