import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { audiencePolicyOf } from '../journeys/journey-policy';
import { CampaignMessageComposer, ComposableCampaign } from './campaign-message-composer.service';
import { CampaignsService } from './campaigns.service';
import { audienceQueryOf } from './domain/audience-rules';
import { CampaignFieldError } from './domain/campaign.errors';
import { ComposedMessage, ComposeResult, ComposeVariant } from './domain/compose-result';

/** Most users one sample preview renders (the API's `sample`, the CLI's `--sample`). */
export const PREVIEW_SAMPLE_MAX = 100;

export interface PreviewOptions {
  now?: Date;
  /** An experiment arm's id; the campaign's own copy when absent. */
  variantId?: string;
}

export interface SamplePreview {
  campaignId: string;
  messages: ComposedMessage[];
  /** Sampled users the composer skipped after all (facts can lag the profile), by reason code. */
  skipped: Record<string, number>;
}

/** Previews: exactly what one user would receive (or why not), or a sample of eligible users. */
@Injectable()
export class CampaignPreviewService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly composer: CampaignMessageComposer,
    private readonly facts: AudienceFactsRepository,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async previewUser(campaignId: string, userId: string, options: PreviewOptions = {}): Promise<ComposeResult> {
    const campaign = await this.campaigns.getUsable(campaignId);
    const now = options.now ?? new Date();
    return this.composer.compose(campaign, userId, {
      now,
      variant: variantOf(campaign, options.variantId),
      budget: this.composer.budgetFor(campaign.definition),
      dryRun: true,
    });
  }

  /** Renders messages for up to `size` random users of the audience; one LLM budget covers the sample. */
  async previewSample(campaignId: string, size: number, options: PreviewOptions = {}): Promise<SamplePreview> {
    if (!Number.isInteger(size) || size < 1 || size > PREVIEW_SAMPLE_MAX) {
      throw new CampaignFieldError('sample', `must be an integer from 1 to ${PREVIEW_SAMPLE_MAX}`);
    }
    const campaign = await this.campaigns.getUsable(campaignId);
    const now = options.now ?? new Date();
    const query = audienceQueryOf(campaign.definition, {
      now,
      ...audiencePolicyOf(this.config.get('journeys', { infer: true })),
    });
    const candidates = await this.facts.sampleUserIds(query, size * 2);
    const budget = this.composer.budgetFor(campaign.definition);
    const variant = variantOf(campaign, options.variantId);
    const preview: SamplePreview = { campaignId, messages: [], skipped: {} };
    for (const userId of candidates) {
      if (preview.messages.length >= size) break;
      const result = await this.composer.compose(campaign, userId, { now, variant, budget, dryRun: true });
      if (result.status === 'message') preview.messages.push(result.message);
      else preview.skipped[result.skip.code] = (preview.skipped[result.skip.code] ?? 0) + 1;
    }
    return preview;
  }
}

/** The experiment arm named `variantId` as a compose variant. */
export function variantOf(campaign: ComposableCampaign, variantId: string | undefined): ComposeVariant | undefined {
  if (variantId === undefined) return undefined;
  const arm = campaign.definition.experiment?.variants.find((v) => v.id === variantId);
  if (!arm) {
    const known = campaign.definition.experiment?.variants.map((v) => v.id).join(', ') || 'it has none';
    throw new CampaignFieldError(
      'variant',
      `must name an arm of the campaign's experiment (${known}), not "${variantId}"`,
    );
  }
  return arm;
}
