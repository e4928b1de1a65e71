import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../../src/modules/campaigns/domain/load-definition';
import { HOLDOUT_ARM, createAssigner } from '../../../src/modules/experiments/domain/assignment/assign';
import { definitionFromCampaign } from '../../../src/modules/experiments/domain/campaign-experiment';
import { assignmentDesign } from '../../../src/modules/experiments/domain/experiment-definition';

/** The campaigns shipped in campaigns/ are read by the campaigns loader and handed to experiments as they are. */
describe('campaign experiment blocks', () => {
  const folder = join(__dirname, '..', '..', '..', 'campaigns');
  const campaigns = readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((file) => loadDefinition(file, readFileSync(join(folder, file), 'utf8')))
    .flatMap((loaded) => (loaded.ok && loaded.definition.experiment ? [loaded.definition] : []));

  it('become experiment definitions with the campaign block values', () => {
    expect(campaigns.length).toBeGreaterThan(0);
    for (const campaign of campaigns) {
      const definition = definitionFromCampaign({
        id: campaign.id,
        name: campaign.name,
        experiment: campaign.experiment!,
      });
      const block = campaign.experiment!;
      expect(definition).toMatchObject({
        id: `${block.id ?? campaign.id}.v${block.version}`,
        campaignId: campaign.id,
        holdoutShare: block.holdout,
        metrics: block.metrics,
        attributionWindowHours: block.attributionWindowHours,
        minimumSample: block.minimumSample,
      });
      expect(definition.variants.map((v) => [v.key, v.weight, v.copyVariant])).toEqual(
        block.variants.map((v) => [v.id, v.weight, v.copy]),
      );
    }
  });

  it('assign users to the campaign variants and holdout in the declared proportions', () => {
    const campaign = campaigns[0];
    const definition = definitionFromCampaign({
      id: campaign.id,
      name: campaign.name,
      experiment: campaign.experiment!,
    });
    const assigner = createAssigner(assignmentDesign(definition));
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const a = assigner(`user-${i}`);
      const arm = a.status === 'variant' || a.status === 'holdout' ? a.arm : a.status;
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    const total = campaign.experiment!.variants.reduce((s, v) => s + v.weight, 0);
    expect((counts.get(HOLDOUT_ARM) ?? 0) / 20_000).toBeCloseTo(definition.holdoutShare, 1);
    for (const v of campaign.experiment!.variants) {
      expect(counts.get(v.id)! / 20_000).toBeCloseTo(((1 - definition.holdoutShare) * v.weight) / total, 1);
    }
  });
});
