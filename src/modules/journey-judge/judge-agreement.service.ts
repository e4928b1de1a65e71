import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { UserJourneysRepository } from '../journeys/user-journeys.repository';
import { LlmClient } from '../llm/llm.client';
import { GradePair } from './domain/agreement';
import { AgreementReport, buildAgreementReport } from './domain/agreement-report';
import { HumanLabel, renderGradingSheet, SheetUser } from './domain/grading-sheet';
import { TokenBudget } from './domain/judge-budget';
import { Grade } from './domain/judge-types';
import { JudgeError } from './domain/judge.errors';
import { DEFAULT_SAMPLE_SEED, JudgeSampleService } from './judge-sample.service';
import { UserJudgeService } from './user-judge.service';

export interface GradingSheet {
  buildRunId: string;
  users: number;
  journeys: number;
  csv: string;
}

export interface AgreementResult {
  report: AgreementReport;
  /** Labels whose user or journey the judge could not grade, and why. */
  unmatched: Array<HumanLabel & { reason: string }>;
  tokens: number;
}

/** Human grades: the sheet people grade, and the judge's agreement with what they graded. */
@Injectable()
export class JudgeAgreementService {
  private readonly settings: Settings['judge'];

  constructor(
    config: ConfigService<Settings, true>,
    private readonly llm: LlmClient,
    private readonly samples: JudgeSampleService,
    private readonly userJudge: UserJudgeService,
    private readonly userJourneys: UserJourneysRepository,
  ) {
    this.settings = config.get('judge', { infer: true });
  }

  /** A grading sheet of a seeded sample of the run's users (the judge's own sample with the same seed). */
  async exportSample(size: number, options: { buildRunId?: string; seed?: string } = {}): Promise<GradingSheet> {
    const run = await this.samples.resolveRun(options.buildRunId);
    const userIds = await this.samples.sample(run.runId, size, options.seed ?? DEFAULT_SAMPLE_SEED);
    const users: SheetUser[] = [];
    for (const userId of userIds) {
      const build = await this.userJourneys.findByUserId(userId);
      if (!build || build.buildRunId !== run.runId) continue;
      const view = await this.userJudge.view(build);
      users.push({ userId, activity: view.activity, journeys: view.shown });
    }
    const journeys = users.reduce((n, u) => n + u.journeys.length, 0);
    return { buildRunId: run.runId, users: users.length, journeys, csv: renderGradingSheet(users) };
  }

  /**
   * Judges the labelled users' current journeys (cached grades are free) and matches each label to the judged
   * journey of the same name, as stored or as shown on the sheet (case-insensitive).
   */
  async agreement(labels: readonly HumanLabel[], maxTokens = this.settings.maxTokensPerRun): Promise<AgreementResult> {
    if (!this.llm.available) throw new JudgeError('judge.no-llm', 'the judge needs an LLM: set OPENAI_API_KEY');
    if (labels.length === 0) throw new JudgeError('judge.invalid-labels', 'labels: no graded journeys in the file');
    const budget = new TokenBudget(maxTokens);
    const pairs: GradePair[] = [];
    const unmatched: AgreementResult['unmatched'] = [];
    const byUser = new Map<string, HumanLabel[]>();
    for (const label of labels) byUser.set(label.userId, [...(byUser.get(label.userId) ?? []), label]);
    let tokens = 0;
    for (const [userId, userLabels] of byUser) {
      const build = await this.userJourneys.findByUserId(userId);
      if (!build) {
        unmatched.push(...userLabels.map((l) => ({ ...l, reason: 'user has no journeys' })));
        continue;
      }
      const result = await this.userJudge.judge(await this.userJudge.view(build), budget);
      tokens += result.tokens;
      if (result.status !== 'judged') {
        const reason = result.status === 'failed' ? result.reason : 'token budget spent';
        unmatched.push(...userLabels.map((l) => ({ ...l, reason })));
        continue;
      }
      for (const label of userLabels) {
        const name = label.journeyName.toLowerCase();
        const judged = result.journeys.find((j) => j.name.toLowerCase() === name || j.shownName.toLowerCase() === name);
        if (judged) {
          pairs.push({ userId, journeyName: label.journeyName, human: label.grade, judge: judged.grade as Grade });
        } else unmatched.push({ ...label, reason: `not among the user's top ${this.settings.topK} journeys` });
      }
    }
    return { report: buildAgreementReport(pairs), unmatched, tokens };
  }
}
