import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface FileHashes {
  size: number;
  /** Hex SHA-256 of the content: what the hub publishes for LFS files. */
  sha256: string;
  /**
   * Hex git blob id, SHA-1 of `blob <size>\0<content>`: what the hub publishes as `oid` for small
   * files kept in git itself, so those can be verified too.
   */
  gitBlobId: string;
}

/** Hashes a file in one streaming pass, so a multi-gigabyte tower never sits in memory. */
export async function hashFile(path: string): Promise<FileHashes> {
  const { size } = await stat(path);
  const sha256 = createHash('sha256');
  const gitBlob = createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    gitBlob.update(chunk as Buffer);
  }
  return { size, sha256: sha256.digest('hex'), gitBlobId: gitBlob.digest('hex') };
}

/** Same hashes for bytes in memory; the fake hub in the tests publishes these. */
export function hashBytes(bytes: Buffer): FileHashes {
  return {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    gitBlobId: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
  };
}
