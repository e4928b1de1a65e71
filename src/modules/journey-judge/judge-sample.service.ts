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

  /**
   * The given run, which must have completed; else the latest completed run of `kinds`; else the default run.
   * The default is the latest completed full rebuild: the run the scheduled judge grades, so a judgement is
   * compared with judgements of the same kind of run, and one every user with events was built in. An
   * incremental run after it holds only the users with new events (often a handful, often none), too few
   * and too unlike the rest to stand for the journeys, and the rebuild's sample leaves those users out as
   * they no longer carry its journeys. Before any full rebuild completed (an install whose first run was
   * incremental), the default is the latest completed run that built at least one user.
   */
  async resolveRun(buildRunId?: string, kinds?: readonly RunKind[]): Promise<JourneyBuildRunRecord> {
    if (buildRunId === undefined) {
      const latest = kinds
        ? await this.runs.findLatestCompletedRun(kinds)
        : ((await this.runs.findLatestCompletedRun(['full'])) ??
          (await this.runs.findLatestCompletedRun(RUN_KINDS, { built: true })));
      if (!latest) {
        const what = kinds ? `${kinds.join(' or ')} journey build run` : 'journey build run that built journeys';
        throw new JudgeError('judge.no-run', `no completed ${what} to judge`);
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
