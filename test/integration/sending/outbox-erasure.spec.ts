import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { DIGEST_CAMPAIGN, notificationsOf, startDigestSending, waitForRun } from './sending-harness';

/** The outbox channel keeps every message as a file: erasing a user removes the files of their messages. */
describe('erasing a user whose messages went to the outbox', () => {
  let app: INestApplicationContext;
  let stop: () => Promise<void>;
  const outbox = mkdtempSync(join(tmpdir(), 'jc-outbox-erasure-'));
  const files = () =>
    readdirSync(outbox, { recursive: true })
      .map(String)
      .filter((f) => /\.(eml|json)$/.test(f));

  beforeAll(async () => {
    ({ app, stop } = await startDigestSending('outbox-erasure', ['erased-reader', 'kept-reader'], {
      DELIVERY_EMAIL_CHANNEL: 'outbox',
      DELIVERY_OUTBOX_DIR: outbox,
    }));
  });

  afterAll(async () => {
    await stop?.();
    rmSync(outbox, { recursive: true, force: true });
  });

  it("deletes the erased user's message files and keeps everyone else's", async () => {
    const { runId } = await app.get(CampaignRunsService).startManual(DIGEST_CAMPAIGN.id, 'test');
    await waitForRun(app, runId);
    const sent = await notificationsOf(app, runId);
    const fileOf = (userId: string) => files().filter((f) => f.includes(sent.get(userId)!.notificationId));
    expect(fileOf('erased-reader')).toHaveLength(1);
    expect(fileOf('kept-reader')).toHaveLength(1);

    await app.get(UsersService).eraseUser('erased-reader');
    expect(fileOf('erased-reader')).toEqual([]);
    expect(fileOf('kept-reader')).toHaveLength(1);
  });
});
