import sharp from 'sharp';
import { imageContentType } from './image-type.sniffer';

const ascii = (text: string) => Buffer.from(text, 'latin1');

describe(imageContentType.name, () => {
  it.each(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const)(
    'names a %s file by its first bytes',
    async (format) => {
      const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
        .toFormat(format)
        .toBuffer();
      expect(imageContentType(bytes.subarray(0, 64))).toBe(`image/${format}`);
    },
  );

  it('names a BMP and a HEIF file', () => {
    expect(imageContentType(ascii('BM6\u0000\u0000\u0000'))).toBe('image/bmp');
    const heif = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      ascii('ftypheic\u0000\u0000\u0000\u0000mif1heic'),
    ]);
    expect(imageContentType(heif)).toBe('image/heif');
  });

  it('never names a type a browser would run', () => {
    expect(imageContentType(ascii('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'application/octet-stream',
    );
    expect(imageContentType(ascii('<!doctype html>'))).toBe('application/octet-stream');
    expect(imageContentType(Buffer.alloc(0))).toBe('application/octet-stream');
  });
});
