/**
 * Standalone embedded server: `npm run mongo:embedded -- --port 27017 --dir ./data/mongo`.
 * Lets mongosh or Compass inspect the same data the app uses in its zero-setup mode.
 */
import { Command } from 'commander';
import { EmbeddedMongo } from './index';

async function main(): Promise<void> {
  const options = new Command('embedded-mongo')
    .description('MongoDB-compatible server for development and tests')
    .option('--port <port>', 'TCP port (0 picks a free one)', '27017')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--dir <dir>', 'data directory (omit to keep data in memory)')
    .option('--compact-after <bytes>', 'journal size that triggers a snapshot')
    .parse(process.argv)
    .opts<{ port: string; host: string; dir?: string; compactAfter?: string }>();
  const server = await EmbeddedMongo.start({
    port: Number(options.port),
    host: options.host,
    dir: options.dir,
    compactAfterBytes: options.compactAfter ? Number(options.compactAfter) : undefined,
  });
  console.log(
    `embedded MongoDB-compatible server listening on ${server.uri}${options.dir ? ` (data in ${options.dir})` : ' (in memory)'}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping`);
    server.stop().then(
      (durable) => process.exit(durable ? 0 : 1),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
