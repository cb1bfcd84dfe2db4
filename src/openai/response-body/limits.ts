/**
 * How much of a body we are willing to pay for. A JSON document is collected up to the document
 * cap and parsed once; past it the reader stops decoding: what the collected beginning holds in
 * whole members is kept, and for a body that is not compressed the last `TAIL_BYTES` are kept
 * too (an embeddings response's `model` and `usage` come after megabytes of vectors), so the
 * cost of a huge body stops growing. One SSE event is one document; a stream's events are small,
 * so a stream gets a larger total cap that lets a long generation still reach its usage event.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
export const MAX_STREAM_BYTES = 16 * 1024 * 1024;

/** The window kept of an uncompressed JSON body past the cap. */
export const TAIL_BYTES = 4 * 1024;

/** Longest string value (in bytes, as sent) we keep; a longer one at a wanted key is dropped. */
export const MAX_VALUE_BYTES = 256;

/** Choices past this index are not tracked (`n` is capped far lower by the API). */
export const MAX_CHOICES = 128;
