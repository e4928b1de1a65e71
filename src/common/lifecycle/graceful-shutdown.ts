import { INestApplicationContext, Logger } from '@nestjs/common';

/**
 * On SIGTERM/SIGINT: stop accepting work, let in-flight requests and jobs finish (Nest closes the
 * HTTP server and Bull queues wait for active jobs), then stop any servers started for development.
 * A second signal or the timeout exits at once. Plays the role of enableShutdownHooks(), plus the
 * timeout and the embedded servers that live outside Nest.
 */
export function installGracefulShutdown(
  app: INestApplicationContext,
  servers: { stop(): Promise<void> },
  timeoutMs: number,
): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.log(`${signal}: finishing in-flight work (up to ${timeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app
      .close()
      .then(() => servers.stop())
      .then(
        () => {
          logger.log('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
