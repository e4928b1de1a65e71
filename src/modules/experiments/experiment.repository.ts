import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '../../common/mongo/insert-once';
import type { AllocationPeriod, DefinitionRevision } from './domain';
import { ExperimentRecord } from './experiment.schema';

/** Registered experiments: their latest definition and allocation history. */
@Injectable()
export class ExperimentRepository {
  constructor(@InjectModel(ExperimentRecord.name) private readonly model: Model<ExperimentRecord>) {}

  async findById(experimentId: string): Promise<ExperimentRecord | undefined> {
    return (await this.model.findOne({ experimentId }, { _id: 0 }).lean<ExperimentRecord>()) ?? undefined;
  }

  async findAll(): Promise<ExperimentRecord[]> {
    return this.model.find({}, { _id: 0 }).sort({ experimentId: 1 }).lean<ExperimentRecord[]>();
  }

  /** Up to `limit` experiments with ids after `after`, in id order (a keyset page on the unique id index). */
  async findPage(after: string | undefined, limit: number): Promise<ExperimentRecord[]> {
    const filter = after === undefined ? {} : { experimentId: { $gt: after } };
    return this.model.find(filter, { _id: 0 }).sort({ experimentId: 1 }).limit(limit).lean<ExperimentRecord[]>();
  }

  /** Registers a new experiment; false when another writer registered it first. */
  async insert(record: ExperimentRecord): Promise<boolean> {
    return insertOnce(this.model, { experimentId: record.experimentId }, record);
  }

  /**
   * Replaces the definition only if it is still the one at `expectedHash` (two workers seeing a changed
   * campaign at once record one revision and one allocation change), adding it to the revisions as in force
   * from `updatedAt`, after `earlier` (the replaced definition of an experiment registered before revisions
   * were kept); false when it was not.
   */
  async replaceDefinition(
    experimentId: string,
    expectedHash: string,
    fields: Pick<ExperimentRecord, 'definition' | 'definitionHash' | 'updatedAt'>,
    allocation?: AllocationPeriod,
    earlier?: DefinitionRevision,
  ): Promise<boolean> {
    const revision: DefinitionRevision = {
      from: fields.updatedAt,
      definitionHash: fields.definitionHash,
      definition: fields.definition,
    };
    const result = await this.model.updateOne(
      { experimentId, definitionHash: expectedHash },
      {
        $set: fields,
        $push: {
          revisions: { $each: earlier ? [earlier, revision] : [revision] },
          ...(allocation && { allocations: allocation }),
        },
      },
    );
    return result.modifiedCount === 1;
  }
}
