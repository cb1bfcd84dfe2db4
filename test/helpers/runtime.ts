/**
 * What the running undici publishes: `undici:request:bodyChunkSent` (the only way to read a
 * fetch body) arrived in undici 7.11, bundled from Node 24.4 on.
 */
export function bundledUndiciHasBodyChunks(): boolean {
  const [major = 0, minor = 0] = (process.versions.undici ?? '0.0').split('.').map(Number);
  return major > 7 || (major === 7 && minor >= 11);
}
