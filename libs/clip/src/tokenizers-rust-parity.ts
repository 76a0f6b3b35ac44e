import {
  ByteLevelPreTokenizer,
  LowercaseNormalizer,
  type Normalizer,
  type PreTokenizer,
  SequenceNormalizer,
  SequencePreTokenizer,
  type Tokenizer,
} from '@huggingface/tokenizers';

// GPT-2's split pattern, as the Rust crate compiles it: there `\s` is Unicode White_Space.
// tokenizers.js hard-codes the same pattern with JavaScript's `\s`, which also matches U+FEFF
// (the byte-order mark) and so cut "\uFEFF!" into two words where Rust keeps one. Patterns read
// from tokenizer.json are already translated by the library; only this built-in one is not.
const BYTE_LEVEL_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

/**
 * Makes a tokenizers.js tokenizer produce the ids of the Rust `tokenizers` crate that
 * `transformers` uses, where the two differ. Found by encoding 35,000 random and adversarial
 * strings, and every code point up to U+2FFFF, with both. Differences left after these two fixes, judged too rare to patch: code
 * points new in Unicode 16-17 (Node's ICU knows them, the Rust crate's tables do not yet), and a
 * text that is exactly a case variant of "<|endoftext|>" (tokenizers.js matches it as the special
 * token after lowercasing; Rust matches that token on the raw text only and spells it out).
 */
export function alignWithRustTokenizers(tokenizer: Tokenizer): void {
  visitNormalizers(tokenizer.normalizer, (normalizer) => {
    if (normalizer instanceof LowercaseNormalizer) normalizer.normalize = lowercaseCharByChar;
  });
  visitPreTokenizers(tokenizer.pre_tokenizer, (preTokenizer) => {
    if (preTokenizer instanceof ByteLevelPreTokenizer) preTokenizer.pattern = BYTE_LEVEL_PATTERN;
  });
}

// Rust lowercases one character at a time; `String.prototype.toLowerCase` applies the Greek
// final-sigma rule, turning the last "Σ" of a word into "ς" where Rust writes "σ". Mapping capital
// sigma first is the only context-dependent rule to undo: every other mapping is per character.
function lowercaseCharByChar(text: string): string {
  return text.replace(/\u03A3/g, '\u03C3').toLowerCase();
}

function visitNormalizers(
  normalizer: Normalizer | null,
  visit: (normalizer: Normalizer) => void,
): void {
  if (normalizer === null) return;
  visit(normalizer);
  if (normalizer instanceof SequenceNormalizer) {
    normalizer.normalizers.forEach((child) => visitNormalizers(child, visit));
  }
}

function visitPreTokenizers(
  preTokenizer: PreTokenizer | null,
  visit: (preTokenizer: PreTokenizer) => void,
): void {
  if (preTokenizer === null) return;
  visit(preTokenizer);
  if (preTokenizer instanceof SequencePreTokenizer) {
    preTokenizer.tokenizers.forEach((child) => visitPreTokenizers(child, visit));
  }
}
