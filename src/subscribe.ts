import diagnosticsChannel from 'node:diagnostics_channel';

export type Unsubscribe = () => void;

/**
 * Subscribes `handler` to a diagnostics channel, guarded as a whole: a throw inside a
 * subscriber becomes an `uncaughtException` in the user's app, so nothing may escape.
 */
export function subscribeGuarded(
  name: string,
  handler: (message: unknown) => void,
  onError: (channel: string, error: unknown) => void,
): Unsubscribe {
  const guarded = (message: unknown): void => {
    try {
      handler(message);
    } catch (error) {
      try {
        onError(name, error);
      } catch {
        // The error reporter itself failed; there is nowhere left to report to.
      }
    }
  };
  diagnosticsChannel.subscribe(name, guarded);
  return () => {
    diagnosticsChannel.unsubscribe(name, guarded);
  };
}
