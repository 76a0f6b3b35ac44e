/** `npm start`: runs the whole product on this machine until Ctrl-C. */
import { startLocalStack } from './local-stack';

async function main(): Promise<void> {
  console.log('Starting Redis, Chroma, the query service, an embedder and the gateway...');
  const stack = await startLocalStack(process.env);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping...');
    await stack.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  for (const managed of [...stack.infrastructure, ...stack.processes]) {
    managed.child.once('exit', (code) => {
      if (stopping) return;
      console.error(
        `${managed.name} exited unexpectedly (code ${code}); logs are in ${stack.logDir}`,
      );
      void stop(1);
    });
  }
  if (stack.modelWarning) console.warn(`\nWARNING: ${stack.modelWarning}`);
  const password = stack.admin.passwordFile
    ? `${stack.admin.password}  (saved in ${stack.admin.passwordFile})`
    : '(ADMIN_PASSWORD)';
  console.log(`
imgsearch is running
  gateway   ${stack.gatewayUrl}   API docs: ${stack.gatewayUrl}/docs
  query     ${stack.queryUrl}
  embedder  ${stack.embedderUrls.join(', ')}
  redis     ${stack.redisUrl}
  chroma    ${stack.chromaUrl}
  admin     ${stack.admin.username} / ${password}
  logs      ${stack.logDir}
Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
