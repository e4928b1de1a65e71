import { ExperimentDefinition, parseExperimentDefinition } from './experiment-definition';

/**
 * The `experiment` block of a campaign as the campaigns module validates it. Declared here by shape,
 * so experiments stays a leaf module that imports nothing from campaigns.
 */
export interface CampaignExperimentBlock {
  /** Defaults to the campaign id. */
  id?: string;
  /** Bumped to restart the experiment; 1 when absent. */
  version?: number;
  variants: ReadonlyArray<{ id: string; weight: number; copy: string; template?: string; promptVersion?: string }>;
  holdout: number;
  metrics: { primary: string; secondary: readonly string[]; guardrails: readonly string[] };
  attributionWindowHours: number;
  minimumSample: number;
  /** Reading settings (alpha, correction, sequential tuning, ...) when the campaign declares them. */
  analysis?: unknown;
}

/**
 * The id of a campaign's experiment: `<block id or campaign id>.v<version>`. It is also the hash seed, so
 * bumping the version starts a new experiment (everyone re-randomized, counts from zero) while weight
 * changes under one version keep every assigned user where they are. A block id may name another campaign's
 * experiment: the campaigns sync refuses such a file, and the registry refuses to count a campaign into an
 * experiment another campaign registered.
 */
export function experimentIdOf(campaign: { id: string; experiment: Pick<CampaignExperimentBlock, 'id' | 'version'> }) {
  return `${campaign.experiment.id ?? campaign.id}.v${campaign.experiment.version ?? 1}`;
}

/** The experiment definition of a campaign: the campaign's block in this module's terms, defaults filled. */
export function definitionFromCampaign(campaign: {
  id: string;
  name: string;
  experiment: CampaignExperimentBlock;
}): ExperimentDefinition {
  const block = campaign.experiment;
  return parseExperimentDefinition({
    id: experimentIdOf(campaign),
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
