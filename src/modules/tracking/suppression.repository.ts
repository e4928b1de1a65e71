import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
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

  async find(addressKey: string): Promise<SuppressionRecord | null> {
    return this.model.findOne({ addressKey }).lean<SuppressionRecord>();
  }

  async remove(addressKey: string): Promise<boolean> {
    return (await this.model.deleteOne({ addressKey })).deletedCount > 0;
  }
}
