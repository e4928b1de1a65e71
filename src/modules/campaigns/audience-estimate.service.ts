import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { SampleScope, AudienceFactsRepository } from '../audience/audience-facts.repository';
import { AudienceCounts, byUsersThenLocale, tallyBreakdown } from '../audience/domain/audience-breakdown';
import { audiencePolicyOf } from '../journeys/journey-policy';
import { campaignCategory } from '../tracking/domain/preference-guards';
import { ALL_CATEGORIES } from '../tracking/domain/tracking-urls';
import { audienceQueryOf } from './domain/audience-rules';
import { CampaignDefinition } from './domain/campaign-definition';
import { EstimateInterval, scaleFigure } from './domain/estimate-sample';

/** A campaign's audience size before launch, with the breakdowns a growth team asks about. */
export interface AudienceEstimate {
  campaignId: string;
  channel: 'push' | 'email';
  /** Users who pass every rule, consent and an address on the channel included, and did not unsubscribe. */
  total: number;
  /** `unsubscribed`: users with consent and an address who left the campaign's category or everything. */
  byConsent: { consented: number; withoutConsent: number; unsubscribed: number };
  /** `ongoing`: at least one qualifying ongoing journey; `other`: the rest (ended journeys, or interest-only). */
  byStage: { ongoing: number; other: number };
  byLocale: Array<{ locale: string | null; users: number; interval?: EstimateInterval }>;
  /** Whether the figures are scaled from a random sample of users (then `sample` and `intervals` say how sure). */
  sampled: boolean;
  sample?: { size: number; population: number; confidence: number };
  /** 95% intervals of the sampled figures, in users. */
  intervals?: Record<'total' | 'consented' | 'withoutConsent' | 'unsubscribed' | 'ongoing' | 'other', EstimateInterval>;
  computedAt: Date;
  durationMs: number;
}

/**
 * Counts a campaign's audience on the indexed audience facts: one grouped pass by consent, unsubscribes and
 * locale, plus a count of ongoing journeys when the rules leave the stage open. Above a configured number of
 * stored users it counts a uniform random sample (the `sampleKey` order) unless asked to be exact.
 * It counts stored facts; the composer re-checks each user at send time, so a few may still be skipped.
 */
@Injectable()
export class AudienceEstimateService {
  constructor(
    private readonly facts: AudienceFactsRepository,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  async estimate(
    definition: CampaignDefinition,
    now = new Date(),
    options: { exact?: boolean } = {},
  ): Promise<AudienceEstimate> {
    const started = Date.now();
    const { estimateExactUpTo, estimateSampleSize } = this.config.get('campaigns', { infer: true });
    const population = options.exact ? 0 : await this.facts.population();
    const scope: SampleScope =
      population > estimateExactUpTo ? { sampleKeyBelow: Math.min(1, estimateSampleSize / population) } : {};
    const [counts, size] = await Promise.all([
      this.count(definition, now, scope),
      scope.sampleKeyBelow === undefined ? undefined : this.facts.sampleSize(scope.sampleKeyBelow),
    ]);
    const figures = size === undefined ? exactFigures(counts) : sampledFigures(counts, size, population);
    return {
      campaignId: definition.id,
      channel: definition.channel,
      ...figures,
      computedAt: now,
      durationMs: Date.now() - started,
    };
  }

  private async count(definition: CampaignDefinition, now: Date, scope: SampleScope): Promise<AudienceCounts> {
    const options = { now, ...audiencePolicyOf(this.config.get('journeys', { infer: true })) };
    const left = [campaignCategory(definition), ALL_CATEGORIES];
    const stages = definition.audience.journeys?.stages;
    const ongoingDefinition: CampaignDefinition = {
      ...definition,
      audience: { ...definition.audience, journeys: { ...definition.audience.journeys, stages: ['ongoing'] } },
    };
    const everyone = audienceQueryOf(definition, { ...options, withoutConsent: true });
    const [rows, ongoing] = await Promise.all([
      this.facts.breakdown(everyone, definition.channel, left, scope),
      // Rules that name only the ongoing stage make every user ongoing; rules without it, none.
      stages && !stages.includes('ongoing')
        ? 0
        : stages?.every((s) => s === 'ongoing')
          ? ('total' as const)
          : this.facts.count({ ...audienceQueryOf(ongoingDefinition, options), notUnsubscribedFrom: left }, scope),
    ]);
    return tallyBreakdown(rows, ongoing);
  }
}

type Figures = Pick<
  AudienceEstimate,
  'total' | 'byConsent' | 'byStage' | 'byLocale' | 'sampled' | 'sample' | 'intervals'
>;

function exactFigures(c: AudienceCounts): Figures {
  return {
    total: c.total,
    byConsent: { consented: c.total, withoutConsent: c.withoutConsent, unsubscribed: c.unsubscribed },
    byStage: { ongoing: c.ongoing, other: c.total - c.ongoing },
    byLocale: c.byLocale,
    sampled: false,
  };
}

function sampledFigures(c: AudienceCounts, size: number, population: number): Figures {
  const scale = (hits: number) => scaleFigure(hits, size, population);
  const [total, withoutConsent, unsubscribed, ongoing, other] = [
    c.total,
    c.withoutConsent,
    c.unsubscribed,
    c.ongoing,
    c.total - c.ongoing,
  ].map(scale);
  return {
    total: total.value,
    byConsent: { consented: total.value, withoutConsent: withoutConsent.value, unsubscribed: unsubscribed.value },
    byStage: { ongoing: ongoing.value, other: other.value },
    byLocale: byUsersThenLocale(
      c.byLocale.map((l) => {
        const { value, interval } = scale(l.users);
        return { locale: l.locale, users: value, interval };
      }),
    ),
    sampled: true,
    sample: { size, population, confidence: 0.95 },
    intervals: {
      total: total.interval,
      consented: total.interval,
      withoutConsent: withoutConsent.interval,
      unsubscribed: unsubscribed.interval,
      ongoing: ongoing.interval,
      other: other.interval,
    },
  };
}
