/**
 * The body fields we read, as a tree of the keys that lead to them. Everything else in a body
 * is skipped without being copied. Leaves are numbered so a document's values live in a flat array.
 */
export const Leaf = {
  Id: 0,
  Model: 1,
  ServiceTier: 2,
  SystemFingerprint: 3,
  Status: 4,
  IncompleteReason: 5,
  InputTokens: 6,
  OutputTokens: 7,
  CachedInputTokens: 8,
  ReasoningOutputTokens: 9,
  ErrorCode: 10,
  ErrorType: 11,
  ChoiceIndex: 12,
  FinishReason: 13,
} as const;
export type Leaf = (typeof Leaf)[keyof typeof Leaf];
/** Leaves held once per document (the choice leaves are held per choice). */
export const DOCUMENT_LEAVES = Leaf.ChoiceIndex;

export const Kind = { Object: 0, Array: 1, String: 2, Count: 3 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface PathNode {
  readonly kind: Kind;
  /** For a String or Count leaf. */
  readonly leaf: Leaf;
  /** Object children, matched by the key's bytes. */
  readonly keys: readonly Buffer[];
  readonly children: readonly PathNode[];
  /** Indexes into `keys`, by key length: most keys in a body are rejected on length alone. */
  readonly byLength: readonly (readonly number[] | undefined)[];
  /** Array element. */
  readonly element: PathNode | undefined;
  /** Document leaves under this node: a repeated key replaces them all (last one wins, as in JSON.parse). */
  readonly leaves: readonly Leaf[];
  /** Whether this node is (or holds) `choices`. */
  readonly holdsChoices: boolean;
}

type Spec = typeof Kind.String | typeof Kind.Count | { [key: string]: [Spec, Leaf?] } | ['array', Spec];

function build(spec: Spec, leaf: Leaf = Leaf.Id): PathNode {
  if (spec === Kind.String || spec === Kind.Count) {
    return { kind: spec, leaf, keys: [], children: [], byLength: [], element: undefined, leaves: leaf < DOCUMENT_LEAVES ? [leaf] : [], holdsChoices: false };
  }
  if (Array.isArray(spec)) {
    const element = build(spec[1]);
    return { kind: Kind.Array, leaf, keys: [], children: [], byLength: [], element, leaves: element.leaves, holdsChoices: true };
  }
  const keys: Buffer[] = [];
  const children: PathNode[] = [];
  for (const [key, [child, childLeaf]] of Object.entries(spec)) {
    keys.push(Buffer.from(key, 'latin1'));
    children.push(build(child, childLeaf));
  }
  const byLength: number[][] = [];
  keys.forEach((key, i) => (byLength[key.length] ??= []).push(i));
  return {
    kind: Kind.Object,
    leaf,
    keys,
    children,
    byLength,
    element: undefined,
    leaves: children.flatMap((c) => c.leaves),
    holdsChoices: children.some((c) => c.holdsChoices),
  };
}

const usage: Spec = {
  // Chat completions, completions and embeddings name them one way, the Responses API the other.
  prompt_tokens: [Kind.Count, Leaf.InputTokens],
  completion_tokens: [Kind.Count, Leaf.OutputTokens],
  input_tokens: [Kind.Count, Leaf.InputTokens],
  output_tokens: [Kind.Count, Leaf.OutputTokens],
  prompt_tokens_details: [{ cached_tokens: [Kind.Count, Leaf.CachedInputTokens] }],
  input_tokens_details: [{ cached_tokens: [Kind.Count, Leaf.CachedInputTokens] }],
  completion_tokens_details: [{ reasoning_tokens: [Kind.Count, Leaf.ReasoningOutputTokens] }],
  output_tokens_details: [{ reasoning_tokens: [Kind.Count, Leaf.ReasoningOutputTokens] }],
};

function response(withError: boolean): { [key: string]: [Spec, Leaf?] } {
  const fields: { [key: string]: [Spec, Leaf?] } = {
    id: [Kind.String, Leaf.Id],
    model: [Kind.String, Leaf.Model],
    service_tier: [Kind.String, Leaf.ServiceTier],
    system_fingerprint: [Kind.String, Leaf.SystemFingerprint],
    status: [Kind.String, Leaf.Status],
    incomplete_details: [{ reason: [Kind.String, Leaf.IncompleteReason] }],
    usage: [usage],
    choices: [['array', { index: [Kind.Count, Leaf.ChoiceIndex], finish_reason: [Kind.String, Leaf.FinishReason] }]],
  };
  if (withError) fields['error'] = [{ code: [Kind.String, Leaf.ErrorCode], type: [Kind.String, Leaf.ErrorType] }];
  return fields;
}

/**
 * The roots, per body shape. A Responses API stream carries the whole response object under
 * the top-level key `response` of its `response.created` / `.completed` / `.incomplete` /
 * `.failed` events, so an event's `response` is read as if it were the root.
 */
export const JSON_ROOT = build(response(false));
export const JSON_ERROR_ROOT = build(response(true));
export const SSE_ROOT = build({ ...response(false), response: [response(false)] });
export const SSE_ERROR_ROOT = build({ ...response(true), response: [response(true)] });

/** The child of an object node whose key is `buf[start, end)`, or undefined. */
export function childFor(node: PathNode, buf: Uint8Array, start: number, end: number): PathNode | undefined {
  const len = end - start;
  const keys = node.keys;
  const byLength = node.byLength[len];
  if (byLength === undefined) return undefined;
  for (let n = 0; n < byLength.length; n++) {
    const i = byLength[n]!;
    const key = keys[i]!;
    let j = 0;
    while (j < len && key[j] === buf[start + j]) j++;
    if (j === len) return node.children[i];
  }
  return undefined;
}
