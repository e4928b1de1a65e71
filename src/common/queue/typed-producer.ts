import { Job, JobOptions, Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { DependencyUnavailableError } from '../errors/dependency-unavailable.error';
import { REDIS_RETRY_AFTER_SECONDS, RedisAvailability } from '../redis/redis-availability';

/**
 * Base of every module's producer: `Jobs` maps job names to payload types, and the job id is always
 * derived from a business key so enqueuing the same work twice is a no-op.
 *
 *   type JourneyJobs = { 'journeys.build-for-user': { userId: string } };
 *   class JourneysQueue extends TypedProducer<JourneyJobs> {
 *     constructor(@InjectQueue(JOURNEYS_QUEUE) queue: Queue) { super(queue); }
 *     enqueueBuild(userId: string) { return this.add('journeys.build-for-user', { userId }, `user:${userId}`); }
 *   }
 */
export abstract class TypedProducer<Jobs extends Record<string, object>> {
  private readonly availability: RedisAvailability;

  protected constructor(protected readonly queue: Queue) {
    this.availability = new RedisAvailability(queue.client);
  }

  protected async add<Name extends keyof Jobs & string>(
    name: Name,
    payload: Jobs[Name],
    jobId: string,
    options: Omit<JobOptions, 'jobId'> = {},
  ): Promise<string> {
    // Bull would wait for Redis to come back; a request that enqueues work answers 503 at once instead.
    if (!this.availability.available) throw new DependencyUnavailableError('redis', REDIS_RETRY_AFTER_SECONDS);
    const job = await this.queue.add(name, payload, { ...options, jobId: `${name}:${jobId}` });
    return String(job.id);
  }

  /**
   * `jobId`, or an id of its own beside it (`<jobId>:<tag>-<uuid>`) when a job that finished (completed or
   * failed, kept until trimmed) holds it: Bull drops an add under the id of a job it still keeps, so work that
   * must run again after its job ended would otherwise be lost. While the job waits or runs, `jobId` (a no-op add).
   */
  protected async idPastFinished<Name extends keyof Jobs & string>(name: Name, jobId: string, tag: string) {
    return (await this.finishedJob(name, jobId)) ? `${jobId}:${tag}-${randomUUID()}` : jobId;
  }

  /**
   * Adds under `jobId` as `add` does, one job however many ask while it waits or runs; a job that finished
   * (completed or failed, kept until trimmed) under that id is removed first, as Bull would drop the add.
   */
  protected async addPastFinished<Name extends keyof Jobs & string>(
    name: Name,
    payload: Jobs[Name],
    jobId: string,
    options: Omit<JobOptions, 'jobId'> = {},
  ): Promise<string> {
    // Refused when another request removed it first, or its replacement already runs: the add settles it.
    await (await this.finishedJob(name, jobId))?.remove().catch(() => undefined);
    return this.add(name, payload, jobId, options);
  }

  /** The job Bull keeps under `jobId` when it finished (completed or failed), or undefined. */
  private async finishedJob(name: string, jobId: string): Promise<Job | undefined> {
    const job = await this.queue.getJob(`${name}:${jobId}`);
    if (!job) return undefined;
    const [completed, failed] = await Promise.all([job.isCompleted(), job.isFailed()]);
    return completed || failed ? job : undefined;
  }

  /** Adds many jobs of one name in one round trip; as with `add`, a job id already queued is a no-op. */
  protected async addBulk<Name extends keyof Jobs & string>(
    name: Name,
    jobs: ReadonlyArray<{ payload: Jobs[Name]; jobId: string; options?: Omit<JobOptions, 'jobId'> }>,
  ): Promise<void> {
    if (jobs.length === 0) return;
    if (!this.availability.available) throw new DependencyUnavailableError('redis', REDIS_RETRY_AFTER_SECONDS);
    await this.queue.addBulk(
      jobs.map((job) => ({ name, data: job.payload, opts: { ...job.options, jobId: `${name}:${job.jobId}` } })),
    );
  }

  /**
   * Registers a repeatable job under a fixed id: every scheduler replica registers the same repeat key, so
   * Redis holds one schedule. A schedule of the same job with another pattern (a config change) is removed.
   */
  protected async scheduleRepeatable<Name extends keyof Jobs & string>(
    name: Name,
    payload: Jobs[Name],
    cron: string,
  ): Promise<void> {
    for (const existing of await this.queue.getRepeatableJobs()) {
      if (existing.name === name && existing.cron !== cron) await this.queue.removeRepeatableByKey(existing.key);
    }
    await this.queue.add(name, payload, { jobId: name, repeat: { cron }, removeOnComplete: 100, removeOnFail: 100 });
  }

  /**
   * Registers one of many schedules of a job under `key` (say, a campaign id), in a time zone: a schedule
   * of the same key with another pattern or zone is replaced; other keys' schedules stay.
   */
  protected async scheduleKeyedRepeatable<Name extends keyof Jobs & string>(
    name: Name,
    payload: Jobs[Name],
    key: string,
    repeat: { cron: string; tz: string },
  ): Promise<void> {
    for (const existing of await this.queue.getRepeatableJobs()) {
      if (
        existing.name === name &&
        existing.id === key &&
        (existing.cron !== repeat.cron || existing.tz !== repeat.tz)
      ) {
        await this.queue.removeRepeatableByKey(existing.key);
      }
    }
    await this.queue.add(name, payload, { jobId: key, repeat, removeOnComplete: 100, removeOnFail: 100 });
  }

  /** The keyed schedules of one job: key (`id`), pattern, zone and Bull's repeat key (for removal). */
  protected async repeatables(
    name: keyof Jobs & string,
  ): Promise<Array<{ id: string; cron: string; tz?: string; key: string }>> {
    return (await this.queue.getRepeatableJobs())
      .filter((job) => job.name === name)
      .map((job) => ({ id: job.id ?? '', cron: job.cron, tz: job.tz ?? undefined, key: job.key }));
  }

  protected removeRepeatable(key: string): Promise<void> {
    return this.queue.removeRepeatableByKey(key);
  }

  /** The repeatable jobs registered on this queue, by job name and cron pattern. */
  async listSchedules(): Promise<Array<{ name: string; cron: string }>> {
    return (await this.queue.getRepeatableJobs()).map((job) => ({ name: job.name, cron: job.cron }));
  }
}
