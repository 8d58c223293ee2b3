// The page's event loop, for code that holds the main thread a while
// (polling shared memory): a way to give it a turn, and a budget per task.

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

/**
 * How long polls may hold the page's main thread in one task of its event
 * loop, all together: once `perTaskMs` is spent, none until the next task.
 */
export class PollBudget {
  private spent = 0;
  private turnAwaited = false;

  constructor(private readonly perTaskMs: number) {}

  /** How long one may poll now (ms). */
  left(): number {
    if (!this.turnAwaited) {
      this.turnAwaited = true;
      void nextTask().then(() => {
        this.turnAwaited = false;
        this.spent = 0;
      });
    }
    return Math.max(0, this.perTaskMs - this.spent);
  }

  /** A poll that began at `since` (performance.now()) has ended. */
  spend(since: number): void {
    this.spent += performance.now() - since;
  }
}
