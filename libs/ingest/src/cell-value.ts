/** A metadata value as stored next to the vector: numbers stay numbers so filters like `$gte` work. */
export type MetadataValue = string | number;

/**
 * Plain decimal numerals only: an optional minus, no leading zeros, an optional fraction.
 * `007`, `+5`, `1e3`, `.5`, `1,000` and `0x10` stay text: a leading zero marks a code
 * (article numbers, postcodes, serials) whose zeros would be lost for good as a number,
 * and the other spellings are more often labels than quantities.
 */
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Doubles hold 15 significant decimal digits exactly; longer numerals (barcodes) stay text. */
const MAX_DIGITS = 15;

/** Turns a trimmed, non-empty cell into the value stored as metadata. */
export function toMetadataValue(cell: string): MetadataValue {
  if (!DECIMAL.test(cell)) return cell;
  const digits = cell.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  if (digits.length > MAX_DIGITS) return cell;
  const value = Number(cell);
  // `-0` would come back as `0`; keep the text the user wrote.
  return Object.is(value, -0) ? cell : value;
}
