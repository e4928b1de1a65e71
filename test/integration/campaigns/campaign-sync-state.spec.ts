import { INestApplicationContext } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignDefinitionsService } from '../../../src/modules/campaigns/campaign-definitions.service';
import { CampaignRepository } from '../../../src/modules/campaigns/campaign.repository';
import { CampaignsService, SyncReport } from '../../../src/modules/campaigns/campaigns.service';
import { RunsInProgress } from '../../../src/modules/campaigns/runs-in-progress';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { buildCampaign } from '../../factories/campaign.factory';
import { campaignsDir, startCampaignsContext } from './campaigns-harness';

/**
 * A sync reads every stored campaign, then writes what changed in the files. A pause or an activation
 * committed in between is someone's decision: the sync's write must not put the state it read back.
 */
describe('a sync beside a state change', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  let dir: string;
  /** What another operator does right after the sync has read the stored campaigns. */
  let meanwhile: (() => Promise<unknown>) | undefined;
  let syncing: CampaignsService;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    dir = campaignsDir([buildCampaign({ id: 'nudge', name: 'Nudge' }, null)]);
    app = await startCampaignsContext(mongo.uri, redis, 'campaign_sync_state', { CAMPAIGNS_DIR: dir });
    const repository = app.get(CampaignRepository);
    const racing = Object.create(repository) as CampaignRepository;
    racing.findAll = async () => {
      const all = await repository.findAll();
      const act = meanwhile;
      meanwhile = undefined;
      await act?.();
      return all;
    };
    syncing = new CampaignsService(racing, app.get(CampaignDefinitionsService), app.get(RunsInProgress));
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  const edit = (name: string) =>
    writeFileSync(join(dir, 'nudge.yaml'), stringify(buildCampaign({ id: 'nudge', name }, null)));

  it('keeps a pause made while a sync updates the campaign', async () => {
    const campaigns = app.get(CampaignsService);
    await campaigns.sync('test');
    await campaigns.activate('nudge', 'test');
    edit('Nudge, reworded');
    meanwhile = () => campaigns.pause('nudge', 'ops');
    const report = await syncing.sync('test');
    expect(report.campaigns).toEqual([expect.objectContaining({ campaignId: 'nudge', action: 'updated' })]);
    const stored = await campaigns.get('nudge');
    expect(stored).toMatchObject({ state: 'paused', stateChangedBy: 'ops', definition: { name: 'Nudge, reworded' } });
  });

  it('keeps an activation made while a sync updates the campaign', async () => {
    const campaigns = app.get(CampaignsService);
    await campaigns.pause('nudge', 'test');
    edit('Nudge, again');
    meanwhile = () => campaigns.activate('nudge', 'ops');
    await syncing.sync('test');
    expect(await campaigns.get('nudge')).toMatchObject({ state: 'active', definition: { name: 'Nudge, again' } });
  });

  it.each([
    ['a new file', 'created', 'fresh'],
    ['an edited file', 'updated', 'nudge'],
  ] as const)(
    'records %s once when two syncs run at once: one reports it %s, the other unchanged',
    async (_, action, id) => {
      const campaigns = app.get(CampaignsService);
      writeFileSync(join(dir, `${id}.yaml`), stringify(buildCampaign({ id, name: `${id}, as of now` }, null)));
      let other: SyncReport | undefined;
      meanwhile = async () => (other = await campaigns.sync('ops'));
      const report = await syncing.sync('test');
      const actionOf = (r: SyncReport | undefined) => r?.campaigns.find((c) => c.campaignId === id)?.action;
      expect([actionOf(other), actionOf(report)]).toEqual([action, 'unchanged']);
      const { contentHash, definition } = await campaigns.get(id);
      expect(definition).toMatchObject({ name: `${id}, as of now` });
      const changes = await app.get(CampaignRepository).findChanges(id);
      expect(changes.filter((c) => c.contentHash === contentHash)).toEqual([
        expect.objectContaining({ action, actor: 'ops' }),
      ]);
    },
  );
});
