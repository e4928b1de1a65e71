import { Injectable, NotFoundException } from '@nestjs/common';
import { ModelRepository, StoredModelInfo } from '../../../common/model-store/model.repository';
import { AudienceFactsRepository } from '../../audience/audience-facts.repository';
import { JourneyJudgeService } from '../../journey-judge/journey-judge.service';
import { JourneysService, UserJourneysView } from '../../journeys/journeys.service';
import { PLATFORM_EMBEDDER_KIND } from '../../journeys/platform-embedder.service';
import { UserJourneysRepository } from '../../journeys/user-journeys.repository';
import { RANKER_MODEL_KIND } from '../../ranking/ranker-model.service';
import { commonJourneys } from '../domain/population';

/** Users read for the population view: a random sample walked on the sampleKey index, never a scan. */
export const POPULATION_SAMPLE = 1000;
const TOP_JOURNEYS = 20;
const KEYWORDS_SHOWN = 8;

/** The journeys pages' view models: one user's journeys and rebuild history, the population, model versions. */
@Injectable()
export class ConsoleJourneysService {
  constructor(
    private readonly journeys: JourneysService,
    private readonly builds: UserJourneysRepository,
    private readonly facts: AudienceFactsRepository,
    private readonly models: ModelRepository,
    private readonly judge: JourneyJudgeService,
  ) {}

  /** A user's ranked journeys, or `found: false` when the user has not been built yet. */
  async lookup(userId: string) {
    let view: UserJourneysView;
    try {
      view = await this.journeys.getUserJourneys(userId);
    } catch (error) {
      if (error instanceof NotFoundException) return { userId, found: false };
      throw error;
    }
    const [record] = await this.builds.findManyWithPrevious([userId]);
    const current = new Set(view.journeys.map((j) => j.journey.name));
    const previousNames = record?.previous?.journeys.map((j) => j.name) ?? [];
    return {
      userId,
      found: true,
      view,
      journeys: view.journeys.map(({ journey, notifiable, expansion }) => ({
        ...journey,
        notifiable,
        keywordsShown: journey.keywords.slice(0, KEYWORDS_SHOWN),
        moreKeywords: Math.max(0, journey.keywords.length - KEYWORDS_SHOWN),
        related: expansion?.related ?? [],
      })),
      previous: record?.previous && {
        generatedAt: record.previous.generatedAt,
        buildRunId: record.previous.buildRunId,
        added: [...current].filter((n) => !previousNames.includes(n)),
        removed: previousNames.filter((n) => !current.has(n)),
      },
    };
  }

  /** The most common journeys in a random sample of users, with their trend since the users' previous builds. */
  async population() {
    const userIds = await this.facts.sampleUserIds({}, POPULATION_SAMPLE);
    return commonJourneys(await this.builds.findManyWithPrevious(userIds), TOP_JOURNEYS);
  }

  /** The embedder and ranker versions in the model store, newest first; the current one is the first of each. */
  async versions() {
    const [embedders, rankers, candidates] = await Promise.all([
      this.models.listVersions(PLATFORM_EMBEDDER_KIND, 3),
      this.models.listVersions(RANKER_MODEL_KIND, 3),
      this.models.listVersions(`${RANKER_MODEL_KIND}.candidate`, 3),
    ]);
    const row = (m: StoredModelInfo) => ({ ...m, kib: Math.ceil(m.byteLength / 1024), meta: JSON.stringify(m.meta) });
    return { embedders: embedders.map(row), rankers: rankers.map(row), candidates: candidates.map(row) };
  }

  /** The latest completed judge run with its grades per grade value, or undefined when no build run was judged. */
  async judgement() {
    const report = await this.judge.latestCompleted();
    if (!report) return undefined;
    const { distribution, journeys } = report.summary;
    return {
      ...report,
      grades: ['5', '4', '3', '2', '1'].map((grade) => ({
        grade,
        journeys: distribution[grade] ?? 0,
        share: journeys === 0 ? 0 : (distribution[grade] ?? 0) / journeys,
      })),
    };
  }
}
