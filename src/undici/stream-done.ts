const DONE_MARKER = Buffer.from('data: [DONE]', 'latin1');
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Whether a chunk of a server-sent event stream ends with the `data: [DONE]` event, line
 * endings and blanks after it allowed. `[DONE]` is the last event an OpenAI-compatible stream
 * sends, so it is at the end of the last chunk: looking there costs a few byte compares per
 * chunk, where searching every chunk whole cost a Buffer view and a native search each.
 */
export function endsWithDone(chunk: Uint8Array): boolean {
  let end = chunk.length;
  while (end > 0) {
    const c = chunk[end - 1];
    if (c !== LF && c !== CR && c !== SPACE && c !== TAB) break;
    end--;
  }
  const start = end - DONE_MARKER.length;
  if (start < 0) return false;
  for (let i = 0; i < DONE_MARKER.length; i++) if (chunk[start + i] !== DONE_MARKER[i]) return false;
  return true;
}
