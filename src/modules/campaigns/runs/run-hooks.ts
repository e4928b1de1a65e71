import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { RunGate } from '../../delivery/domain/delivery-step';
import type { FrequencyCap } from '../../delivery/domain/frequency-cap';
import { NotificationLifecycle } from '../../delivery/notification-lifecycle';
import { CampaignRunRepository } from './campaign-run.repository';
import { RunCompletion } from './run-completion';

/** How long a run's state is trusted when every delivery asks: a pause takes effect within it. */
const GATE_TTL_MS = 1000;
/** Completion checks of one run are at least this far apart; the last settle always gets one after it. */
const CHECK_SPACING_MS = 200;

/**
 * The run side of delivery's lifecycle hooks: whether a notification's run lets it be sent now (paused
 * and cancelled runs do not), and a completion check after notifications settle, throttled per run
 * with a trailing check so the last notification of a run always completes it.
 */
@Injectable()
export class RunHooks implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RunHooks.name);
  private readonly gates = new Map<string, { gate: RunGate; caps: readonly FrequencyCap[]; at: number }>();
  private readonly checks = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly lifecycle: NotificationLifecycle,
    private readonly runs: CampaignRunRepository,
    private readonly completion: RunCompletion,
  ) {}

  onModuleInit(): void {
    this.lifecycle.register({
      gate: (runId) => this.gate(runId),
      frequencyCaps: async (runId) => (await this.read(runId)).caps,
      settled: ({ runId }) => Promise.resolve(this.scheduleCheck(runId)),
    });
  }

  onApplicationShutdown(): void {
    for (const timer of this.checks.values()) clearTimeout(timer);
    this.checks.clear();
  }

  async gate(runId: string): Promise<RunGate> {
    return (await this.read(runId)).gate;
  }

  /** What delivery asks of a run, read at most once per GATE_TTL_MS. */
  private async read(runId: string): Promise<{ gate: RunGate; caps: readonly FrequencyCap[] }> {
    const cached = this.gates.get(runId);
    if (cached && Date.now() - cached.at < GATE_TTL_MS) return cached;
    const run = await this.runs.findById(runId);
    // A run whose fan-out failed still delivers what it queued; only a cancel (or a deleted run) stops it.
    const gate: RunGate = !run || run.state === 'cancelled' ? 'cancelled' : run.state === 'paused' ? 'paused' : 'open';
    const read = { gate, caps: run?.definition.frequencyCaps ?? [], at: Date.now() };
    if (this.gates.size > 10_000) this.gates.clear();
    this.gates.set(runId, read);
    return read;
  }

  private scheduleCheck(runId: string): void {
    if (this.checks.has(runId)) return;
    const timer = setTimeout(() => {
      this.checks.delete(runId);
      this.completion
        .completeIfDone(runId)
        .catch((error: Error) => this.logger.warn({ message: `completion check failed: ${error.message}`, runId }));
    }, CHECK_SPACING_MS);
    timer.unref();
    this.checks.set(runId, timer);
  }
}
