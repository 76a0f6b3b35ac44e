import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Variant } from './model-files';

/** Written last, so its presence means every file of the folder was fetched and verified. */
export const FETCH_INFO_FILE = 'fetch-info.json';

/** How a file's content was checked against the hub. */
export type Verification = 'sha256' | 'git-blob-id' | 'size' | 'none';

export interface FetchedFile {
  /** Path in the hub repository, which differs from the local one for fp16 and quantized towers. */
  source: string;
  size: number;
  sha256: string;
  verifiedBy: Verification;
}

export interface FetchInfo {
  model: string;
  variant: Variant;
  endpoint: string;
  /** The revision asked for (branch, tag or commit). */
  revision: string;
  fetchedAt: string;
  /** Keyed by local path, e.g. `onnx/text_model.onnx`. */
  files: Record<string, FetchedFile>;
  /** Optional files the repository does not have. */
  absent: string[];
}

export async function writeFetchInfo(outDir: string, info: FetchInfo): Promise<void> {
  await writeFile(join(outDir, FETCH_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
}
