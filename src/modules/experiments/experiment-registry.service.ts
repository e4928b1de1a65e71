import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { CampaignDefinition } from '../campaigns/domain/campaign-definition';
import {
  Assignment,
  AssignOptions,
  ExperimentChannel,
  ExperimentDefinition,
  allocationOf,
  assignmentDesign,
  createAssigner,
  definitionFromCampaign,
  splitKey,
  splitOf,
  utcDay,
} from './domain';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentRecord } from './experiment.schema';

/** A campaign's experiment as this process uses it: the definition, its hash, its split and its prepared assigner. */
export interface PreparedExperiment {
  definition: ExperimentDefinition;
  hash: string;
  /** The `splitKey` of its weights and holdout share, recorded with each user drawn by them. */
  split: string;
  assign(userId: string, options?: AssignOptions): Assignment;
}

/** Campaign definitions seen by this process, by content; a handful per campaign over a process's life. */
const MAX_PREPARED = 256;

/**
 * Turns campaigns into experiments and registers each experiment (and each change of its definition)
 * once per process: assigning a user costs no parsing and no extra write. Weight and holdout changes
 * are recorded as allocation periods for the SRM check.
 */
@Injectable()
export class ExperimentRegistry {
  private readonly logger = new Logger(ExperimentRegistry.name);
  private readonly prepared = new Map<string, PreparedExperiment>();
  private readonly registered = new Map<string, Promise<void>>();

  constructor(private readonly experiments: ExperimentRepository) {}

  /** The experiment of a campaign that declares one. */
  prepare(campaign: CampaignDefinition & { experiment: NonNullable<CampaignDefinition['experiment']> }) {
    const key = JSON.stringify([campaign.id, campaign.name, campaign.experiment]);
    let found = this.prepared.get(key);
    if (!found) {
      const definition = definitionFromCampaign(campaign);
      const hash = createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 20);
      const split = splitKey(allocationOf(definition, ''));
      found = { definition, hash, split, assign: createAssigner(assignmentDesign(definition)) };
      if (this.prepared.size >= MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value!);
      this.prepared.set(key, found);
    }
    return found;
  }

  /** Makes sure the experiment is stored with this definition; once per definition per process. */
  ensureRegistered(experiment: PreparedExperiment, channel: ExperimentChannel, now: Date): Promise<void> {
    const key = `${experiment.definition.id}:${experiment.hash}`;
    let done = this.registered.get(key);
    if (!done) {
      done = this.register(experiment, channel, now);
      this.registered.set(key, done);
      // A failed registration is retried by the next assignment instead of failing every one after it.
      done.catch(() => this.registered.delete(key));
    }
    return done;
  }

  private async register({ definition, hash }: PreparedExperiment, channel: ExperimentChannel, now: Date) {
    const allocation = allocationOf(definition, utcDay(now));
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.experiments.findById(definition.id);
      if (!existing) {
        const record: ExperimentRecord = {
          experimentId: definition.id,
          campaignId: definition.campaignId ?? definition.id,
          channel,
          definition,
          definitionHash: hash,
          allocations: [allocation],
          revisions: [{ from: now, definitionHash: hash, definition }],
          createdAt: now,
          updatedAt: now,
        };
        if (await this.experiments.insert(record)) return this.logger.log(`experiment ${definition.id} registered`);
        continue;
      }
      const campaignId = definition.campaignId ?? definition.id;
      if (existing.campaignId !== campaignId) {
        // Its assignments and counts are the other campaign's: counting this one's users there would mix them.
        throw new Error(
          `experiment ${definition.id} belongs to campaign ${existing.campaignId}; campaign ${campaignId} must give its experiment another id or version`,
        );
      }
      if (existing.definitionHash === hash) return;
      const last = existing.allocations[existing.allocations.length - 1];
      const changed = !last || splitOf(last) !== splitOf(allocation);
      const fields = { definition, definitionHash: hash, updatedAt: now };
      if (
        await this.experiments.replaceDefinition(
          definition.id,
          existing.definitionHash,
          fields,
          changed ? allocation : undefined,
          existing.revisions
            ? undefined
            : { from: existing.createdAt, definitionHash: existing.definitionHash, definition: existing.definition },
        )
      ) {
        this.logger.log(`experiment ${definition.id} definition changed${changed ? ' (new allocation)' : ''}`);
        return;
      }
    }
    throw new Error(`experiment ${definition.id}: its definition kept changing under registration`);
  }
}
