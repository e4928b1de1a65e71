import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertManyReportingDuplicates } from '../../common/mongo/insert-many';
import { insertOnce } from '../../common/mongo/insert-once';
import { SuppressionRecord } from './preferences.schema';

/** The suppression list, keyed by `addressKey` (a hash): the first reason recorded stays. */
@Injectable()
export class SuppressionRepository {
  constructor(@InjectModel(SuppressionRecord.name) private readonly model: Model<SuppressionRecord>) {}

  /** Adds the address unless it is listed; true when it is new. */
  add(record: SuppressionRecord): Promise<boolean> {
    return insertOnce(this.model, { addressKey: record.addressKey }, record);
  }

  /** Adds the addresses not listed yet in one unordered write (a listed one keeps its reason); how many were new. */
  async addMany(records: readonly SuppressionRecord[]): Promise<number> {
    // An address given twice keeps its first reason, as a listed one does.
    const first = new Map<string, SuppressionRecord>();
    for (const record of records) if (!first.has(record.addressKey)) first.set(record.addressKey, record);
    const unique = [...first.values()];
    return unique.length - (await insertManyReportingDuplicates(this.model, unique)).size;
  }

  async find(addressKey: string): Promise<SuppressionRecord | null> {
    return this.model.findOne({ addressKey }).lean<SuppressionRecord>();
  }

  /** The listed ones among these address keys, with their reasons, in one read. */
  async findReasons(addressKeys: readonly string[]): Promise<Map<string, string>> {
    const docs = await this.model
      .find({ addressKey: { $in: addressKeys } }, { _id: 0, addressKey: 1, reason: 1 })
      .lean<Array<Pick<SuppressionRecord, 'addressKey' | 'reason'>>>();
    return new Map(docs.map((d) => [d.addressKey, d.reason]));
  }

  async remove(addressKey: string): Promise<boolean> {
    return (await this.model.deleteOne({ addressKey })).deletedCount > 0;
  }
}
