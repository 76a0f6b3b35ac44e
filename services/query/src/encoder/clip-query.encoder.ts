import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClipModel, EmptyTextError, MicroBatcher } from '@imgsearch/clip';
import { QUERY_CONFIG, QueryConfig } from '../query.config';
import { encoderBatchSize, encoderDuration, EncoderKind } from '../query.metrics';

/** One item's outcome inside a shared batch, so one bad text cannot fail its neighbours. */
type Outcome = { embedding: Float32Array } | { error: unknown };

/**
 * Turns one search query into a vector. Concurrent queries of a kind share one encoder run
 * (MicroBatcher); pictures are decoded per request before batching, so an undecodable upload
 * fails only its own request.
 */
@Injectable()
export class ClipQueryEncoder implements OnApplicationShutdown {
  private readonly texts: MicroBatcher<string, Outcome>;
  private readonly pictures: MicroBatcher<Float32Array, Outcome>;
  private closed = false;

  constructor(
    private readonly model: ClipModel,
    @Inject(QUERY_CONFIG) config: Pick<QueryConfig, 'QUERY_BATCH_SIZE' | 'QUERY_BATCH_WAIT_MS'>,
  ) {
    const batching = {
      maxBatchSize: config.QUERY_BATCH_SIZE,
      maxWaitMs: config.QUERY_BATCH_WAIT_MS,
    };
    this.texts = new MicroBatcher<string, Outcome>({
      ...batching,
      runBatch: (texts) => this.encodeTexts(texts),
    });
    this.pictures = new MicroBatcher<Float32Array, Outcome>({
      ...batching,
      runBatch: async (pixels) =>
        (await this.timed('image', pixels.length, () => this.model.embedPixels(pixels))).map(
          (embedding) => ({ embedding }),
        ),
    });
  }

  /** @throws EmptyTextError when the text holds nothing to embed */
  async embedText(text: string): Promise<Float32Array> {
    if (text.trim() === '') throw new EmptyTextError();
    return unwrap(await this.texts.submit(text));
  }

  /** @throws ImageDecodeError when the bytes are not a picture the model can read */
  async embedImage(bytes: Buffer): Promise<Float32Array> {
    const pixels = await this.model.preprocessImage(bytes);
    return unwrap(await this.pictures.submit(pixels));
  }

  /** For the readiness probe: rejects once the model is released. */
  async assertReady(): Promise<void> {
    if (this.closed) throw new Error(`model ${this.model.name} is closed`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.texts.close(), this.pictures.close()]);
    await this.model.close();
  }

  /**
   * The tokenizer may find nothing in a text that JavaScript's trim() keeps (control characters,
   * say); then the whole run is refused, so the batch is retried one text at a time to fail only
   * that text.
   */
  private async encodeTexts(texts: string[]): Promise<Outcome[]> {
    try {
      const embeddings = await this.timed('text', texts.length, () => this.model.embedTexts(texts));
      return embeddings.map((embedding) => ({ embedding }));
    } catch (error) {
      if (!(error instanceof EmptyTextError) || texts.length === 1) throw error;
      return Promise.all(
        texts.map((text) =>
          this.model.embedTexts([text]).then(
            ([embedding]) => ({ embedding }),
            (failure: unknown) => ({ error: failure }),
          ),
        ),
      );
    }
  }

  private async timed(
    kind: EncoderKind,
    size: number,
    run: () => Promise<Float32Array[]>,
  ): Promise<Float32Array[]> {
    encoderBatchSize.observe({ kind }, size);
    const stop = encoderDuration.startTimer({ kind });
    try {
      return await run();
    } finally {
      stop();
    }
  }
}

function unwrap(outcome: Outcome): Float32Array {
  if ('error' in outcome) throw outcome.error;
  return outcome.embedding;
}
