import { Inject, Injectable } from '@nestjs/common';
import { EventRepository } from '../ingest/event.repository';
import { EndedJourneyMode } from '../journeys/domain/notification-journeys';
import { stageAt } from '../journeys/domain/stage';
import { JourneyExpansionService } from '../journeys/journey-expansion.service';
import { JOURNEY_POLICY, JourneyPolicy, notifyBarrier } from '../journeys/journey-policy';
import { StoredJourney } from '../journeys/stored-journey';
import { UserJourneysRepository } from '../journeys/user-journeys.repository';
import type { UserJourneysRecord } from '../journeys/user-journeys.schema';
import { DEFAULT_RANKING_PARAMS, NotificationOutcome, rankJourneys } from '../ranking/domain';
import { RankerModelService } from '../ranking/ranker-model.service';
import { RankingExampleRepository } from '../ranking/ranking-example.repository';
import { CopyBudget } from './domain/copy-budget';
import { CURRENT_COPY_PROMPT_VERSION } from './domain/copy-prompt';
import { CopyLimits, CopyProvenance, DEFAULT_COPY_LIMITS } from './domain/copy-types';
import { rankInterests } from './domain/interests';
import { buildRenderContext, ContextSubject, CopyVariantName, RenderContext } from './domain/render-context';
import { interestSubject, journeySubject, JourneyVerdict, pickJourneySubjects, SubjectSkip } from './domain/subjects';
import { LlmCopyOutcome, LlmCopyService } from './llm-copy.service';

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Everything personalization needs about one message to one user. */
export interface PersonalizeRequest {
  user: { userId: string; locale?: string; timeZone?: string; attributes: RenderContext['user']['attributes'] };
  channel: 'push' | 'email';
  campaign: RenderContext['campaign'];
  variant: { id: string; copy: CopyVariantName };
  content: {
    topK: number;
    diversificationPenalty: number;
    includeRelated: boolean;
    /** Absent in definitions stored before it existed: `when-none-ongoing`. */
    endedJourneys?: EndedJourneyMode;
  };
  /** The campaign's journey rules for one journey: a failure, or undefined when it qualifies. */
  journeyRule: (journey: StoredJourney) => { rule: string; value: unknown; expected: string } | undefined;
  /**
   * The term of the campaign's journey exclusions these texts hold (an event's keywords), or undefined: interest
   * copy counts no event that holds one, so no arm is about a topic the campaign excludes.
   */
  excluded: (texts: readonly string[]) => string | undefined;
  /** Whether a qualifying journey is required even for `interest` copy (so experiment arms share one audience). */
  requireJourney: boolean;
  copy: { tone: string; limits?: Partial<CopyLimits>; allowUrls: boolean; allowHtml: boolean; promptVersion?: string };
  /**
   * The locale LLM copy is written, and related journeys are read, in for a recipient of `locale`: the
   * language of the template text around them (the recipient's locale when absent).
   */
  copyLocale?: (locale: string) => string;
  now: Date;
  budget: CopyBudget;
  /**
   * What the user did with the notifications about their journeys sent in the ranker's fatigue horizon, for its
   * fatigue features, when the caller read them already (a send fan-out reads a chunk at once); read here when
   * absent.
   */
  history?: readonly NotificationOutcome[];
  /** The user's stored journeys when the caller read them already (a send fan-out reads a chunk at once). */
  journeys?: { record: UserJourneysRecord | undefined };
}

export type PersonalizeResult =
  | { ok: false; skip: SubjectSkip }
  | { ok: true; context: RenderContext; subjects: ContextSubject[]; copy: CopyProvenance };

/**
 * Chooses what a message is about and writes its copy: the user's journeys ranked now by the served
 * ranker (notifiable ones that meet the campaign's rules), or their most frequent interest keywords for
 * the `interest` baseline; then LLM copy for `journey-llm`, template copy otherwise.
 */
@Injectable()
export class PersonalizationService {
  constructor(
    private readonly userJourneys: UserJourneysRepository,
    private readonly expansions: JourneyExpansionService,
    private readonly events: EventRepository,
    private readonly ranker: RankerModelService,
    private readonly outcomes: RankingExampleRepository,
    private readonly llmCopy: LlmCopyService,
    @Inject(JOURNEY_POLICY) private readonly policy: JourneyPolicy,
  ) {}

  async personalize(request: PersonalizeRequest): Promise<PersonalizeResult> {
    const locale = request.user.locale ?? this.policy.defaultLocale;
    // Related journeys and LLM copy are read inside the template's text: in its language, not the reader's.
    const textLocale = request.copyLocale?.(locale) ?? locale;
    const journeyVariant = request.variant.copy !== 'interest';
    let journeys: StoredJourney[] = [];
    if (journeyVariant || request.requireJourney) {
      const picked = await this.pickJourneys(request);
      if (!picked.ok) return picked;
      journeys = picked.journeys;
    }
    let subjects: ContextSubject[];
    if (journeyVariant) {
      const related = request.content.includeRelated ? await this.expansions.findFor(journeys, textLocale) : new Map();
      subjects = journeys.map((j) => journeySubject(j, related.get(j.id)?.related ?? []));
    } else {
      const interests = await this.interestSubjects(request);
      if (interests.length === 0) {
        return {
          ok: false,
          skip: { code: 'no-interest', message: 'the user has no interest keyword that may be notified about' },
        };
      }
      subjects = interests;
    }
    const llm =
      request.variant.copy === 'journey-llm' ? await this.writeCopy(request, subjects[0], textLocale) : undefined;
    const copy: CopyProvenance = llm
      ? {
          source: llm.source,
          promptVersion: llm.promptVersion,
          model: llm.model,
          signature: llm.signature,
          ...(llm.source === 'llm' ? { cacheHit: llm.cacheHit } : { fallbackReason: llm.fallbackReason }),
        }
      : { source: 'template' };
    const context = buildRenderContext({
      user: {
        id: request.user.userId,
        locale,
        timeZone: request.user.timeZone ?? 'UTC',
        attributes: request.user.attributes,
      },
      campaign: request.campaign,
      variant: request.variant,
      subjects,
      copy: llm?.source === 'llm' ? llm.copy : undefined,
      now: request.now,
    });
    return { ok: true, context, subjects, copy };
  }

  private async pickJourneys(request: PersonalizeRequest) {
    const record = request.journeys
      ? request.journeys.record
      : await this.userJourneys.findByUserId(request.user.userId);
    // A journey is ongoing or ended as of the message, not as of the user's last build.
    const now = request.now.getTime();
    const current = (record?.journeys ?? []).map((j) => ({ ...j, stage: stageAt(j, now) }));
    // Read only when there is something to rank with it.
    const history =
      request.history ??
      (current.length > 0
        ? (await this.outcomes.findHistories([request.user.userId], request.now)).get(request.user.userId)
        : undefined);
    const ranked = rankJourneys(current, {
      now: request.now,
      model: await this.ranker.current(),
      history,
      params: {
        ...DEFAULT_RANKING_PARAMS,
        diversification: { ...DEFAULT_RANKING_PARAMS.diversification, penalty: request.content.diversificationPenalty },
        limit: 0,
      },
    });
    const { topK, endedJourneys } = request.content;
    return pickJourneySubjects(ranked, (j) => this.verdict(j, request), topK, endedJourneys);
  }

  private verdict(journey: StoredJourney, request: PersonalizeRequest): JourneyVerdict {
    // The policy may have grown since the journey was built: today's blocked terms and sensitive categories apply.
    const why = notifyBarrier(journey, this.policy);
    if (why) return { ok: false, notifiable: false, why };
    const failure = request.journeyRule(journey);
    return failure ? { ok: false, notifiable: true, ...failure } : { ok: true };
  }

  private async interestSubjects(request: PersonalizeRequest): Promise<ContextSubject[]> {
    const events = await this.events.findByUser(request.user.userId);
    // An event is judged whole, as a journey of its keywords would be: of a search for "pregnancy test", "test"
    // would tell of the topic as surely as "pregnancy".
    const counted = (texts: readonly string[]) =>
      request.excluded(texts) === undefined &&
      notifyBarrier({ name: '', keywords: texts.map((text) => ({ text })) }, this.policy) === undefined;
    return rankInterests(events, counted)
      .slice(0, request.content.topK)
      .map((interest, i) => interestSubject(interest, i + 1, events.length));
  }

  private writeCopy(request: PersonalizeRequest, subject: ContextSubject, locale: string): Promise<LlmCopyOutcome> {
    const sensitiveTerms = Object.values(this.policy.safety.sensitiveCategories).flat();
    return this.llmCopy.generate(
      {
        channel: request.channel,
        subject: {
          name: subject.name,
          keywords: subject.keywords,
          stage: subject.stage === 'ended' ? 'ended' : 'ongoing',
          type: subject.type === 'evergreen' ? 'evergreen' : 'situational',
          related: subject.related,
        },
        locale,
        tone: request.copy.tone,
        limits: { ...DEFAULT_COPY_LIMITS, ...definedOnly(request.copy.limits ?? {}) },
        allowUrls: request.copy.allowUrls,
        allowHtml: request.copy.allowHtml,
        blockedTerms: [...this.policy.safety.blockedTerms, ...(this.policy.notifySensitive ? [] : sensitiveTerms)],
        promptVersion: request.copy.promptVersion ?? CURRENT_COPY_PROMPT_VERSION,
      },
      request.budget,
      request.user.userId,
    );
  }
}
