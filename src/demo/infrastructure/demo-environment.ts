import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { developmentReply } from '../../lib/llm-server/development-replies';
import { OpenAiCompatibleServer } from '../../lib/llm-server/openai-compatible-server';
import { freePort } from '../../lib/net/free-port';
import { SmtpInbox } from './smtp-inbox';

/** What the demo runs beside the app: the LLM it writes with, the mail server it sends to, and where it keeps data. */
export interface DemoEnvironment {
  /** Settings the app is booted with (on top of the process environment). */
  settings: Record<string, string>;
  inbox: SmtpInbox;
  /** The development LLM, or undefined when `OPENAI_API_KEY` points the app at a real one. */
  llm?: OpenAiCompatibleServer;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the demo's companions and the settings that point the app at them: the development LLM
 * (unless `OPENAI_API_KEY` is set), an SMTP server for email, the outbox for push, and every file under
 * `dataDir`. Simulated readers answer within seconds of sending, which the machine-open timing rule
 * would take for mail-privacy prefetches, so the demo turns that rule off. Its Redis keys take a prefix of
 * this run's own, so neither an app on the same Redis nor another demo takes its jobs or counts its sends.
 */
export async function startDemoEnvironment(dataDir: string, env: NodeJS.ProcessEnv): Promise<DemoEnvironment> {
  const llm = env.OPENAI_API_KEY ? undefined : await OpenAiCompatibleServer.listen(developmentReply);
  const inbox = await SmtpInbox.start();
  // The API's address must be known before boot, for its tracking links.
  const port = await freePort();
  const settings: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(port),
    // The Redis on 6379 may be the one an app on the defaults uses: the demo's queues and cap slots stay apart.
    REDIS_PREFIX: `jc-demo-${randomBytes(4).toString('hex')}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    MONGO_DATA_DIR: join(dataDir, 'mongo'),
    MONGO_EMBEDDED_PORT: '0',
    CAMPAIGNS_DIR: join(dataDir, 'campaigns'),
    DELIVERY_OUTBOX_DIR: join(dataDir, 'outbox'),
    DELIVERY_PUSH_CHANNEL: 'outbox',
    DELIVERY_EMAIL_CHANNEL: 'smtp',
    SMTP_URL: inbox.url,
    EXPERIMENTS_REPORTS_DIR: join(dataDir, 'reports'),
    TRACKING_DEV_KEY_FILE: join(dataDir, 'tracking-signing-key'),
    TRACKING_MACHINE_WINDOW_SECONDS: '0',
    ...(llm && {
      OPENAI_API_KEY: 'development',
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MODEL: 'journeycast-development',
    }),
  };
  return {
    settings,
    inbox,
    llm,
    dataDir,
    async stop() {
      await inbox.stop();
      await llm?.stop();
    },
  };
}

/** Deletes the keys a demo run left under its Redis prefix, and only those. */
export async function forgetDemoRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await client.unlink(...keys);
    }
  } finally {
    client.disconnect();
  }
}
