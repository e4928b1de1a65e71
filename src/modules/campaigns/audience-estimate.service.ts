import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { audienceQueryOf } from './domain/audience-rules';
import { CampaignDefinition } from './domain/campaign-definition';

/** A campaign's audience size before launch, with the breakdowns a growth team asks about. */
export interface AudienceEstimate {
  campaignId: string;
  channel: 'push' | 'email';
  /** Users who pass every rule, consent and an address on the channel included. */
  total: number;
  byConsent: { consented: number; withoutConsent: number };
  /** `ongoing`: at least one qualifying ongoing journey; `other`: the rest (ended journeys, or interest-only). */
  byStage: { ongoing: number; other: number };
  byLocale: Array<{ locale: string | null; users: number }>;
  computedAt: Date;
  durationMs: number;
}

/**
 * Counts a campaign's audience on the indexed audience facts: one count per figure, no per-user work.
 * It counts stored facts; the composer re-checks each user at send time, so a few may still be skipped.
 */
@Injectable()
export class AudienceEstimateService {
  constructor(
    private readonly facts: AudienceFactsRepository,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async estimate(definition: CampaignDefinition, now = new Date()): Promise<AudienceEstimate> {
    const started = Date.now();
    const options = { now, allowSensitive: this.config.get('journeys', { infer: true }).notifySensitive };
    const query = audienceQueryOf(definition, options);
    const stages = definition.audience.journeys?.stages;
    const ongoingDefinition: CampaignDefinition = {
      ...definition,
      audience: { ...definition.audience, journeys: { ...definition.audience.journeys, stages: ['ongoing'] } },
    };
    const [total, everyone, ongoing, byLocale] = await Promise.all([
      this.facts.count(query),
      this.facts.count(audienceQueryOf(definition, { ...options, withoutConsent: true })),
      stages && !stages.includes('ongoing') ? 0 : this.facts.count(audienceQueryOf(ongoingDefinition, options)),
      this.facts.countByLocale(query),
    ]);
    return {
      campaignId: definition.id,
      channel: definition.channel,
      total,
      byConsent: { consented: total, withoutConsent: everyone - total },
      byStage: { ongoing, other: total - ongoing },
      byLocale,
      computedAt: now,
      durationMs: Date.now() - started,
    };
  }
}
