import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { join } from 'node:path';
import { Settings } from '../../../config/settings';
import { WorkerPool } from '../../../lib/concurrency/worker-pool';
import { BUILD_THREAD_LIMITS } from './build-thread-limits';
import { VersionedEmbedder } from '../platform-embedder.service';
import type { InferenceMessage } from './inference-thread';
import { inferUsers, InferenceUser, InferredUser } from './raw-histories';

/**
 * Model versions kept loaded in each thread while no batch needs more: a run's and the next one's, with room
 * for a straggler.
 */
const LOADED_VERSIONS = 3;

/**
 * Runs the CPU-bound part of journey builds (BSON decoding of the histories, keyword extraction, inference)
 * on worker threads, so a worker process's main thread keeps reading, committing and serving Bull while
 * users are inferred: a build uses a second core instead of waiting for the first. Histories travel as the
 * raw BSON the database returned, moved (not copied) to the thread; only the journeys come back.
 * `JOURNEYS_INFERENCE_THREADS=0` infers on the calling thread. Threads start at the first build (in the API
 * role, the first single-user rebuild), so a process that never builds starts none; a thread that dies is
 * replaced at the next batch.
 * Once the process stops (module destroyed), a batch still arriving is inferred on the calling thread.
 */
@Injectable()
export class JourneyInferenceService implements OnModuleDestroy {
  private readonly logger = new Logger(JourneyInferenceService.name);
  private readonly threads: number;
  private pool?: WorkerPool;
  /** Versions sent to the current pool's threads, oldest first. */
  private loaded = new Map<string, Promise<unknown>>();
  /** Each version's model as JSON, made once per process. */
  private readonly modelJson = new Map<string, string>();
  /** Batches sent or about to be sent per version: such a version stays loaded. */
  private readonly inFlight = new Map<string, number>();
  /** Set when the module is destroyed: threads started after it would outlive the process's shutdown. */
  private closed = false;

  constructor(config: ConfigService<Settings, true>) {
    this.threads = config.get('journeys', { infer: true }).inferenceThreads;
  }

  /**
   * Infers these users from `raw` (their stored events, BSON documents back to back in user then time
   * order), in the order given. `raw` is handed over: it is unusable by the caller afterwards.
   */
  async infer(
    raw: Uint8Array,
    users: readonly InferenceUser[],
    embedder: VersionedEmbedder,
    now: Date,
  ): Promise<InferredUser[]> {
    if (users.length === 0) return [];
    // After shutdown began, a late batch (a job finishing its shard) is inferred here: no new threads start.
    if (this.threads === 0 || this.closed) return inferUsers(raw, users, embedder.embedder, now);
    const { version } = embedder;
    this.inFlight.set(version, (this.inFlight.get(version) ?? 0) + 1);
    try {
      const pool = this.currentPool();
      await this.ensureLoaded(pool, embedder);
      // A buffer of its own, so that moving it to the thread detaches nothing else.
      const owned = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw : raw.slice();
      const buffer = owned.buffer as ArrayBuffer;
      const message: InferenceMessage = { kind: 'infer', version, now: now.getTime(), raw: buffer, users: [...users] };
      return await pool.run<InferredUser[]>(message, [buffer]);
    } finally {
      const left = this.inFlight.get(version)! - 1;
      if (left === 0) this.inFlight.delete(version);
      else this.inFlight.set(version, left);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
    this.pool = undefined;
  }

  private currentPool(): WorkerPool {
    if (this.pool?.failed) {
      this.logger.warn(`an inference thread failed (${this.pool.failed.message}): starting new threads`);
      void this.pool.close();
      this.pool = undefined;
    }
    if (!this.pool) {
      const script = join(__dirname, `inference-thread${__filename.slice(__filename.lastIndexOf('.'))}`);
      this.pool = new WorkerPool(script, this.threads, undefined, BUILD_THREAD_LIMITS);
      this.loaded = new Map();
    }
    return this.pool;
  }

  /** Sends a model version to every thread once, ahead of the batches that use it. */
  private ensureLoaded(pool: WorkerPool, embedder: VersionedEmbedder): Promise<unknown> {
    const { version } = embedder;
    let sent = this.loaded.get(version);
    if (!sent) {
      let json = this.modelJson.get(version);
      if (json === undefined) {
        json = JSON.stringify(embedder.model);
        this.modelJson.set(version, json);
        if (this.modelJson.size > LOADED_VERSIONS) this.modelJson.delete(this.modelJson.keys().next().value!);
      }
      // The oldest version no batch is waiting for is forgotten: a forget reaches a thread ahead of queued
      // batches, so one of a version still in use would fail them. With every version in use, none is.
      const idle = [...this.loaded.keys()].find((v) => !this.inFlight.has(v));
      if (this.loaded.size >= LOADED_VERSIONS && idle !== undefined) {
        this.loaded.delete(idle);
        void pool.broadcast({ kind: 'forget', version: idle } satisfies InferenceMessage).catch(() => undefined);
      }
      sent = pool.broadcast({ kind: 'model', version, json } satisfies InferenceMessage);
      // A failed send is retried by the next batch (with new threads if these died).
      sent.catch(() => this.loaded.get(version) === sent && this.loaded.delete(version));
      this.loaded.set(version, sent);
    }
    return sent;
  }
}
