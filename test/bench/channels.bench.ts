/**
 * Channel throughput, each next to a baseline measured in the same run on the same machine:
 * - outbox email (.eml via nodemailer's composer, atomic write) vs writing the same bytes with
 *   writeFile + rename; outbox push (.json) likewise;
 * - SMTP through the pooled channel to a loopback SMTP server vs composing the same messages only;
 * - SendRateLimiter.take (Lua token bucket, two buckets) vs a bare Redis INCR on the same client.
 * `BENCH_MESSAGES` (default 5000) sets the message count; concurrency is 32 in-flight sends.
 */
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisProcess } from '../../src/common/redis/redis-process';
import { loadConfig, Settings } from '../../src/config';
import { channelSelection, createChannels, emailSender } from '../../src/modules/delivery/channels/channel-factory';
import type { DeliveryChannel } from '../../src/modules/delivery/channels/delivery-channel';
import { Mailer } from '../../src/modules/delivery/channels/email/mailer';
import { composeEmail } from '../../src/modules/delivery/domain/email-envelope';
import { emailMessage, pushMessage } from '../../src/modules/delivery/domain/testing/messages.fixture';
import { SendRateLimiter } from '../../src/modules/delivery/send-rate-limiter';
import { SmtpSink } from '../setup/smtp-sink';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const CONCURRENCY = 32;

async function timed(count: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function report(label: string, rate: number, baselineLabel: string, baseline: number): void {
  console.log(
    `${label.padEnd(34)} ${Math.round(rate).toString().padStart(7)} /s   ${baselineLabel.padEnd(30)} ${Math.round(
      baseline,
    )
      .toString()
      .padStart(7)} /s   ratio ${(rate / baseline).toFixed(2)}`,
  );
}

async function channel(provider: 'outbox' | 'smtp', env: Record<string, string>): Promise<DeliveryChannel> {
  const channels = await createChannels(loadConfig({ NODE_ENV: 'test', ...env }).delivery, {
    now: () => new Date(),
    timeoutMs: 10_000,
  });
  return channels.get(provider)!;
}

async function outbox(dir: string): Promise<void> {
  const sender = emailSender(loadConfig({ NODE_ENV: 'test' }).delivery);
  const emails = Array.from({ length: MESSAGES }, (_, i) => emailMessage({ notificationId: `e${i}` }));
  const raw = (await Mailer.mime().send(composeEmail(emails[0], sender))).raw!;
  const baselineDir = join(dir, 'raw');
  mkdirSync(baselineDir, { recursive: true });
  const baseline = await timed(MESSAGES, async (i) => {
    const path = join(baselineDir, `${i}.eml`);
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, raw);
    await rename(temporary, path);
  });
  const files = await channel('outbox', { DELIVERY_OUTBOX_DIR: join(dir, 'outbox') });
  const email = await timed(MESSAGES, (i) => files.send(emails[i]));
  report('outbox email (.eml)', email, 'writeFile + rename of the bytes', baseline);
  const pushes = Array.from({ length: MESSAGES }, (_, i) => pushMessage({ notificationId: `p${i}` }));
  const push = await timed(MESSAGES, (i) => files.send(pushes[i]));
  report('outbox push (.json)', push, 'writeFile + rename of the bytes', baseline);
  await files.close();
}

async function smtp(): Promise<void> {
  const sink = await SmtpSink.start();
  const sender = emailSender(loadConfig({ NODE_ENV: 'test' }).delivery);
  const count = Math.min(MESSAGES, 3000);
  const emails = Array.from({ length: count }, (_, i) =>
    emailMessage({ notificationId: `s${i}`, to: { address: `u${i}@example.com` } }),
  );
  const composer = Mailer.mime();
  const compose = await timed(count, (i) => composer.send(composeEmail(emails[i], sender)));
  const relay = await channel('smtp', { SMTP_URL: sink.url, SMTP_POOL_SIZE: '5' });
  const rate = await timed(count, (i) => relay.send(emails[i]));
  if (sink.messages.length !== count) throw new Error(`sink received ${sink.messages.length} of ${count}`);
  report('SMTP, pool of 5, loopback server', rate, 'compose the MIME message only', compose);
  await relay.close();
  await sink.stop();
}

async function limiter(): Promise<void> {
  const redis = await startRedisProcess();
  const client = new Redis(redis.url);
  try {
    const settings = loadConfig({
      NODE_ENV: 'test',
      REDIS_URL: redis.url,
      DELIVERY_RATE_SMTP: '1000000',
      DELIVERY_RATE_CAMPAIGN: '1000000',
    });
    const slots = new SendRateLimiter(
      client,
      channelSelection(settings.delivery),
      new ConfigService<Settings, true>(settings),
    );
    const count = MESSAGES * 4;
    const incr = await timed(count, () => client.incr('bench:counter'));
    const message = emailMessage();
    const take = await timed(count, () =>
      slots.take([
        { key: 'provider:smtp', ratePerSecond: 1e6 },
        { key: `campaign:${message.campaignId}`, ratePerSecond: 1e6 },
      ]),
    );
    report('rate limiter, provider + campaign', take, 'Redis INCR, same client', incr);
  } finally {
    await client.quit();
    await redis.stop();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jc-bench-channels-'));
  try {
    console.log(`${MESSAGES} messages, ${CONCURRENCY} in flight`);
    await outbox(dir);
    await smtp();
    await limiter();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
