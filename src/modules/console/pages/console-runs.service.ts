import { Injectable } from '@nestjs/common';
import { CampaignError } from '../../campaigns/domain/campaign.errors';
import { CampaignRunRepository } from '../../campaigns/runs/campaign-run.repository';
import { RunWaiting, WAIT_KINDS, WaitKind } from '../../campaigns/runs/domain/run-waiting';
import { CampaignRunsService, RunView } from '../../campaigns/runs/campaign-runs.service';
import { RunAction } from '../../campaigns/runs/domain/run-state';
import { RunExplainService } from '../../campaigns/runs/run-explain.service';
import { decodeCursor, Page, pageOf } from '../domain/keyset';
import { ConsoleSession } from '../session/console-sessions.service';
import { actorOf, PAGE_SIZE } from './console-campaigns.service';

export interface RunRow {
  runId: string;
  campaignId: string;
  state: string;
  trigger: string;
  scheduledFor: Date;
  createdAt: Date;
}

/** `<createdAt ISO>|<runId>`: the position of a run in newest-first order. */
function positionOf(cursor: string | undefined): { createdAt: Date; runId: string } | undefined {
  const key = decodeCursor(cursor);
  const bar = key?.indexOf('|') ?? -1;
  if (!key || bar < 0) return undefined;
  const createdAt = new Date(key.slice(0, bar));
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, runId: key.slice(bar + 1) };
}

/** Campaign runs for the console: newest-first keyset pages, one run with its counters, and one user's path through it. */
@Injectable()
export class ConsoleRunsService {
  constructor(
    private readonly runs: CampaignRunsService,
    private readonly repository: CampaignRunRepository,
    private readonly explains: RunExplainService,
  ) {}

  async page(cursor: string | undefined, campaignId?: string, limit = PAGE_SIZE): Promise<Page<RunRow>> {
    // A filter naming no campaign lists no runs: the page is titled with it, so it must not list every campaign's.
    const filter = campaignId ? { campaignId } : {};
    const rows = await this.repository.findPage(filter, positionOf(cursor), limit + 1);
    return pageOf(rows, limit, (r) => `${r.createdAt.toISOString()}|${r.runId}`);
  }

  async detail(runId: string, userId: string | undefined) {
    const run = await this.runs.get(checkedRunId(runId), { waiting: true });
    const user = userId?.trim();
    // Said next to the form, which keeps what was typed, rather than an error page in place of the run's.
    const explainError =
      user !== undefined && user.length > 256 ? 'user must be a user id of 1 to 256 characters' : undefined;
    return {
      run,
      progress: progressOf(run),
      suppressed: Object.entries(run.counts.suppressed)
        .map(([reason, users]) => ({ reason, users }))
        .sort((a, b) => b.users - a.users),
      waiting: waitingRows(run.waiting),
      canPause: run.state === 'running' || run.state === 'scheduled',
      canResume: run.state === 'paused',
      canCancel: run.state === 'running' || run.state === 'scheduled' || run.state === 'paused',
      explanation: user && !explainError ? await this.explains.explain(run.runId, user) : undefined,
      explainedUser: user,
      explainError,
    };
  }

  control(runId: string, action: RunAction, session: ConsoleSession): Promise<RunView> {
    return this.runs.control(checkedRunId(runId), action, actorOf(session));
  }
}

function checkedRunId(runId: string): string {
  if (runId.length === 0 || runId.length > 200) {
    throw new CampaignError('campaign.run-not-found', `run ${runId} not found`);
  }
  return runId;
}

/** Users processed out of the audience, as a whole percent for the progress bar. */
function progressOf(run: RunView): { done: number; total: number; percent: number } {
  const total = run.counts.audience;
  const done = total - run.counts.pending;
  return { done, total, percent: total === 0 ? (run.selectionDone ? 100 : 0) : Math.floor((done / total) * 100) };
}

const WAIT_LABELS: Record<WaitKind, string> = {
  quietHours: 'Quiet hours (the end of the user’s night)',
  localSend: 'Their local send time',
  retry: 'A retry’s backoff',
  later: 'A later time',
  pendingSendTime: 'Not composed yet: their local send time',
};

/** What the run's queued messages (and pending users) wait for, a row each, for the page's table. */
function waitingRows(waiting: RunWaiting | undefined) {
  if (!waiting) return undefined;
  const rows: Array<{ what: string; count: number; earliest?: Date; latest?: Date }> = [];
  if (waiting.dueNow > 0) rows.push({ what: 'Due now (being sent)', count: waiting.dueNow });
  for (const kind of WAIT_KINDS) {
    const group = waiting[kind];
    if (group) rows.push({ what: WAIT_LABELS[kind], ...group });
  }
  return { rows, runPaused: waiting.runPaused };
}
