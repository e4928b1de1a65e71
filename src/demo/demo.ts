import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp, createLogger } from '../app.factory';
import { provisionServers } from '../common/infrastructure/provision';
import { loadConfig, processEnvironment } from '../config';
import { generatePopulation } from '../lib/synthetic/population';
import { AccessService } from '../modules/access/access.service';
import { DemoContext, DemoStep, DemoStopped } from './demo-context';
import { DEMO_USAGE, DemoUsageError, parseDemoOptions } from './demo-options';
import { forgetDemoRedisKeys, startDemoEnvironment } from './infrastructure/demo-environment';
import { buildJourneysStep } from './steps/build-journeys.step';
import { engageStep } from './steps/engage.step';
import { experimentReportsStep } from './steps/experiment-reports.step';
import { previewMessagesStep } from './steps/preview-messages.step';
import { reportIngestStep } from './steps/report-ingest.step';
import { replayBatchStep, sendEventsStep } from './steps/send-events.step';
import { sendCampaignsStep } from './steps/send-campaigns.step';
import { sendUsersStep } from './steps/send-users.step';
import { setUpCampaignsStep } from './steps/set-up-campaigns.step';
import { verifyEffectStep } from './steps/verify-effect.step';

/** The demo, in order. */
export const DEMO_STEPS: DemoStep[] = [
  sendUsersStep,
  sendEventsStep,
  replayBatchStep,
  reportIngestStep,
  buildJourneysStep,
  setUpCampaignsStep,
  previewMessagesStep,
  sendCampaignsStep,
  engageStep,
  experimentReportsStep,
  verifyEffectStep,
];

const MARKER = '.journeycast-demo';

/** Empties the demo's folder; a folder the demo did not create (the default one too) is refused rather than wiped. */
function freshDataDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, MARKER))) {
    throw new DemoUsageError(`${dir} is not empty and was not made by the demo: choose another --data folder`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Made by npm run demo, emptied on every run.\n');
}

async function main(): Promise<void> {
  const { help, users, seed, data } = parseDemoOptions(process.argv.slice(2));
  if (help) {
    console.log(DEMO_USAGE);
    return;
  }
  // Emptied first: everything the demo writes lives here.
  const dataDir = resolve(data ?? join('data', 'demo'));
  // Always the embedded defaults on a fresh directory: the demo must never write into a real database.
  const { MONGODB_URI: _ignored, ...env } = processEnvironment();
  freshDataDir(dataDir);
  const environment = await startDemoEnvironment(dataDir, env);
  const settings = loadConfig({ LOG_LEVEL: 'warn', ...env, ...environment.settings });
  const logger = createLogger(settings);
  Logger.overrideLogger(logger);
  const servers = await provisionServers(settings);
  const app = await createApp(servers.settings, logger);
  await app.listen(settings.app.port, settings.app.host);
  try {
    const access = app.get(AccessService);
    const now = new Date();
    const population = generatePopulation({ seed, users, now });
    const context: DemoContext = {
      app,
      baseUrl: environment.settings.PUBLIC_BASE_URL,
      now,
      seed,
      tokens: {
        admin: (await access.createKey({ name: 'demo admin', scopes: ['admin'] })).token,
        ingest: (await access.createKey({ name: 'demo ingest', scopes: ['ingest'] })).token,
      },
      events: population.events,
      truth: population.truth,
      userIds: [...new Set(population.events.map((e) => e.userId))],
      environment,
      minimumSample: Math.max(20, Math.floor(users / 12)),
      campaignIds: [],
      engagements: [],
      experiments: [],
      report: {},
      log: (line) => console.log(`   ${line}`),
    };
    const llm = environment.llm
      ? `the development LLM at ${environment.llm.baseUrl}`
      : `the LLM at ${settings.llm.baseUrl}`;
    console.log(`Journeycast demo: ${users} synthetic users (seed ${seed}), API at ${context.baseUrl}, ${llm}`);
    console.log(`Data, outbox and reports in ${dataDir}`);
    for (const [index, step] of DEMO_STEPS.entries()) {
      console.log(`\n${index + 1}. ${step.title}`);
      try {
        await step.run(context);
      } catch (error) {
        if (!(error instanceof DemoStopped)) throw error;
        console.log(`   Stopped at step ${index + 1}: ${error.message}.`);
        break;
      }
    }
    console.log(`\nSummary\n${JSON.stringify(context.report, null, 2)}`);
    for (const experiment of context.experiments) console.log(`Open the report: ${experiment.htmlFile}`);
  } finally {
    await app.close();
    const redisUrl = servers.settings.redis.url;
    if (redisUrl) {
      await forgetDemoRedisKeys(redisUrl, settings.redis.prefix).catch((error: unknown) =>
        console.warn(`Could not remove the demo's keys (${settings.redis.prefix}:*) from Redis: ${String(error)}`),
      );
    }
    await servers.stop();
    await environment.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof DemoUsageError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
