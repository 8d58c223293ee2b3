// The page's event loop, for code that holds the main thread a while
// (polling shared memory): a way to give it a turn.

/**
 * Resolves in a new task, after what the event loop has waiting (a frame, a
 * click): sooner than setTimeout's, which is clamped to 4 ms once nested.
 */
export function nextTask(): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}
