import { mkdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChecksumMismatchError,
  DownloadInterruptedError,
  HubNotFoundError,
  ModelFetchError,
} from './fetch-errors';
import {
  FETCH_INFO_FILE,
  FetchedFile,
  FetchInfo,
  Verification,
  writeFetchInfo,
} from './fetch-info';
import { HubClient, RemoteFileInfo } from './hub-client';
import {
  defaultModelDir,
  isVariant,
  ModelFile,
  modelFiles,
  Variant,
  VARIANTS,
} from './model-files';
import { formatBytes, LogLine, progressLog } from './progress-log';
import { readRemoteManifest } from './remote-manifest';
import { downloadResumable, DownloadResult } from './resumable-download';
import { FileHashes, hashFile } from './sha256';

export interface FetchModelOptions {
  /** Hub id of an ONNX export of CLIP in the Xenova layout, e.g. `Xenova/clip-vit-base-patch32`. */
  model: string;
  /** Precision of the towers to fetch. Default `fp32`. Saved under the fp32 names whatever it is. */
  variant?: Variant;
  /** Local folder. Default `models/<last part of the id>`, relative to the working directory. */
  outDir?: string;
  /** Hub base URL. Default `https://huggingface.co`; the CLI also reads HF_ENDPOINT. */
  endpoint?: string;
  /** Branch, tag or commit. Default `main`. */
  revision?: string;
  /** Bearer token for private or gated repositories (the CLI reads HF_TOKEN). Default none. */
  token?: string;
  /**
   * Further attempts at a file after its transfer was interrupted in this run, each resuming where
   * the last stopped. Default 2. Across runs resuming needs no option: the `.partial` file is kept.
   */
  retries?: number;
  /** Pause before retry n is n times this. Default 1 000 ms. */
  retryDelayMs?: number;
  /** Wait for response headers before declaring the hub unreachable. Default 30 000 ms. */
  responseTimeoutMs?: number;
  /** Abandon a transfer that stalls this long. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Least time between two progress lines of one file. Default 2 000 ms. */
  progressIntervalMs?: number;
  /** Receives notes and progress lines (the CLI sends them to stderr). Default: discarded. */
  log?: LogLine;
}

export interface FileOutcome {
  local: string;
  source: string;
  status: 'downloaded' | 'already-complete' | 'absent';
  /** For a download that continued an earlier partial file, the bytes it already held. */
  resumedFrom?: number;
}

export interface FetchModelResult {
  outDir: string;
  info: FetchInfo;
  files: FileOutcome[];
}

/**
 * Fetches the configs, tokenizer and two ONNX towers of a CLIP model from a Hugging Face hub into
 * a local folder that the CLIP loaders read (DESIGN.md, "Model"). Every file is verified against
 * the hub's checksum before it takes its final name, and fetch-info.json is written only after all
 * of them, so a folder with fetch-info.json is complete.
 */
export async function fetchModel(options: FetchModelOptions): Promise<FetchModelResult> {
  const variant = options.variant ?? 'fp32';
  if (!isVariant(variant))
    throw new ModelFetchError(`variant must be one of ${VARIANTS.join(', ')}, got "${variant}"`);
  const hub = new HubClient(options);
  const log = options.log ?? (() => undefined);
  const outDir = resolve(options.outDir ?? defaultModelDir(options.model));
  const files = modelFiles(variant);

  const manifest = await readRemoteManifest(
    hub,
    files.map((file) => file.remote),
    log,
  );
  const missing = files.filter((file) => file.required && !manifest.get(file.remote));
  if (missing.length > 0) throw missingFilesError(hub, variant, missing);

  await mkdir(outDir, { recursive: true });
  // An earlier fetch-info.json would vouch for a folder that is about to change.
  await rm(join(outDir, FETCH_INFO_FILE), { force: true });

  const info: FetchInfo = {
    model: hub.model,
    variant,
    endpoint: hub.endpoint,
    revision: hub.revision,
    fetchedAt: new Date().toISOString(),
    files: {},
    absent: [],
  };
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    const remote = manifest.get(file.remote);
    if (!remote) {
      log(`${file.remote}: not in the repository, skipped (optional)`);
      info.absent.push(file.remote);
      outcomes.push({ local: file.local, source: file.remote, status: 'absent' });
      continue;
    }
    const fetched = await fetchFile(hub, file, remote, outDir, options, log);
    info.files[file.local] = fetched.record;
    outcomes.push(fetched.outcome);
  }
  await writeFetchInfo(outDir, info);
  return { outDir, info, files: outcomes };
}

async function fetchFile(
  hub: HubClient,
  file: ModelFile,
  remote: RemoteFileInfo,
  outDir: string,
  options: FetchModelOptions,
  log: LogLine,
): Promise<{ record: FetchedFile; outcome: FileOutcome }> {
  const target = join(outDir, file.local);
  const record = (hashes: FileHashes, verifiedBy: Verification): FetchedFile => ({
    source: file.remote,
    size: hashes.size,
    sha256: hashes.sha256,
    verifiedBy,
  });

  // Only a checksum can prove an existing file current; a size match could be an older version.
  const existing = await hashFile(target).catch(() => undefined);
  const existingVerdict = existing && check(remote, existing);
  if (
    existing &&
    existingVerdict?.ok &&
    (existingVerdict.by === 'sha256' || existingVerdict.by === 'git-blob-id')
  ) {
    log(
      `${file.remote}: already complete (${formatBytes(existing.size)}, ${existingVerdict.by} ok)`,
    );
    return {
      record: record(existing, existingVerdict.by),
      outcome: { local: file.local, source: file.remote, status: 'already-complete' },
    };
  }

  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  const download = await downloadWithRetries(hub, file.remote, partial, remote.size, options, log);
  const hashes = await hashFile(partial);
  const verdict = check(remote, hashes);
  if (!verdict.ok) {
    await unlink(partial);
    throw new ChecksumMismatchError(file.remote, verdict.by, verdict.expected, verdict.actual);
  }
  await rename(partial, target);
  const resumed =
    download.resumedFrom > 0 ? `, resumed at ${formatBytes(download.resumedFrom)}` : '';
  log(
    `${file.remote}: ${formatBytes(hashes.size)} done (${verdict.by === 'none' ? 'no checksum published' : `${verdict.by} ok`}${resumed})`,
  );
  return {
    record: record(hashes, verdict.by),
    outcome: {
      local: file.local,
      source: file.remote,
      status: 'downloaded',
      resumedFrom: download.resumedFrom,
    },
  };
}

async function downloadWithRetries(
  hub: HubClient,
  path: string,
  partialPath: string,
  expectedSize: number | undefined,
  options: FetchModelOptions,
  log: LogLine,
): Promise<DownloadResult> {
  const retries = options.retries ?? 2;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await downloadResumable({
        label: path,
        partialPath,
        expectedSize,
        open: (offset, signal) => hub.open(path, offset, signal),
        onProgress: progressLog(path, log, { intervalMs: options.progressIntervalMs }),
        idleTimeoutMs: options.idleTimeoutMs,
      });
      if (result.discarded > 0)
        log(
          `${path}: the server could not continue the ${formatBytes(result.discarded)} fetched before; started over`,
        );
      return result;
    } catch (error) {
      if (!(error instanceof DownloadInterruptedError) || attempt > retries) throw error;
      log(
        `${path}: interrupted after ${formatBytes(error.bytesSoFar)} (${error.reason}); resuming, attempt ${attempt + 1} of ${retries + 1}`,
      );
      await sleep((options.retryDelayMs ?? 1_000) * attempt);
    }
  }
}

type Verdict =
  | { ok: true; by: Verification }
  | { ok: false; by: Verification; expected: string; actual: string };

/** Compares with the strongest evidence the hub published: SHA-256 for LFS files, else the git blob id, else the size. */
function check(remote: RemoteFileInfo, hashes: FileHashes): Verdict {
  if (remote.sha256) return compare('sha256', remote.sha256, hashes.sha256);
  if (remote.gitBlobId) return compare('git-blob-id', remote.gitBlobId, hashes.gitBlobId);
  if (remote.size !== undefined) return compare('size', String(remote.size), String(hashes.size));
  return { ok: true, by: 'none' };
}

function compare(by: Verification, expected: string, actual: string): Verdict {
  return expected.toLowerCase() === actual ? { ok: true, by } : { ok: false, by, expected, actual };
}

function missingFilesError(
  hub: HubClient,
  variant: Variant,
  missing: ModelFile[],
): HubNotFoundError {
  const names = missing.map((file) => file.remote).join(', ');
  const towerMissing = missing.some((file) => file.remote.startsWith('onnx/'));
  const hint = towerMissing
    ? `the repository lacks the ${variant} ONNX export of a tower; use an ONNX export in the Xenova layout (e.g. Xenova/clip-vit-base-patch32) or another --variant`
    : 'check the model id and --revision';
  return new HubNotFoundError(`${names} not found in ${hub.describeRepo()}: ${hint}.`);
}
