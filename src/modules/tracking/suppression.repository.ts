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

  /** The earliest listing among these keys (the spellings an address may be listed under), or null. */
  async findFirst(addressKeys: readonly string[]): Promise<SuppressionRecord | null> {
    return this.model
      .findOne({ addressKey: { $in: addressKeys } })
      .sort({ at: 1 })
      .lean<SuppressionRecord>();
  }

  /** The listed ones among these address keys, with their reasons and times, in one read. */
  async findListed(addressKeys: readonly string[]): Promise<Map<string, Pick<SuppressionRecord, 'reason' | 'at'>>> {
    const docs = await this.model
      .find({ addressKey: { $in: addressKeys } }, { _id: 0, addressKey: 1, reason: 1, at: 1 })
      .lean<Array<Pick<SuppressionRecord, 'addressKey' | 'reason' | 'at'>>>();
    return new Map(docs.map(({ addressKey, reason, at }) => [addressKey, { reason, at }]));
  }

  /** Removes every listing under these keys; true when there was one. */
  async remove(addressKeys: readonly string[]): Promise<boolean> {
    return (await this.model.deleteMany({ addressKey: { $in: addressKeys } })).deletedCount > 0;
  }
}
