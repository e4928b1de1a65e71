import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { EventRepository } from '../ingest/event.repository';
import { UserRepository } from '../ingest/user.repository';
import { completeStructured } from '../journeys/build-stats';
import { StoredJourney } from '../journeys/stored-journey';
import { UserJourneysRecord } from '../journeys/user-journeys.schema';
import { LlmClient } from '../llm/llm.client';
import { LlmRestingError } from '../llm/llm.types';
import { journeysForJudge, summarizeActivity } from './domain/activity-summary';
import { TokenBudget } from './domain/judge-budget';
import { judgeCacheKey, JudgeCacheKey } from './domain/judge-key';
import { buildJudgePrompt, JUDGE_PROMPT_VERSION } from './domain/judge-prompt';
import { parseJudgeReply } from './domain/judge-reply';
import { ActivitySummary, JourneyForJudge } from './domain/judge-types';
import { privateTokens } from './domain/private-terms';
import { JudgeCacheRepository } from './judge-cache.repository';
import { JudgedJourney } from './judgement.schema';

const DAY = 86_400_000;
/** Activity keywords shown to the judge, strongest first. */
const ACTIVITY_KEYWORDS = 30;

/** One user's build as the judge sees it: the prompt data, the journeys behind it, and its cache key. */
export interface JudgeView {
  userId: string;
  activity: ActivitySummary;
  shown: JourneyForJudge[];
  journeys: StoredJourney[];
  cacheKey: JudgeCacheKey;
}

export type UserJudgement =
  | { status: 'judged'; cached: boolean; journeys: JudgedJourney[]; tokens: number }
  | { status: 'failed'; reason: string; tokens: number }
  | { status: 'skipped-budget'; tokens: 0 };

/**
 * Judges one user's journeys: their activity before the build summarised as extracted keywords (no raw text,
 * no identifiers), one structured LLM call graded against the rubric, validated, cached by what it saw.
 */
@Injectable()
export class UserJudgeService {
  private readonly logger = new Logger(UserJudgeService.name);
  private readonly settings: Settings['judge'];
  readonly model: string;

  constructor(
    private readonly llm: LlmClient,
    private readonly events: EventRepository,
    private readonly users: UserRepository,
    private readonly cache: JudgeCacheRepository,
    config: ConfigService<Settings, true>,
  ) {
    this.settings = config.get('judge', { infer: true });
    this.model = this.settings.model ?? config.get('llm', { infer: true }).model;
  }

  /** What the judge would see of this build of the user; relative to the build's time, so it is reproducible. */
  async view(build: UserJourneysRecord): Promise<JudgeView> {
    const now = build.generatedAt;
    const [profile, events] = await Promise.all([
      this.users.findByUserId(build.userId),
      this.events.findByUser(build.userId, new Date(now.getTime() - this.settings.activityDays * DAY)),
    ]);
    // Profiles have no name field, but attributes such as firstName may hold one.
    const names = Object.entries(profile?.attributes ?? {})
      .filter(([key, value]) => /name/i.test(key) && typeof value === 'string')
      .map(([, value]) => String(value));
    const tokens = privateTokens({ userId: build.userId, email: profile?.email, names });
    const journeys = [...build.journeys].sort((a, b) => a.rank - b.rank).slice(0, this.settings.topK);
    const activity = summarizeActivity(events, {
      now,
      windowDays: this.settings.activityDays,
      maxKeywords: ACTIVITY_KEYWORDS,
      privateTokens: tokens,
    });
    const shown = journeysForJudge(journeys, { now, privateTokens: tokens, topK: this.settings.topK });
    const cacheKey = judgeCacheKey(activity, shown, JUDGE_PROMPT_VERSION, this.model);
    return { userId: build.userId, activity, shown, journeys, cacheKey };
  }

  /** Grades a view: from the cache when the same data was judged before, else with one call within the budget. */
  async judge(view: JudgeView, budget: TokenBudget): Promise<UserJudgement> {
    const { userId, cacheKey } = view;
    const cached = await this.cache.findByKey(cacheKey.key, userId);
    if (cached) return { status: 'judged', cached: true, journeys: this.graded(view, cached.grades), tokens: 0 };
    const prompt = buildJudgePrompt(view.activity, view.shown);
    const reservation = budget.tryReserve(
      TokenBudget.estimate(prompt.system.length + prompt.user.length, prompt.maxTokens),
    );
    if (!reservation) return { status: 'skipped-budget', tokens: 0 };
    const usage = { promptTokens: 0, completionTokens: 0 };
    let text: string;
    try {
      text = (await completeStructured(this.llm, 'journey-judge', prompt, prompt.maxTokens, usage, this.model)).text;
    } catch (error) {
      // A resting model logged its rest once; its message is the reason.
      if (!(error instanceof LlmRestingError)) {
        this.logger.warn(`judge call for user ${userId} failed: ${(error as Error).message}`);
      }
      return { status: 'failed', reason: `LLM call failed: ${(error as Error).message}`, tokens: 0 };
    } finally {
      budget.settle(reservation, usage.promptTokens + usage.completionTokens);
    }
    const tokens = usage.promptTokens + usage.completionTokens;
    const reply = parseJudgeReply(text, view.shown.length);
    if (!reply.ok) {
      this.logger.warn(`judge reply for user ${userId} rejected: ${reply.reason}`);
      return { status: 'failed', reason: `reply rejected: ${reply.reason}`, tokens };
    }
    await this.cache.store({
      key: cacheKey.key,
      activityHash: cacheKey.activityHash,
      journeysHash: cacheKey.journeysHash,
      promptVersion: JUDGE_PROMPT_VERSION,
      model: this.model,
      grades: reply.grades,
      userIds: [userId],
      createdAt: new Date(),
    });
    return { status: 'judged', cached: false, journeys: this.graded(view, reply.grades), tokens };
  }

  private graded(view: JudgeView, grades: ReadonlyArray<{ grade: number; explanation: string }>): JudgedJourney[] {
    return view.journeys.map((journey, i) => ({
      journeyId: journey.id,
      name: journey.name,
      shownName: view.shown[i].name,
      rank: journey.rank,
      grade: grades[i].grade,
      explanation: grades[i].explanation,
    }));
  }
}
