/**
 * `npm run demo`: the main job in one command. Uses the running stack at GATEWAY_URL, or starts
 * one (and stops it at the end), uploads the bundled photo catalogue, shows progress, then runs
 * a text query and an image query and prints the top results.
 */
import { join } from 'node:path';
import { GatewayClient, IngestStatus, waitForJob } from '@imgsearch/client';
import {
  chooseModelDir,
  LocalStack,
  localAdmin,
  repoRoot,
  startLocalStack,
} from '../stack/local-stack';
import { printResults } from './results-table';

const env = process.env;
const catalog = {
  csv: join(repoRoot, 'samples/catalog/photos.csv'),
  archive: join(repoRoot, 'samples/catalog/photos.zip'),
};
const TEXT_QUERY = env.DEMO_TEXT ?? 'a cat lying on a blanket';
const IMAGE_QUERY = join(repoRoot, 'samples/photos/chelsea.png');

async function main(): Promise<void> {
  const gatewayUrl = env.GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT ?? 4000}`;
  let stack: LocalStack | undefined;
  if (!(await isReady(gatewayUrl))) {
    console.log(`No stack answers at ${gatewayUrl}; starting one (logs in .data/logs)...`);
    stack = await startLocalStack(env);
  }
  const { warning } = chooseModelDir(env);
  if (warning) console.warn(`WARNING: ${warning}\n`);
  try {
    const admin = stack?.admin ?? localAdmin(env);
    const api = await new GatewayClient(stack?.gatewayUrl ?? gatewayUrl).login(
      admin.username,
      admin.password,
    );
    await ingest(api);
    await search(api);
  } finally {
    if (stack) {
      console.log('\nStopping the stack this demo started (run "npm start" to keep one running).');
      await stack.stop();
    }
  }
}

async function ingest(api: GatewayClient): Promise<void> {
  console.log(`Uploading ${catalog.csv} and ${catalog.archive}...`);
  const upload = await api.upload<{ jobId: string }>('/api/ingest', catalog);
  if (upload.status !== 202)
    throw new Error(`upload refused (${upload.status}): ${JSON.stringify(upload.body)}`);
  const status = await waitForJob(api, upload.body.jobId, 300_000, printProgress);
  process.stdout.write('\n');
  console.log(
    `Job ${status.jobId} ${status.state}: ${status.progress.embedded} embedded, ${status.progress.failed} failed.`,
  );
  for (const error of status.errors)
    console.log(`  row ${error.row} (${error.id ?? '?'}): ${error.reason}`);
  if (status.state !== 'completed')
    throw new Error(`ingest ended ${status.state}: ${status.reason ?? ''}`);
}

async function search(api: GatewayClient): Promise<void> {
  const text = await api.post('/api/search/text', { query: TEXT_QUERY, topK: 5 });
  if (text.status !== 200)
    throw new Error(`text search failed (${text.status}): ${JSON.stringify(text.body)}`);
  printResults(`Text query "${TEXT_QUERY}"`, text.body.results);
  const image = await api.upload('/api/search/image', { image: IMAGE_QUERY }, { topK: '5' });
  if (image.status !== 200)
    throw new Error(`image search failed (${image.status}): ${JSON.stringify(image.body)}`);
  printResults(`Image query ${IMAGE_QUERY}`, image.body.results);
}

function printProgress(status: IngestStatus): void {
  const { total, embedded, failed, skipped } = status.progress;
  const done = embedded + failed + skipped;
  process.stdout.write(
    `\r  ${status.state.padEnd(9)} ${done}/${total} rows (${embedded} embedded, ${failed} failed)`,
  );
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
