// What comes through shared memory (a lane's batch, a question in the
// channel's buffer) may overtake the messages its sender posted before it,
// which travel through the event loop. So it carries how many messages its
// sender had posted, and waits here until this side has received as many.

/** The messages received from the other side, and what waits for some of them. */
export class Arrivals {
  /** How many messages came from the other side. */
  private received = 0;
  /**
   * What waits, each until `posted` messages have come, in the sender's
   * order: by `posted` (a question read before the lane's batch sent ahead
   * of it goes after it), then as it came.
   */
  private readonly waiting: { posted: number; go(): void }[] = [];

  /** A message came (after it was handled): what waited for it goes now. */
  arrived(): void {
    this.received++;
    while (this.waiting.length > 0 && this.waiting[0].posted <= this.received) this.waiting.shift()!.go();
  }

  /** Runs `go` once `posted` messages have come: now, if they have. */
  after(posted: number, go: () => void): void {
    if (posted <= this.received) return go();
    const at = this.waiting.findIndex((w) => w.posted > posted);
    this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { posted, go });
  }

  /** undefined if `posted` messages have come, else a promise that they have. */
  until(posted: number): Promise<void> | undefined {
    if (posted <= this.received) return undefined;
    return new Promise((resolve) => this.after(posted, resolve));
  }
}
