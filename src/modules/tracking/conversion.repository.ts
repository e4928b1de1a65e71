import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '../../common/mongo/insert-once';
import { ConversionRecord } from './conversion.schema';

@Injectable()
export class ConversionRepository {
  constructor(@InjectModel(ConversionRecord.name) private readonly model: Model<ConversionRecord>) {}

  /** Stores the conversion unless its id is known; true when it was stored. */
  add(record: ConversionRecord): Promise<boolean> {
    return insertOnce(this.model, { conversionId: record.conversionId }, record);
  }

  /** Marks the conversion's event and outcomes written; false when it is not stored (its user was erased). */
  async markSettled(conversionId: string): Promise<boolean> {
    return (await this.model.updateOne({ conversionId }, { $unset: { pending: 1 } })).matchedCount > 0;
  }

  /** Up to `limit` conversions received by `receivedBy` and still pending, oldest first. */
  async findPending(receivedBy: Date, limit: number): Promise<ConversionRecord[]> {
    return this.model
      .find({ pending: true, receivedAt: { $lte: receivedBy } }, { _id: 0 })
      .sort({ receivedAt: 1 })
      .limit(limit)
      .lean<ConversionRecord[]>();
  }

  async find(conversionId: string): Promise<ConversionRecord | null> {
    return this.model.findOne({ conversionId }).lean<ConversionRecord>();
  }

  /** The user's conversions attributed to the notification (by the userId index; a rare write). */
  async deleteAttributedTo(userId: string, notificationId: string): Promise<number> {
    return (await this.model.deleteMany({ userId, notificationId })).deletedCount;
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
