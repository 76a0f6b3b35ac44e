import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ZipFile } from 'yazl';
import { mapBounded } from './measure';

export interface SyntheticCatalog {
  csv: string;
  archive: string;
  images: number;
  archiveMB: number;
  /** Seconds spent building it now; 0 when it was already there. */
  builtSeconds: number;
}

/** Long sides the copies are resized to, cycled: small web pictures to large product shots. */
const LONG_SIDES = [320, 480, 640, 800, 1024, 1280, 1600, 2000];
const CATEGORIES = ['people', 'texture', 'animals', 'objects', 'science', 'documents'];

/**
 * N distinct pictures made from samples/photos: each photo resized to one of several sizes,
 * slightly rotated in hue and re-encoded (JPEG, one in five PNG when small), so every file
 * differs and sizes vary as in a real catalogue. Kept in `folder` and reused when present.
 */
export async function syntheticCatalog(
  photosFolder: string,
  folder: string,
  count: number,
): Promise<SyntheticCatalog> {
  const csv = join(folder, 'catalog.csv');
  const archive = join(folder, 'catalog.zip');
  const sizeOf = (file: string) => Math.round(statSync(file).size / 1e6);
  if (existsSync(csv) && existsSync(archive))
    return { csv, archive, images: count, archiveMB: sizeOf(archive), builtSeconds: 0 };
  const started = Date.now();
  mkdirSync(folder, { recursive: true });
  const photos = readdirSync(photosFolder)
    .filter((name) => /\.(png|jpe?g)$/i.test(name))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(photosFolder, name)) }));
  const entries = await mapBounded(
    Array.from({ length: count }, (_, index) => index),
    4,
    async (index) => {
      const photo = photos[index % photos.length]!;
      const longSide = LONG_SIDES[Math.floor(index / photos.length) % LONG_SIDES.length]!;
      const png = longSide <= 800 && index % 5 === 0;
      const id = `item-${String(index).padStart(6, '0')}`;
      const file = `images/${id}.${png ? 'png' : 'jpg'}`;
      let image = sharp(photo.bytes)
        .rotate()
        .resize(longSide, longSide, { fit: 'inside' })
        .modulate({ hue: (index * 7) % 360 });
      image = png ? image.png() : image.jpeg({ quality: 80 + (index % 15) });
      return { id, file, photo: photo.name, longSide, bytes: await image.toBuffer() };
    },
  );
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(entry.bytes, entry.file);
  zip.end();
  const partial = `${archive}.partial`;
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(partial);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
  const rows = entries.map(
    (entry, index) =>
      `${entry.id},${entry.file},"Copy of ${entry.photo} at ${entry.longSide} px",${CATEGORIES[index % CATEGORIES.length]},${100 + (index % 200)}`,
  );
  writeFileSync(csv, ['id,image,title,category,gsm', ...rows].join('\n') + '\n');
  renameSync(partial, archive);
  return {
    csv,
    archive,
    images: count,
    archiveMB: sizeOf(archive),
    builtSeconds: Math.round((Date.now() - started) / 1000),
  };
}
