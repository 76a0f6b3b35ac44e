import { basename } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { ClipModelError } from './clip.errors';

/** ONNX Runtime execution providers this library knows how to ask for. */
export type ExecutionProvider = 'cpu' | 'cuda';

/** Where the library reports what it decided; a Nest `Logger` fits. */
export interface ClipLogger {
  warn(message: string): void;
  log(message: string): void;
}

/** Options of {@link OnnxSessionFactory}. */
export interface OnnxSessionFactoryOptions {
  /** Providers in order of preference. Default `['cpu']`. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Threads inside one operator; 0 or unset lets ONNX Runtime pick (one per physical core). */
  readonly intraOpNumThreads?: number;
  /** Threads across independent operators; 0 or unset lets ONNX Runtime pick. */
  readonly interOpNumThreads?: number;
  readonly logger: ClipLogger;
}

const KNOWN_PROVIDERS: readonly ExecutionProvider[] = ['cpu', 'cuda'];

/**
 * Creates ONNX Runtime sessions on the preferred execution providers. When CUDA is asked for
 * but cannot be used (no GPU, no CUDA libraries), it says why and falls back to the CPU, and
 * later sessions go straight to the CPU rather than fail the same way again.
 */
export class OnnxSessionFactory {
  private providers: readonly ExecutionProvider[];

  constructor(private readonly options: OnnxSessionFactoryOptions) {
    this.providers = options.executionProviders ?? ['cpu'];
    const unknown = this.providers.filter((provider) => !KNOWN_PROVIDERS.includes(provider));
    if (this.providers.length === 0 || unknown.length > 0) {
      throw new RangeError(
        `executionProviders must list one or more of ${KNOWN_PROVIDERS.join(', ')}; got [${this.providers.join(', ')}]`,
      );
    }
  }

  /** The providers sessions are created with now (CUDA dropped after it failed). */
  get executionProviders(): readonly ExecutionProvider[] {
    return this.providers;
  }

  async create(modelPath: string): Promise<InferenceSession> {
    try {
      return await this.createOn(modelPath, this.providers);
    } catch (error) {
      if (!this.providers.includes('cuda')) throw cannotLoad(modelPath, error);
      this.options.logger.warn(
        `CUDA is unavailable for ${basename(modelPath)}, using the CPU instead: ${messageOf(error)}`,
      );
      this.providers = ['cpu'];
      return this.createOn(modelPath, this.providers).catch((cpuError: unknown) =>
        Promise.reject(cannotLoad(modelPath, cpuError)),
      );
    }
  }

  private async createOn(
    modelPath: string,
    providers: readonly ExecutionProvider[],
  ): Promise<InferenceSession> {
    const session = await InferenceSession.create(modelPath, {
      executionProviders: providers,
      ...positive('intraOpNumThreads', this.options.intraOpNumThreads),
      ...positive('interOpNumThreads', this.options.interOpNumThreads),
    });
    this.options.logger.log(`loaded ${basename(modelPath)} on ${providers.join(', ')}`);
    return session;
  }
}

function positive<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value !== undefined && value > 0 ? ({ [key]: value } as Record<K, number>) : {};
}

function cannotLoad(modelPath: string, error: unknown): ClipModelError {
  return new ClipModelError(`cannot load ${modelPath}: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
