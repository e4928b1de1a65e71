import { ExperimentDefinition, parseExperimentDefinition } from './experiment-definition';

/**
 * The `experiment` block of a campaign as the campaigns module validates it. Declared here by shape,
 * so experiments stays a leaf module that imports nothing from campaigns.
 */
export interface CampaignExperimentBlock {
  /** Defaults to the campaign id. */
  id?: string;
  variants: ReadonlyArray<{ id: string; weight: number; copy: string; template?: string; promptVersion?: string }>;
  holdout: number;
  metrics: { primary: string; secondary: readonly string[]; guardrails: readonly string[] };
  attributionWindowHours: number;
  minimumSample: number;
  /** Reading settings (alpha, correction, sequential tuning, ...) when the campaign declares them. */
  analysis?: unknown;
}

/** The experiment definition of a campaign: the campaign's block in this module's terms, defaults filled. */
export function definitionFromCampaign(campaign: {
  id: string;
  name: string;
  experiment: CampaignExperimentBlock;
}): ExperimentDefinition {
  const block = campaign.experiment;
  return parseExperimentDefinition({
    id: block.id ?? campaign.id,
    name: campaign.name,
    campaignId: campaign.id,
    variants: block.variants.map((v) => ({
      key: v.id,
      name: v.id,
      weight: v.weight,
      copyVariant: v.copy,
      template: v.template,
      promptVersion: v.promptVersion,
    })),
    holdoutShare: block.holdout,
    metrics: block.metrics,
    attributionWindowHours: block.attributionWindowHours,
    minimumSample: block.minimumSample,
    analysis: block.analysis,
  });
}
