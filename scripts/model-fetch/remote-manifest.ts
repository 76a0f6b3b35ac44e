import { posix } from 'node:path';
import { HubClient, RemoteFileInfo } from './hub-client';
import { LogLine } from './progress-log';

/** Remote path -> what the hub says about it, or undefined when the repository has no such file. */
export type RemoteManifest = Map<string, RemoteFileInfo | undefined>;

/**
 * Looks up the wanted files before anything is downloaded, so a missing tower fails the run at
 * once and every file has its expected checksum. The tree API answers a whole folder in one
 * request; where it is unavailable (some mirrors) each file gets a HEAD request instead.
 */
export async function readRemoteManifest(
  hub: HubClient,
  paths: string[],
  log: LogLine,
): Promise<RemoteManifest> {
  const manifest: RemoteManifest = new Map();
  const folders = [...new Set(paths.map(folderOf))];
  for (const folder of folders) {
    const wanted = paths.filter((path) => folderOf(path) === folder);
    const listing = await hub.listDirectory(folder);
    if (listing) {
      const byPath = new Map(listing.map((file) => [file.path, file]));
      for (const path of wanted) manifest.set(path, byPath.get(path));
      continue;
    }
    log(
      `the tree API of ${hub.endpoint} gave no listing of "${folder || '/'}"; reading checksums from HEAD requests`,
    );
    for (const path of wanted) manifest.set(path, await hub.head(path));
  }
  return manifest;
}

function folderOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}
