import { Command, InvalidArgumentError } from 'commander';
import { INestApplicationContext } from '@nestjs/common';
import { withCommandContext } from '../../../common/cli/command-context';
import { RedisModule } from '../../../common/redis/redis.module';
import { CampaignRunsModule } from '../../campaigns/runs/campaign-runs.module';
import { CampaignRunsService, RunView } from '../../campaigns/runs/campaign-runs.service';
import { isFinished, RUN_STATES, RunState } from '../../campaigns/runs/domain/run-state';
import { RunExplainService } from '../../campaigns/runs/run-explain.service';
import { PreferenceGuardsModule } from '../../tracking/preference-guards.module';
import { group } from '../program';
import { cliActor } from './campaigns-definitions.command';
import { formatExplanation, formatRunLine, formatRun } from './campaign-runs-output';
import { reportCampaignError } from './campaigns-state.command';

const RUN_MODULES = [RedisModule, CampaignRunsModule, PreferenceGuardsModule];

/** Runs `work` in a context with the campaign runs services (MongoDB and Redis); coded errors set the exit code. */
async function withRuns(work: (context: INestApplicationContext) => Promise<void>): Promise<void> {
  try {
    await withCommandContext(RUN_MODULES, work, { redis: true });
  } catch (error) {
    reportCampaignError(error);
  }
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function runState(value: string): RunState {
  if (!(RUN_STATES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${RUN_STATES.join(', ')}`);
  }
  return value as RunState;
}

/** Polls the run until it finishes, printing its counters to stderr when they change. */
async function waitFor(runs: CampaignRunsService, runId: string, timeoutMs: number): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const run = await runs.get(runId);
    const line = formatRunLine(run);
    if (line !== last) console.error(line);
    last = line;
    if (isFinished(run.state)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} is still ${run.state} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * `journeycast campaigns run <id> [--wait]` and `journeycast runs list|show|pause|resume|cancel|explain`:
 * campaign runs through the same services as the API. Workers (APP_ROLE=worker) do the sending.
 */
export function registerCampaignRunCommands(program: Command): void {
  group(program, 'campaigns', 'Campaigns as code: validate, sync, preview, estimate')
    .command('run <campaignId>')
    .description('Start a run of the campaign now (workers select, compose and send it)')
    .option('--wait', 'wait until the run finishes and print its counters; exit code 1 unless it completed')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInteger, 3600)
    .action(async (campaignId: string, options: { wait?: boolean; timeout: number }) => {
      await withRuns(async (context) => {
        const runs = context.get(CampaignRunsService);
        const run = await runs.startManual(campaignId, cliActor());
        console.log(run.runId);
        if (!options.wait) return;
        const finished = await waitFor(runs, run.runId, options.timeout * 1000);
        console.log(formatRun(finished));
        if (finished.state !== 'completed') process.exitCode = 1;
      });
    });

  const runs = group(program, 'runs', 'Campaign runs: list, show, pause, resume, cancel, explain');
  runs
    .command('list')
    .description('List campaign runs, newest first')
    .option('--campaign <campaignId>', 'only runs of this campaign')
    .option('--state <state>', `only runs in this state (${RUN_STATES.join(', ')})`, runState)
    .option('--limit <n>', 'at most this many', positiveInteger, 20)
    .action(async (options: { campaign?: string; state?: RunState; limit: number }) => {
      await withRuns(async (context) => {
        const service = context.get(CampaignRunsService);
        const list = await service.list({ campaignId: options.campaign, state: options.state, limit: options.limit });
        for (const run of list) console.log(formatRunLine(run));
        if (list.length === 0) console.error('no runs');
      });
    });
  runs
    .command('show <runId>')
    .description('A run with its counters')
    .action(async (runId: string) => {
      await withRuns(async (context) => console.log(formatRun(await context.get(CampaignRunsService).get(runId))));
    });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    runs
      .command(`${action} <runId>`)
      .description(`${action[0].toUpperCase()}${action.slice(1)} a run`)
      .action(async (runId: string) => {
        await withRuns(async (context) => {
          const run = await context.get(CampaignRunsService)[action](runId, cliActor());
          console.log(`${run.runId}: ${run.state}`);
        });
      });
  }
  runs
    .command('explain <runId> <userId>')
    .description("Why a user got (or didn't get) the run's message: audience, rule, arm, copy, render, attempts")
    .option('--json', 'print the whole explanation as JSON')
    .action(async (runId: string, userId: string, options: { json?: boolean }) => {
      await withRuns(async (context) => {
        const explanation = await context.get(RunExplainService).explain(runId, userId);
        console.log(options.json ? JSON.stringify(explanation, null, 2) : formatExplanation(explanation));
      });
    });
}
