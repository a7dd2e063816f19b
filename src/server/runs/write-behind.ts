// A run's bookkeeping writes (step rows, screenshots, heartbeats) applied in order, one at a time, without holding
// up the browser: the dashboard still sees each step a few milliseconds after it happens, but a step no longer
// waits for four round trips to Postgres before the next one starts. The first failure stops the queue and is
// raised by the next check() or flush(), so a broken database still errors the run, as it did when every write
// was awaited in place.

export class WriteBehind {
  private tail: Promise<void> = Promise.resolve();
  private failure: { err: unknown } | undefined;

  /** Queues a write; it runs after every write queued before it, and not at all once one has failed. */
  push(write: () => Promise<unknown>): void {
    this.tail = this.tail
      .then(async () => {
        if (!this.failure) await write();
      })
      .catch((err: unknown) => {
        this.failure ??= { err };
      });
  }

  /** Raises the first failed write's error, if any. */
  check(): void {
    if (this.failure) throw this.failure.err;
  }

  /** Waits for every queued write, then raises the first failure. */
  async flush(): Promise<void> {
    await this.tail;
    this.check();
  }

  /** Waits for every queued write without raising (clean-up paths that must not write out of order). */
  drain(): Promise<void> {
    return this.tail;
  }
}
