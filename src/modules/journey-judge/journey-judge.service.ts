import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { Semaphore } from '../../lib/concurrency/semaphore';
import { Settings } from '../../config/settings';
import { RunKind } from '../journeys/journey-build-run.schema';
import { UserJourneysRepository } from '../journeys/user-journeys.repository';
import { LlmClient } from '../llm/llm.client';
import { TokenBudget } from './domain/judge-budget';
import { JUDGE_PROMPT_VERSION } from './domain/judge-prompt';
import { JudgeError } from './domain/judge.errors';
import { JudgementReport, JudgementTrigger } from './domain/judgement-report';
import { DEFAULT_SAMPLE_SEED, JudgeSampleService } from './judge-sample.service';
import { JudgedUserRepository } from './judged-user.repository';
import { JudgeErasure } from './judge-erasure';
import { JourneyJudgementRecord, JudgedUserRecord } from './judgement.schema';
import { JudgementRepository } from './judgement.repository';
import { buildJudgementOutcome } from './judgement-outcome';
import { toJudgementReport } from './judgement-report.mapper';
import { UserJudgeService } from './user-judge.service';

export interface JudgeRunOptions {
  /**
   * The build run; when absent, the latest completed run of `kinds`, or without them the latest full rebuild
   * (see {@link JudgeSampleService.resolveRun}).
   */
  buildRunId?: string;
  kinds?: RunKind[];
  sampleSize: number;
  seed?: string;
  /** Judge only these users (those still on the run). */
  userIds?: readonly string[];
  trigger: JudgementTrigger;
  /** A business key makes the judgement idempotent (the scheduled one is `scheduled-<runId>`). */
  judgementId?: string;
  maxTokens?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Judged runs: samples a build run's users, judges each (cached, within the token budget), stores every
 * user's result once, then summarises the grades, compares them with the previous judged run and raises
 * the alert. A judgement interrupted by a crash resumes where it stopped.
 */
@Injectable()
export class JourneyJudgeService {
  private readonly logger = new Logger(JourneyJudgeService.name);
  private readonly settings: Settings['judge'];
  private readonly concurrency: number;

  constructor(
    config: ConfigService<Settings, true>,
    private readonly llm: LlmClient,
    private readonly samples: JudgeSampleService,
    private readonly userJudge: UserJudgeService,
    private readonly userJourneys: UserJourneysRepository,
    private readonly judgements: JudgementRepository,
    private readonly judgedUsers: JudgedUserRepository,
    private readonly erasures: JudgeErasure,
  ) {
    this.settings = config.get('judge', { infer: true });
    this.concurrency = config.get('llm', { infer: true }).concurrency;
  }

  async judgeRun(options: JudgeRunOptions): Promise<JudgementReport> {
    if (!this.llm.available) throw new JudgeError('judge.no-llm', 'the judge needs an LLM: set OPENAI_API_KEY');
    const run = await this.samples.resolveRun(options.buildRunId, options.kinds);
    const seed = options.seed ?? DEFAULT_SAMPLE_SEED;
    const judgementId = options.judgementId ?? newJudgementId(run.runId);
    let judgement = await this.judgements.findByJudgementId(judgementId);
    if (!judgement) {
      const sample = await this.samples.sample(run.runId, options.sampleSize, seed, options.userIds);
      judgement = await this.judgements.createOnce({
        judgementId,
        buildRunId: run.runId,
        trigger: options.trigger,
        model: this.userJudge.model,
        promptVersion: JUDGE_PROMPT_VERSION,
        topK: this.settings.topK,
        seed,
        sample,
        tokenBudget: options.maxTokens ?? this.settings.maxTokensPerRun,
        createdAt: new Date(),
      });
    }
    if (judgement.status !== 'completed') {
      try {
        await this.judgeSample(judgement, options.onProgress);
        await this.complete(judgement);
      } catch (error) {
        await this.judgements.markFailed(judgementId, (error as Error).message.slice(0, 1000), new Date());
        throw error;
      }
    }
    return toJudgementReport((await this.judgements.findByJudgementId(judgementId))!);
  }

  /** The scheduled judge: the latest completed full rebuild, once (its judgement id is derived from the run). */
  async judgeLatestFullRun(): Promise<JudgementReport | undefined> {
    if (!this.llm.available) {
      this.logger.warn('scheduled journey judge skipped: no LLM is configured (OPENAI_API_KEY)');
      return undefined;
    }
    const run = await this.samples.resolveRun(undefined, ['full']).catch((error: unknown) => {
      if (error instanceof JudgeError) return undefined;
      throw error;
    });
    if (!run) return undefined;
    const judgementId = `scheduled-${run.runId}`;
    if ((await this.judgements.findByJudgementId(judgementId))?.status === 'completed') return undefined;
    return this.judgeRun({
      buildRunId: run.runId,
      judgementId,
      trigger: 'schedule',
      sampleSize: this.settings.sampleSize,
    });
  }

  /** The latest completed judgement of any build run: the summary dashboards show next to /metrics. */
  async latestCompleted(): Promise<JudgementReport | undefined> {
    const found = await this.judgements.findLatestCompleted();
    return found && toJudgementReport(found);
  }

  /** The latest judgement of a build run, finished or not. */
  async latestOfRun(buildRunId: string): Promise<JudgementReport | undefined> {
    const found = await this.judgements.findLatestOfRun(buildRunId);
    return found && toJudgementReport(found);
  }

  private async judgeSample(judgement: JourneyJudgementRecord, onProgress?: JudgeRunOptions['onProgress']) {
    const done = await this.judgedUsers.findByJudgement(judgement.judgementId);
    const settled = new Set(done.map((d) => d.userId));
    const budget = new TokenBudget(Math.max(0, judgement.tokenBudget - done.reduce((s, d) => s + d.tokens, 0)));
    const gate = new Semaphore(this.concurrency);
    let finished = settled.size;
    const results = await Promise.allSettled(
      judgement.sample
        .filter((userId) => !settled.has(userId))
        .map((userId) =>
          gate.run(async () => {
            await this.judgedUsers.insertOnce(await this.judgeUser(judgement, userId, budget));
            onProgress?.(++finished, judgement.sample.length);
          }),
        ),
    );
    // A user erased while judged keeps nothing of it: one look at the whole sample once every write is done
    // (a failed write too), which also covers what an interrupted attempt wrote before this one resumed it.
    await this.erasures.takeBackErased(judgement.sample);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async judgeUser(judgement: JourneyJudgementRecord, userId: string, budget: TokenBudget) {
    const base = { judgementId: judgement.judgementId, buildRunId: judgement.buildRunId, userId, cached: false };
    const build = await this.userJourneys.findByUserId(userId);
    // Rebuilt (or erased) since the sample was drawn: its journeys are no longer this run's.
    if (!build || build.buildRunId !== judgement.buildRunId) {
      return { ...base, status: 'left-run', journeys: [], tokens: 0, judgedAt: new Date() } satisfies JudgedUserRecord;
    }
    const view = await this.userJudge.view(build);
    const result = await this.userJudge.judge(view, budget);
    return {
      ...base,
      ...result,
      cacheKey: view.cacheKey.key,
      journeys: result.status === 'judged' ? result.journeys : [],
      judgedAt: new Date(),
    } satisfies JudgedUserRecord;
  }

  private async complete(judgement: JourneyJudgementRecord): Promise<void> {
    const records = await this.judgedUsers.findByJudgement(judgement.judgementId);
    const previous = await this.judgements.findPreviousCompleted(judgement.buildRunId, judgement.createdAt);
    const outcome = buildJudgementOutcome(judgement, records, previous, this.settings.alertMinMeanGrade);
    await this.judgements.complete(judgement.judgementId, outcome, new Date());
    // The outcome names users read before it was written: one erased meanwhile is named no more.
    await this.erasures.takeBackErased([...outcome.worst, ...outcome.failures].map((u) => u.userId));
    const mean = outcome.summary?.mean;
    const what = `journey judgement ${judgement.judgementId} of run ${judgement.buildRunId}: ${
      mean === null || mean === undefined ? 'no grades' : `mean grade ${mean.toFixed(2)}`
    }`;
    if (outcome.alert?.triggered) {
      this.logger.warn(`${what} is below the alert threshold ${this.settings.alertMinMeanGrade}`);
    } else this.logger.log(what);
  }
}

function newJudgementId(buildRunId: string): string {
  return `judge-${buildRunId}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}
