import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp, createLogger } from '../app.factory';
import { provisionServers } from '../common/infrastructure/provision';
import { loadConfig, processEnvironment } from '../config';
import { generatePopulation } from '../lib/synthetic/population';
import { AccessService } from '../modules/access/access.service';
import { DemoContext, DemoStep } from './demo-context';
import { buildJourneysStep } from './steps/build-journeys.step';
import { reportIngestStep } from './steps/report-ingest.step';
import { replayBatchStep, sendEventsStep } from './steps/send-events.step';
import { sendUsersStep } from './steps/send-users.step';

/** The demo, in order; later capabilities (journeys, campaigns, reports) append their steps here. */
export const DEMO_STEPS: DemoStep[] = [
  sendUsersStep,
  sendEventsStep,
  replayBatchStep,
  reportIngestStep,
  buildJourneysStep,
];

const DATA_DIR = join(process.cwd(), 'data', 'demo');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const users = argument('users', 300);
  const seed = argument('seed', 7);
  // Always the embedded defaults on a fresh directory: the demo must never write into a real database.
  const { MONGODB_URI: _ignored, ...env } = processEnvironment();
  const mongoDir = join(DATA_DIR, 'mongo');
  rmSync(mongoDir, { recursive: true, force: true });
  const settings = loadConfig({
    LOG_LEVEL: 'warn',
    ...env,
    MONGO_DATA_DIR: mongoDir,
    MONGO_EMBEDDED_PORT: '0',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const logger = createLogger(settings);
  Logger.overrideLogger(logger);
  const servers = await provisionServers(settings);
  const app = await createApp(servers.settings, logger);
  await app.listen(0, '127.0.0.1');
  try {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const access = app.get(AccessService);
    const now = new Date();
    const population = generatePopulation({ seed, users, now });
    const context: DemoContext = {
      app,
      baseUrl: `http://127.0.0.1:${port}`,
      now,
      seed,
      tokens: {
        admin: (await access.createKey({ name: 'demo admin', scopes: ['admin'] })).token,
        ingest: (await access.createKey({ name: 'demo ingest', scopes: ['ingest'] })).token,
      },
      events: population.events,
      truth: population.truth,
      userIds: [...new Set(population.events.map((e) => e.userId))],
      report: {},
      log: (line) => console.log(`   ${line}`),
    };
    console.log(
      `Journeycast demo: ${users} synthetic users (seed ${seed}), API at ${context.baseUrl}, data in ${mongoDir}`,
    );
    for (const [index, step] of DEMO_STEPS.entries()) {
      console.log(`\n${index + 1}. ${step.title}`);
      await step.run(context);
    }
    console.log(`\nSummary\n${JSON.stringify(context.report, null, 2)}`);
  } finally {
    await app.close();
    await servers.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
