import { createHash } from 'node:crypto';

/**
 * Where each file lives. Item files are keyed by a hash of the item id, so any id (slashes,
 * spaces, unicode) maps to a safe, fixed-length name, and a re-ingested item overwrites itself.
 */
export const storageKeys = {
  uploadFolder: (jobId: string) => `uploads/${jobId}`,
  uploadedCsv: (jobId: string) => `uploads/${jobId}/catalog.csv`,
  uploadedArchive: (jobId: string) => `uploads/${jobId}/archive.zip`,
  original: (itemId: string) => itemPath('originals', itemId),
  thumbnail: (itemId: string) => `${itemPath('thumbnails', itemId)}.jpg`,
};

function itemPath(folder: string, itemId: string): string {
  const hash = createHash('sha256').update(itemId).digest('hex');
  return `${folder}/${hash.slice(0, 2)}/${hash}`;
}
