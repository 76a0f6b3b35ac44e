/** Options of {@link MicroBatcher}. */
export interface MicroBatcherOptions<I, O> {
  /** Runs one batch; must resolve with exactly one result per item, in the same order. */
  readonly runBatch: (items: I[]) => Promise<O[]>;
  /** Most items in one batch; a full batch starts at once. Default 32. */
  readonly maxBatchSize?: number;
  /** Longest the first item of a batch waits for company before the batch starts. Default 5 ms. */
  readonly maxWaitMs?: number;
  /**
   * Batches running at the same time. While every slot is busy, new items gather into the next
   * batch, so batches grow with load instead of contending for the same cores. Default 1.
   */
  readonly maxConcurrentBatches?: number;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (result: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers concurrent single calls into batches: one inference call for many requests costs
 * little more than for one. A failing batch rejects its own callers only.
 */
export class MicroBatcher<I, O> {
  private readonly runBatch: (items: I[]) => Promise<O[]>;
  private readonly maxBatchSize: number;
  private readonly maxWaitMs: number;
  private readonly maxConcurrentBatches: number;
  private readonly outstanding = new Set<Promise<unknown>>();
  private queue: Waiting<I, O>[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The oldest waiting item has waited `maxWaitMs`: start a batch as soon as a slot is free. */
  private due = false;
  private running = 0;
  private closed = false;

  constructor(options: MicroBatcherOptions<I, O>) {
    this.runBatch = options.runBatch;
    this.maxBatchSize = options.maxBatchSize ?? 32;
    this.maxWaitMs = options.maxWaitMs ?? 5;
    this.maxConcurrentBatches = options.maxConcurrentBatches ?? 1;
    if (typeof this.runBatch !== 'function')
      throw new TypeError('runBatch must be a function (items) => Promise<results>');
    requirePositiveInteger('maxBatchSize', this.maxBatchSize);
    requirePositiveInteger('maxConcurrentBatches', this.maxConcurrentBatches);
    if (!Number.isFinite(this.maxWaitMs) || this.maxWaitMs < 0) {
      throw new RangeError(
        `maxWaitMs must be a finite number of milliseconds >= 0, got ${this.maxWaitMs}`,
      );
    }
  }

  /** Items waiting for a batch to start. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Queues one item; resolves with its result, or rejects with its batch's error. */
  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('MicroBatcher is closed'));
    const result = new Promise<O>((resolve, reject) => this.queue.push({ item, resolve, reject }));
    this.track(result);
    this.dispatch();
    return result;
  }

  /** Runs what is waiting without further delay, refuses new items, and waits for every batch. */
  async close(): Promise<void> {
    this.closed = true;
    this.due = true;
    this.dispatch();
    await Promise.allSettled([...this.outstanding]);
  }

  private dispatch(): void {
    while (
      this.running < this.maxConcurrentBatches &&
      this.queue.length > 0 &&
      (this.due || this.queue.length >= this.maxBatchSize)
    ) {
      void this.start(this.queue.splice(0, this.maxBatchSize));
    }
    if (this.queue.length === 0) this.resetWait();
    else if (this.timer === null && !this.due)
      this.timer = setTimeout(() => this.onWaitOver(), this.maxWaitMs);
  }

  private onWaitOver(): void {
    this.timer = null;
    this.due = true;
    this.dispatch();
  }

  private resetWait(): void {
    this.due = this.closed;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async start(batch: Waiting<I, O>[]): Promise<void> {
    this.running++;
    try {
      const results = await this.runBatch(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) {
        throw new Error(`runBatch returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      batch.forEach((waiting) => waiting.reject(error));
    } finally {
      this.running--;
      this.dispatch();
    }
  }

  private track(result: Promise<O>): void {
    const forget = (): void => void this.outstanding.delete(settled);
    const settled: Promise<void> = result.then(forget, forget);
    this.outstanding.add(settled);
  }
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
