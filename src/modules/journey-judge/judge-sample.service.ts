import { Injectable } from '@nestjs/common';
import { JourneyBuildRunRecord, RUN_KINDS, RunKind } from '../journeys/journey-build-run.schema';
import { JourneyRunsService } from '../journeys/journey-runs.service';
import { UserJourneysRepository } from '../journeys/user-journeys.repository';
import { JudgeError } from './domain/judge.errors';
import { SeededSample } from './domain/sampling';

/** The default sampling seed: consecutive runs are judged on largely the same users, and re-runs are free. */
export const DEFAULT_SAMPLE_SEED = 'journeycast';

/** Which build run is judged, and which of its users. */
@Injectable()
export class JudgeSampleService {
  constructor(
    private readonly runs: JourneyRunsService,
    private readonly userJourneys: UserJourneysRepository,
  ) {}

  /** The given run, which must have completed, or the latest completed run of these kinds. */
  async resolveRun(buildRunId?: string, kinds: readonly RunKind[] = RUN_KINDS): Promise<JourneyBuildRunRecord> {
    if (buildRunId === undefined) {
      const latest = await this.runs.findLatestCompletedRun(kinds);
      if (!latest) {
        throw new JudgeError('judge.no-run', `no completed ${kinds.join(' or ')} journey build run to judge`);
      }
      return latest;
    }
    const run = await this.runs.findRun(buildRunId);
    if (!run) throw new JudgeError('judge.run-not-found', `journey build run ${buildRunId} not found`);
    if (run.status !== 'completed') {
      throw new JudgeError(
        'judge.run-not-completed',
        `journey build run ${buildRunId} is ${run.status}, not completed`,
      );
    }
    return run;
  }

  /**
   * A seeded sample of the users whose current journeys come from the run (optionally only among `among`).
   * Users rebuilt by a later run no longer carry this run's journeys and cannot be judged for it.
   */
  async sample(buildRunId: string, size: number, seed: string, among?: readonly string[]): Promise<string[]> {
    const sample = new SeededSample(size, seed);
    const allowed = among ? new Set(among) : undefined;
    for await (const userId of this.userJourneys.streamUserIdsByBuildRun(buildRunId)) {
      if (!allowed || allowed.has(userId)) sample.offer(userId);
    }
    const ids = sample.ids();
    if (ids.length === 0) {
      throw new JudgeError(
        'judge.no-users',
        `no user${among ? ' of the list' : ''} still carries journeys of run ${buildRunId}`,
      );
    }
    return ids;
  }
}
