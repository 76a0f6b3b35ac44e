import { open as openFile, stat, unlink } from 'node:fs/promises';
import { describeNetworkError } from './hub-client';
import { DownloadInterruptedError, HubResponseError } from './fetch-errors';

export interface ResumableDownload {
  /** Names the file in messages, e.g. `onnx/vision_model_fp16.onnx`. */
  label: string;
  /**
   * Where the bytes accumulate. Whatever is already there is taken as a correct prefix and
   * continued with a Range request; the caller verifies and renames the finished file.
   */
  partialPath: string;
  /** Size the hub announced, when it did; a partial already that long is not requested again. */
  expectedSize?: number;
  /** Opens the remote content from a byte offset; must answer 200, 206 or 416. */
  open(offset: number, signal: AbortSignal): Promise<Response>;
  /** Called after every chunk written, with the bytes now on disk and the total when known. */
  onProgress?(bytesOnDisk: number, total: number | undefined): void;
  /** Abandon the transfer when no byte arrives for this long. Default 60 000 ms. */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  /** Bytes in the partial file when the transfer ended. */
  bytes: number;
  /** Bytes that were already there and were not transferred again (0 for a fresh download). */
  resumedFrom: number;
  /** Bytes of an earlier partial thrown away because the server could not continue it. */
  discarded: number;
}

/**
 * Downloads into a `.partial` file that survives interruption: a rerun sends `Range: bytes=N-`
 * and appends. A server that ignores Range (200) or no longer agrees with the partial (416, or a
 * 206 starting elsewhere) makes it start over, because appending would corrupt the file.
 * An interruption throws DownloadInterruptedError and leaves the bytes received on disk.
 */
export async function downloadResumable(download: ResumableDownload): Promise<DownloadResult> {
  const found = await existingSize(download.partialPath);
  let offset = found;
  if (download.expectedSize !== undefined && offset > download.expectedSize)
    offset = await restart(download.partialPath);
  if (offset > 0 && offset === download.expectedSize)
    return { bytes: offset, resumedFrom: offset, discarded: 0 };

  const controller = new AbortController();
  let response = await download.open(offset, controller.signal);
  // A 200 is the whole file and is used as is; a 416 or a 206 elsewhere needs a fresh request.
  if (offset > 0 && response.status !== 200 && !continuesAt(response, offset)) {
    await response.body?.cancel().catch(() => undefined);
    offset = await restart(download.partialPath);
    response = await download.open(0, controller.signal);
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel().catch(() => undefined);
    throw new HubResponseError(
      `${download.label}: the server answered HTTP ${response.status} to a download from byte ${offset}.`,
    );
  }
  const resumedFrom = response.status === 206 ? offset : 0;
  const bytes = await writeBody(download, response, resumedFrom, controller);
  return { bytes, resumedFrom, discarded: found - resumedFrom };
}

async function writeBody(
  download: ResumableDownload,
  response: Response,
  start: number,
  controller: AbortController,
): Promise<number> {
  const total = announcedTotal(response, start) ?? download.expectedSize;
  const idleTimeoutMs = download.idleTimeoutMs ?? 60_000;
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const armIdleTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      controller.abort();
    }, idleTimeoutMs);
  };

  // 'w' truncates: a 200 answer is the whole file again, whatever the partial held.
  const file = await openFile(download.partialPath, start > 0 ? 'a' : 'w');
  let bytes = start;
  try {
    armIdleTimer();
    if (response.body) {
      for await (const chunk of response.body) {
        armIdleTimer();
        // Written one chunk at a time so the file length is always exactly what arrived.
        await file.write(chunk);
        bytes += chunk.length;
        download.onProgress?.(bytes, total);
      }
    }
  } catch (error) {
    const reason = idle ? `no data for ${idleTimeoutMs / 1000} s` : describeNetworkError(error);
    throw new DownloadInterruptedError(download.label, bytes, reason, { cause: error });
  } finally {
    clearTimeout(timer);
    await file.close();
  }
  if (total !== undefined && bytes < total) {
    throw new DownloadInterruptedError(
      download.label,
      bytes,
      `the connection closed ${total - bytes} bytes early`,
    );
  }
  return bytes;
}

/** True when the answer is the rest of the file from `offset`, so appending is safe. */
function continuesAt(response: Response, offset: number): boolean {
  if (response.status !== 206) return false;
  const match = response.headers.get('content-range')?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
  return match !== null && match !== undefined && Number(match[1]) === offset;
}

function announcedTotal(response: Response, start: number): number | undefined {
  const range = response.headers.get('content-range')?.match(/\/(\d+)$/);
  if (range) return Number(range[1]);
  const length = response.headers.get('content-length');
  // fetch decodes compressed bodies, so Content-Length then counts other bytes than we write.
  if (length === null || response.headers.get('content-encoding')) return undefined;
  return start + Number(length);
}

async function existingSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function restart(path: string): Promise<number> {
  await unlink(path).catch(() => undefined);
  return 0;
}
