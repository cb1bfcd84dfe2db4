/**
 * How much of a body we are willing to pay for. Past the document cap a reader stops decoding
 * and scanning: what it already read is kept, what sits later (an embeddings response's `model`
 * and `usage` come after megabytes of vectors) is dropped, so the cost of a huge body stops
 * growing. One SSE event is one document; a stream's events are small, so a stream gets a larger
 * total cap that lets a long generation still reach its final usage event.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
export const MAX_STREAM_BYTES = 16 * 1024 * 1024;

/** Longest string value (in bytes, as sent) we keep; a longer one at a wanted key is dropped. */
export const MAX_VALUE_BYTES = 256;

/** Longest number or literal we keep (a token count has at most 16 digits). */
export const MAX_NUMBER_BYTES = 32;

/** Choices past this index are not tracked (`n` is capped far lower by the API). */
export const MAX_CHOICES = 128;
