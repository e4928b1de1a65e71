import { INestApplicationContext } from '@nestjs/common';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { CampaignsService } from '../../../src/modules/campaigns/campaigns.service';
import { ExperimentRegistry } from '../../../src/modules/experiments/experiment-registry.service';
import { ExperimentsModule } from '../../../src/modules/experiments/experiments.module';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { buildCampaign } from '../../factories/campaign.factory';
import { campaignsDir, startCampaignsContext } from './campaigns-harness';

const nudge = buildCampaign({ id: 'nudge', name: 'Nudge' });
const withExperiment = (id: string, experiment: Record<string, unknown>) => buildCampaign({ id }, experiment);

/**
 * An experiment's id seeds its assignment and keys its counts: two campaigns running one experiment would
 * count one's users in the other's results. A campaign whose experiment id is taken is refused at sync.
 */
describe('campaigns sharing an experiment id', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  let dir: string;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    dir = campaignsDir([
      nudge,
      // Its own id, the same experiment id as nudge's default (`nudge.v1`).
      withExperiment('copycat', { id: 'nudge' }),
      // Another version of it is another experiment.
      withExperiment('sequel', { id: 'nudge', version: 2 }),
    ]);
    app = await startCampaignsContext(mongo.uri, redis, 'shared_experiment', { CAMPAIGNS_DIR: dir }, [
      ExperimentsModule,
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  const outcome = async (campaignId: string) => {
    const report = await app.get(CampaignsService).sync('test');
    return report.campaigns.find((c) => c.campaignId === campaignId)!;
  };

  it("refuses a campaign whose experiment id is another file's, naming experiment.id", async () => {
    expect(await outcome('nudge')).toMatchObject({ action: 'created', problems: [] });
    const copycat = await app.get(CampaignsService).get('copycat');
    expect(copycat.state).toBe('paused');
    expect(copycat.definition).toBeUndefined();
    expect(copycat.problems).toEqual([
      expect.objectContaining({
        path: 'experiment.id',
        message: expect.stringContaining('the experiment nudge.v1 is already run by campaign nudge ('),
      }),
    ]);
    expect((await app.get(CampaignsService).get('sequel')).problems).toEqual([]);
  });

  it('keeps the experiment of a campaign whose file is gone from a new campaign', async () => {
    rmSync(join(dir, 'nudge.yaml'));
    rmSync(join(dir, 'copycat.yaml'));
    writeFileSync(join(dir, 'heir.yaml'), stringify(withExperiment('heir', { id: 'nudge' })));
    expect(await outcome('nudge')).toMatchObject({ action: 'archived' });
    const heir = await app.get(CampaignsService).get('heir');
    expect(heir.problems).toEqual([
      expect.objectContaining({ path: 'experiment.id', message: expect.stringContaining('campaign nudge (no file)') }),
    ]);
  });

  it("refuses to count a campaign's users into an experiment another campaign registered", async () => {
    const registry = app.get(ExperimentRegistry);
    const now = new Date('2026-03-02T18:00:00Z');
    const sequel = (await app.get(CampaignsService).getUsable('sequel')).definition;
    const experiment = sequel.experiment!;
    await registry.ensureRegistered(registry.prepare({ ...sequel, experiment }), 'push', now);
    const rival = registry.prepare({ ...sequel, id: 'rival', experiment });
    await expect(registry.ensureRegistered(rival, 'push', now)).rejects.toThrow(
      'experiment nudge.v2 belongs to campaign sequel; campaign rival must give its experiment another id or version',
    );
  });
});
