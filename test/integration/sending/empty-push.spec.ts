import { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunCompletion } from '../../../src/modules/campaigns/runs/run-completion';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { campaignsDir, seedUser, templatesDirWith } from '../campaigns/campaigns-harness';
import {
  activate,
  DIGEST_CAMPAIGN,
  KITCHEN_JOURNEY,
  notificationsOf,
  startSending,
  waitForRun,
} from './sending-harness';

/** A push whose title and body are two profile attributes, as they are. */
const teaser = { ...DIGEST_CAMPAIGN, id: 'teaser', name: 'Teaser', channel: 'push', template: 'push/teaser' };
const teaserTemplate = {
  'template.json': '{ "description": "A teaser written per user", "locale": "en" }',
  'title.hbs': '{{user.attributes.headline}}',
  'body.hbs': '{{user.attributes.teaser}}',
  'deep-link.hbs': '{{track "https://app.example.com/ideas"}}',
};

/** A push is a title or a body: one whose title and body both render empty is refused when it is rendered. */
describe('a push whose title and body render empty', () => {
  let app: INestApplicationContext;
  let stop: () => Promise<void>;
  const outbox = mkdtempSync(join(tmpdir(), 'jc-outbox-'));

  beforeAll(async () => {
    ({ app, stop } = await startSending('empty-push', {
      CAMPAIGNS_DIR: campaignsDir([teaser]),
      TEMPLATES_DIR: templatesDirWith({ 'push/teaser': teaserTemplate }),
      DELIVERY_OUTBOX_DIR: outbox,
    }));
    await activate(app, 'teaser');
    const journeys = [KITCHEN_JOURNEY];
    const push = { email: undefined, consent: { email: false, push: true } };
    const attributes = { headline: 'Your kitchen, finished', teaser: 'Three backsplash ideas' };
    await seedUser(app, 'told', { now: new Date(), profile: { ...push, attributes }, journeys });
    await seedUser(app, 'blank', { now: new Date(), profile: { ...push, attributes: { headline: '  ' } }, journeys });
  });

  afterAll(async () => {
    await stop?.();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('is not sent: the notification is suppressed as a failed render, counted so, and explained', async () => {
    const { runId } = await app.get(CampaignRunsService).startManual('teaser', 'test');
    const run = await waitForRun(app, runId);
    const reason = { code: 'render-failed', message: "the push's title and body both render empty" };
    const byUser = await notificationsOf(app, runId);
    expect(byUser.get('told')).toMatchObject({ state: 'sent' });
    expect(byUser.get('blank')).toMatchObject({ state: 'suppressed', reason, attempts: [] });
    expect(run.counts).toMatchObject({ sent: 1, suppressed: { 'render-failed': 1 }, queued: 0, sending: 0 });
    expect(await app.get(RunCompletion).counts(runId)).toEqual(run.counts);
    // One push left: the one with text.
    expect(readdirSync(outbox, { recursive: true }).filter((f) => String(f).endsWith('.json'))).toHaveLength(1);
    const why = await app.get(RunExplainService).explain(runId, 'blank');
    expect(why.notification).toMatchObject({ state: 'suppressed', reason });
    expect(why.summary).toBe(`suppressed by render-failed: ${reason.message}`);
  });
});
