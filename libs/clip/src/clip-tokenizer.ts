import { Tokenizer } from '@huggingface/tokenizers';
import { readJsonFile } from './clip-model.config';
import { ClipModelError, EmptyTextError } from './clip.errors';
import { alignWithRustTokenizers } from './tokenizers-rust-parity';

/** One text as the text tower takes it: always exactly `contextLength` positions. */
export interface TokenizedText {
  /** Start token, the text's tokens, end token, then padding up to `contextLength`. */
  readonly inputIds: readonly number[];
  /** 1 for the start, text and end tokens; 0 for padding. */
  readonly attentionMask: readonly number[];
  /** True when the text had more tokens than fit and its tail was dropped. */
  readonly truncated: boolean;
}

interface SpecialTokenIds {
  readonly start: number;
  readonly end: number;
  readonly pad: number;
}

/**
 * CLIP's tokenizer, driven entirely by the model's `tokenizer.json` (normalization, BPE merges)
 * and `tokenizer_config.json` (start, end and pad tokens). Produces the ids `transformers` does
 * with `padding="max_length", truncation=True`.
 */
export class ClipTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly special: SpecialTokenIds;

  /**
   * @param tokenizerJson parsed `tokenizer.json`
   * @param tokenizerConfig parsed `tokenizer_config.json`
   * @param contextLength tokens per text, start and end included (`text_config.max_position_embeddings`)
   */
  constructor(
    tokenizerJson: object,
    tokenizerConfig: object,
    readonly contextLength: number,
  ) {
    if (!Number.isInteger(contextLength) || contextLength < 3) {
      throw new RangeError(`contextLength must be an integer of at least 3, got ${contextLength}`);
    }
    this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    alignWithRustTokenizers(this.tokenizer);
    this.special = this.readSpecialTokens(tokenizerConfig as Record<string, unknown>);
  }

  /** Loads `tokenizer.json` and `tokenizer_config.json` from a Hugging Face model folder. */
  static async fromModelDir(modelDir: string, contextLength: number): Promise<ClipTokenizer> {
    const [tokenizerJson, tokenizerConfig] = await Promise.all([
      readJsonFile(modelDir, 'tokenizer.json'),
      readJsonFile(modelDir, 'tokenizer_config.json'),
    ]);
    return new ClipTokenizer(tokenizerJson as object, tokenizerConfig as object, contextLength);
  }

  /**
   * Tokenizes one text. A text too long for the context is cut, keeping the end token last,
   * as CLIP was trained; it is never an error.
   * @throws EmptyTextError when the text has no tokens (empty or whitespace only)
   */
  encode(text: string): TokenizedText {
    const tokens = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    if (tokens.length === 0) throw new EmptyTextError();
    const room = this.contextLength - 2;
    const kept = tokens.slice(0, room);
    const ids = [this.special.start, ...kept, this.special.end];
    const padding = this.contextLength - ids.length;
    return {
      inputIds: [...ids, ...new Array<number>(padding).fill(this.special.pad)],
      attentionMask: [
        ...new Array<number>(ids.length).fill(1),
        ...new Array<number>(padding).fill(0),
      ],
      truncated: tokens.length > room,
    };
  }

  private readSpecialTokens(config: Record<string, unknown>): SpecialTokenIds {
    const end = this.tokenId(config, 'eos_token');
    return {
      start: this.tokenId(config, 'bos_token'),
      end,
      // CLIP pads with its end token; a config without pad_token means the same.
      pad:
        config.pad_token === undefined || config.pad_token === null
          ? end
          : this.tokenId(config, 'pad_token'),
    };
  }

  private tokenId(config: Record<string, unknown>, key: string): number {
    const value = config[key];
    // tokenizer_config.json writes a special token either as its text or as an AddedToken object.
    const content =
      typeof value === 'object' && value !== null
        ? (value as { content?: unknown }).content
        : value;
    const id = typeof content === 'string' ? this.tokenizer.token_to_id(content) : undefined;
    if (id === undefined) {
      throw new ClipModelError(
        `tokenizer_config.json: ${key} ${JSON.stringify(value)} is not a known token`,
      );
    }
    return id;
  }
}
