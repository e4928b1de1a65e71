import { Command, InvalidArgumentError } from 'commander';
import { INestApplicationContext } from '@nestjs/common';
import { withCommandContext } from '../../../common/cli/command-context';
import type { CampaignRunsService, RunView } from '../../campaigns/runs/campaign-runs.service';
import { isFinished, MAX_RUNS_LISTED, RUN_STATES, RunState } from '../../campaigns/runs/domain/run-state';
import { positiveInteger, wholeNumberBetween } from '../option-values';
import { group } from '../program';
import { cliActor } from './campaigns-definitions.command';
import { formatExplanation, formatRunLine, formatRun, waitingLines, waitsPast } from './campaign-runs-output';
import { reportCampaignError } from './campaigns-state.command';
import { requireKnownUser } from './known-user';

/** `runs list --limit`: the API's range. */
export const runsListed = wholeNumberBetween(1, MAX_RUNS_LISTED);

/** The services the run commands use, loaded when one runs (so other commands start without them). */
async function runServices() {
  const [
    { RedisModule },
    { CampaignRunsModule },
    { CampaignRunsService },
    { RunExplainService },
    { CampaignsService },
    guards,
  ] = await Promise.all([
    import('../../../common/redis/redis.module'),
    import('../../campaigns/runs/campaign-runs.module'),
    import('../../campaigns/runs/campaign-runs.service'),
    import('../../campaigns/runs/run-explain.service'),
    import('../../campaigns/campaigns.service'),
    import('../../tracking/preference-guards.module'),
  ]);
  return {
    modules: [RedisModule, CampaignRunsModule, guards.PreferenceGuardsModule],
    runs: (context: INestApplicationContext) => context.get(CampaignRunsService),
    campaigns: (context: INestApplicationContext) => context.get(CampaignsService),
    explains: (context: INestApplicationContext) => context.get(RunExplainService),
  };
}

type RunServices = Awaited<ReturnType<typeof runServices>>;

/** Runs `work` in a context with the campaign runs services (MongoDB and Redis); coded errors set the exit code. */
async function withRuns(work: (context: INestApplicationContext, services: RunServices) => Promise<void>) {
  try {
    const services = await runServices();
    await withCommandContext(services.modules, (context) => work(context, services), { redis: true });
  } catch (error) {
    reportCampaignError(error);
  }
}

function runState(value: string): RunState {
  if (!(RUN_STATES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${RUN_STATES.join(', ')}`);
  }
  return value as RunState;
}

/** How often `--wait` reads what a run waits for, while its counters stand still. */
const WAITING_READ_MS = 5_000;

/**
 * Polls the run until it finishes, printing its counters to stderr when they change; while they stand still,
 * reads what its queued notifications wait for (every few seconds, not every poll) and prints that when it
 * changes. A run whose every remaining message waits past the deadline is returned at once (still running).
 */
async function waitFor(runs: CampaignRunsService, runId: string, timeoutMs: number): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let lastWaiting = '';
  let stalled = false;
  let nextWaitingRead = 0;
  for (;;) {
    const read = stalled && Date.now() >= nextWaitingRead;
    const run = await runs.get(runId, { waiting: read });
    const line = formatRunLine(run);
    stalled = line === last;
    if (!stalled) console.error(line);
    last = line;
    if (isFinished(run.state)) return run;
    if (read) {
      nextWaitingRead = Date.now() + WAITING_READ_MS;
      const waiting = waitingLines(run.waiting).join('; ');
      if (waiting && waiting !== lastWaiting) console.error(`waiting: ${waiting}`);
      lastWaiting = waiting;
      const until = waitsPast(run, new Date(deadline));
      if (until) {
        console.error(
          `run ${runId}: everything left waits past --timeout ${timeoutMs / 1000} s: ` +
            `the first wait ends at ${until.toISOString()}; not waiting for it`,
        );
        return run;
      }
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} is still ${run.state} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * `journeycast campaigns run <id> [--wait]` and `journeycast runs list|show|pause|resume|cancel|explain`:
 * campaign runs through the same services as the API. Workers (APP_ROLE=worker) do the sending.
 */
export function registerCampaignRunCommands(program: Command): void {
  group(program, 'campaigns')
    .command('run <campaignId>')
    .description('Start a run of the campaign now (workers select, compose and send it)')
    .option(
      '--wait',
      'wait until the run finishes and print its counters, and what it waits for while it waits; exit code 1 ' +
        'unless it completed (at once when everything left waits past --timeout)',
    )
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInteger, 3600)
    .action(async (campaignId: string, options: { wait?: boolean; timeout: number }) => {
      await withRuns(async (context, services) => {
        const runs = services.runs(context);
        const run = await runs.startManual(campaignId, cliActor());
        console.log(run.runId);
        if (!options.wait) return;
        const finished = await waitFor(runs, run.runId, options.timeout * 1000);
        console.log(formatRun(finished));
        if (finished.state !== 'completed') process.exitCode = 1;
      });
    });

  const runs = group(program, 'runs');
  runs
    .command('list')
    .description('List campaign runs, newest first')
    .option('--campaign <campaignId>', 'only runs of this campaign')
    .option('--state <state>', `only runs in this state (${RUN_STATES.join(', ')})`, runState)
    .option('--limit <n>', `at most this many (1 to ${MAX_RUNS_LISTED})`, runsListed, 20)
    .action(async (options: { campaign?: string; state?: RunState; limit: number }) => {
      await withRuns(async (context, services) => {
        const service = services.runs(context);
        const list = await service.list({ campaignId: options.campaign, state: options.state, limit: options.limit });
        // The API lists no runs for a campaign that does not exist; the CLI says it does not (exit code 1).
        if (list.length === 0 && options.campaign !== undefined) {
          await services.campaigns(context).get(options.campaign);
        }
        for (const run of list) console.log(formatRunLine(run));
        if (list.length === 0) console.error('no runs');
      });
    });
  runs
    .command('show <runId>')
    .description('A run with its counters and, while it is not finished, what its queued messages wait for')
    .action(async (runId: string) => {
      await withRuns(async (context, services) =>
        console.log(formatRun(await services.runs(context).get(runId, { waiting: true }))),
      );
    });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    runs
      .command(`${action} <runId>`)
      .description(`${action[0].toUpperCase()}${action.slice(1)} a run`)
      .action(async (runId: string) => {
        await withRuns(async (context, services) => {
          const run = await services.runs(context)[action](runId, cliActor());
          console.log(`${run.runId}: ${run.state}`);
        });
      });
  }
  runs
    .command('explain <runId> <userId>')
    .description("Why a user got (or didn't get) the run's message: audience, rule, arm, copy, render, attempts")
    .option('--json', 'print the whole explanation as JSON')
    .action(async (runId: string, userId: string, options: { json?: boolean }) => {
      await withRuns(async (context, services) => {
        const explanation = await services.explains(context).explain(runId, userId);
        if (explanation.audienceCheck?.skip?.code === 'no-profile') await requireKnownUser(context, userId);
        console.log(options.json ? JSON.stringify(explanation, null, 2) : formatExplanation(explanation));
      });
    });
}
