import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './services';

/** The catalogues and photos bundled in samples/, as the tests upload them. */
export const samples = join(repoRoot, 'samples');

export const photoCatalog = {
  csv: join(samples, 'catalog/photos.csv'),
  archive: join(samples, 'catalog/photos.zip'),
};

/** The old app's catalogue, loaded unchanged through its mapping. */
export const seedCatalog = {
  csv: join(samples, 'seed-format/Fall24.csv'),
  archive: join(samples, 'seed-format/Fall24.zip'),
};
export const seedMapping = readFileSync(join(samples, 'seed-format/Fall24.mapping.json'), 'utf8');

export const photo = (name: string) => join(samples, 'photos', name);

/** A search result as the gateway returns it. */
export type Result = { id: string; score: number; metadata: Record<string, string | number> };
