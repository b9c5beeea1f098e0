/**
 * Runs up to `limit` async tasks at once; `add` waits while the pool is full, so a producer
 * never queues more than the pool holds. The first failure is kept and rethrown by `drain`.
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.running.size >= this.limit) {
      await Promise.race(this.running);
      this.throwIfFailed();
    }
    const promise: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.running.delete(promise);
      });
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
    this.throwIfFailed();
  }

  /** Waits for what runs, ignoring failures: used when the run is stopping anyway. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
  }

  /** Rethrows the first failure of a task, if any: a producer stops adding work then. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
