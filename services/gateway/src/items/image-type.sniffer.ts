/** Bytes from the start of a file that {@link imageContentType} needs to see. */
export const IMAGE_SNIFF_BYTES = 64;

export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

const startsWith = (head: Uint8Array, bytes: number[], at = 0) =>
  bytes.every((byte, index) => head[at + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/**
 * The media type of an image from its first bytes. Originals are stored without an extension
 * (their key is a hash of the item id), so the bytes are all there is to go by. Only types a
 * browser shows as an image are named; anything else is `application/octet-stream`, never a
 * type a browser would run (SVG, HTML).
 */
export function imageContentType(head: Uint8Array): string {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  if (startsWith(head, ascii('BM'))) return 'image/bmp';
  if (startsWith(head, ascii('ftyp'), 4)) return isoMediaType(head);
  return UNKNOWN_CONTENT_TYPE;
}

/** AVIF and HEIF share the ISO media container; its `ftyp` box lists the brands. */
function isoMediaType(head: Uint8Array): string {
  const boxEnd = Math.min(head.length, new DataView(head.buffer, head.byteOffset).getUint32(0));
  const brands: string[] = [];
  // Major brand at 8, minor version at 12, compatible brands from 16.
  for (let at = 8; at + 4 <= boxEnd; at += at === 8 ? 8 : 4) {
    brands.push(String.fromCharCode(...head.subarray(at, at + 4)));
  }
  if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return 'image/avif';
  if (brands.some((brand) => ['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)))
    return 'image/heif';
  return UNKNOWN_CONTENT_TYPE;
}
