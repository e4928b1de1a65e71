import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { RunGate } from '../../delivery/domain/delivery-step';
import type { FrequencyCap } from '../../delivery/domain/frequency-cap';
import { NotificationLifecycle, SettledNotification } from '../../delivery/notification-lifecycle';
import { ERASED_REASON } from '../../delivery/recipient-checks';
import { CampaignRunRepository } from './campaign-run.repository';
import { ErasedDuringFanOut } from './fan-out-erasures';
import { RunCompletion } from './run-completion';

/** A run as delivery asks of it, and when it was read. */
interface RunRead {
  gate: RunGate;
  caps: readonly FrequencyCap[];
  /** The campaign's own send rate (messages per second), when it sets one. */
  sendRate?: number;
  generation: number;
  at: number;
}

/** How long a run's state is trusted when every delivery asks: a pause takes effect within it. */
const GATE_TTL_MS = 1000;
/** Completion checks of one run are at least this far apart; the last settle always gets one after it. */
const CHECK_SPACING_MS = 200;

/**
 * The run side of delivery's lifecycle hooks: whether a notification's run lets it be sent now (paused
 * and cancelled runs do not), and a completion check after notifications settle, throttled per run
 * with a trailing check so the last notification of a run always completes it.
 *
 * A run's state is remembered for GATE_TTL_MS with the generation it was read at. A paused job writes
 * nothing (it leaves its notification queued), and a resume or a cancel bumps the generation in the same
 * write that changes the state, then its requeue enqueues every queued notification under that generation.
 * A job of a newer generation than the remembered read reads the run again: the read that made the worker
 * park was taken before the resume, but the requeued job cannot be answered from it, so the requeue's job
 * sends (or settles as cancelled) whatever the worker read a moment before. Its job exists only once the
 * resume's write has landed, so its read (from the primary) sees that write; a job of an older generation
 * may still park on the old read, and the requeue's job carries its notification on. Nothing is written per
 * message and nothing waits for the cache to expire, so a crash anywhere leaves what a crash left before: a
 * requeue job that Bull runs again, or a resume to repeat. A worker reads a run about once a second, and once
 * more after each resume or cancel, whatever the number of messages.
 */
@Injectable()
export class RunHooks implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RunHooks.name);
  private readonly gates = new Map<string, RunRead>();
  /** The read of each run under way, which jobs asking meanwhile share. */
  private readonly reading = new Map<string, Promise<RunRead>>();
  private readonly checks = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly lifecycle: NotificationLifecycle,
    private readonly runs: CampaignRunRepository,
    private readonly completion: RunCompletion,
    private readonly erasures: ErasedDuringFanOut,
  ) {}

  onModuleInit(): void {
    this.lifecycle.register({
      gate: (runId, generation) => this.gate(runId, generation),
      current: (runId) => this.current(runId),
      frequencyCaps: async (runId) => (await this.read(runId)).caps,
      sendRate: async (runId) => (await this.read(runId)).sendRate,
      settled: (notification) => this.settled(notification),
    });
  }

  onApplicationShutdown(): void {
    for (const timer of this.checks.values()) clearTimeout(timer);
    this.checks.clear();
  }

  /** The run's gate as of its `generation` at least. */
  async gate(runId: string, generation = 0): Promise<RunGate> {
    return (await this.read(runId, generation)).gate;
  }

  /** The run's gate and generation read from the database now (a deleted run: cancelled, generation 0). */
  async current(runId: string): Promise<{ gate: RunGate; generation: number }> {
    const { gate, generation } = await this.read(runId, Number.POSITIVE_INFINITY);
    return { gate, generation: Number.isFinite(generation) ? generation : 0 };
  }

  /**
   * What delivery asks of a run, read at most once per GATE_TTL_MS and again for a newer generation. The jobs
   * that ask while a read is under way share it, unless theirs is a newer generation than the one remembered
   * (that read may have been taken before their resume or cancel): they read for themselves.
   */
  private async read(runId: string, generation = 0): Promise<RunRead> {
    const cached = this.gates.get(runId);
    if (cached && cached.generation >= generation && Date.now() - cached.at < GATE_TTL_MS) return cached;
    const known = cached?.generation ?? 0;
    const underWay = generation <= known ? this.reading.get(runId) : undefined;
    if (underWay) {
      const shared = await underWay;
      if (shared.generation >= generation) return shared;
    }
    const reading = this.readNow(runId);
    if (generation <= known) {
      this.reading.set(runId, reading);
      const landed = () => {
        if (this.reading.get(runId) === reading) this.reading.delete(runId);
      };
      reading.then(landed, landed);
    }
    return reading;
  }

  /** The run as stored now, remembered unless a read of a newer generation landed first. */
  private async readNow(runId: string): Promise<RunRead> {
    const run = await this.runs.findById(runId);
    // A run whose fan-out failed still delivers what it queued; only a cancel (or a deleted run) stops it.
    const gate: RunGate = !run || run.state === 'cancelled' ? 'cancelled' : run.state === 'paused' ? 'paused' : 'open';
    // A deleted run has no generation to come.
    const read = {
      gate,
      caps: run?.definition.frequencyCaps ?? [],
      sendRate: run?.definition.sendRate,
      generation: run?.generation ?? Number.POSITIVE_INFINITY,
      at: Date.now(),
    };
    if (this.gates.size > 10_000) this.gates.clear();
    // A read answered late (taken before a resume) does not replace one of a newer generation.
    const now = this.gates.get(runId);
    if (!now || now.generation <= read.generation) this.gates.set(runId, read);
    return read;
  }

  /**
   * A message its delivery refused because its user is being erased was written after the erasure removed the
   * user's messages, by a fan-out that stopped before its own check (ErasedDuringFanOut): it is taken back here,
   * with what else the run wrote for the user. A delivery run again after a crash here hears it settled again.
   */
  private async settled(notification: SettledNotification): Promise<void> {
    if (notification.state === 'suppressed' && notification.reason?.code === ERASED_REASON.code) {
      const run = await this.runs.findById(notification.runId);
      if (run) await this.erasures.takeBack(run, [notification.userId]);
    }
    this.scheduleCheck(notification.runId);
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
