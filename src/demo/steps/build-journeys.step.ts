import { JourneyRunResponse } from '../../modules/journeys/dto/journey-run.dto';
import { UserJourneysResponse } from '../../modules/journeys/dto/user-journeys-response.dto';
import { DemoContext, DemoStep } from '../demo-context';
import { callApi, forEachConcurrently } from '../http-client';

const POLL_MS = 250;
const RUN_TIMEOUT_MS = 10 * 60_000;
const SAMPLE_USERS = 3;

async function waitForRun(context: DemoContext, runId: string): Promise<JourneyRunResponse> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const run = await callApi<JourneyRunResponse>(
      context.baseUrl,
      context.tokens.admin,
      'GET',
      `/v1/journey-runs/${runId}`,
    );
    if (run.status === 'completed' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`journey run ${runId} did not finish in ${RUN_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function describeJourney(j: UserJourneysResponse['journeys'][number]): string {
  const keywords = j.keywords
    .slice(0, 4)
    .map((k) => k.text)
    .join(', ');
  const related = j.expansion ? `; related: ${j.expansion.related.slice(0, 3).join(', ')}` : '';
  return `#${j.rank} ${j.name} (${j.type}, ${j.stage}, confidence ${j.confidence.toFixed(2)}) - ${keywords}${related}`;
}

/** Builds every user's journeys through the queue, as the nightly run would, and shows a few of them. */
export const buildJourneysStep: DemoStep = {
  title: 'Build journeys (POST /v1/journey-runs, Bull workers)',
  async run(context) {
    const started = Date.now();
    const queued = await callApi<JourneyRunResponse>(
      context.baseUrl,
      context.tokens.admin,
      'POST',
      '/v1/journey-runs',
      { kind: 'full' },
    );
    const run = await waitForRun(context, queued.runId);
    if (run.status !== 'completed') throw new Error(`journey run ${run.runId} failed: ${run.error ?? 'unknown error'}`);
    const seconds = (Date.now() - started) / 1000;
    context.log(
      `run ${run.runId}: ${run.counts.built} users built in ${run.shardCount} shards in ${seconds.toFixed(1)} s`,
    );

    const built: UserJourneysResponse[] = [];
    await forEachConcurrently(context.userIds, 8, async (userId) => {
      built.push(
        await callApi<UserJourneysResponse>(
          context.baseUrl,
          context.tokens.admin,
          'GET',
          `/v1/users/${userId}/journeys`,
        ),
      );
    });
    const journeys = built.flatMap((b) => b.journeys);
    const count = (predicate: (j: (typeof journeys)[number]) => boolean) => journeys.filter(predicate).length;
    context.report.journeys = {
      users: built.length,
      journeys: journeys.length,
      perUser: Number((journeys.length / Math.max(1, built.length)).toFixed(2)),
      situationalOngoing: count((j) => j.type === 'situational' && j.stage === 'ongoing'),
      situationalEnded: count((j) => j.type === 'situational' && j.stage === 'ended'),
      evergreen: count((j) => j.type === 'evergreen'),
      sensitive: count((j) => j.sensitive),
      withRelatedJourneys: count((j) => j.expansion !== undefined),
      plantedJourneys: context.truth.length,
      seconds,
    };

    for (const user of [...built].sort((a, b) => (a.userId < b.userId ? -1 : 1)).slice(0, SAMPLE_USERS)) {
      const planted = context.truth
        .filter((t) => t.userId === user.userId)
        .map((t) => `${t.name} (${t.type}, ${t.stage})`);
      context.log(`${user.userId} - planted: ${planted.join('; ')}`);
      for (const journey of user.journeys.slice(0, 4)) context.log(`    ${describeJourney(journey)}`);
    }
  },
};
