import { CampaignDefinition, campaignDefinitionSchema } from '../../src/modules/campaigns/domain/campaign-definition';

/**
 * A valid push campaign running `interest` against `journey-llm` (5% holdout), as the loader would
 * return it (defaults filled); `experiment` fields override the block's, `null` drops the block.
 */
export function buildCampaign(
  overrides: Record<string, unknown> = {},
  experiment: Record<string, unknown> | null = {},
): CampaignDefinition {
  return campaignDefinitionSchema.parse({
    id: 'journey-push',
    name: 'Journey push',
    owner: 'growth',
    channel: 'push',
    schedule: { type: 'local-hour', hour: 18 },
    template: 'push/journey-nudge',
    copy: { variant: 'journey-llm' },
    ...(experiment && {
      experiment: {
        variants: [
          { id: 'interest', weight: 1, copy: 'interest' },
          { id: 'journey', weight: 1, copy: 'journey-llm' },
        ],
        holdout: 0.05,
        metrics: { primary: 'push-open-rate', secondary: ['click-rate'], guardrails: ['unsubscribe-rate'] },
        attributionWindowHours: 72,
        minimumSample: 10,
        ...experiment,
      },
    }),
    ...overrides,
  });
}
