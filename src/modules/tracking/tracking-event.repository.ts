import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '../../common/mongo/insert-once';
import { TrackingEventRecord } from './tracking-event.schema';

/** The raw engagement log: appended to, read per notification, erased per user. */
@Injectable()
export class TrackingEventRepository {
  constructor(@InjectModel(TrackingEventRecord.name) private readonly model: Model<TrackingEventRecord>) {}

  /** Appends an event; a conversion's event only once, however often its report is finished. */
  async append(event: TrackingEventRecord): Promise<void> {
    if (event.conversionId === undefined) await this.model.collection.insertOne({ ...event });
    else await insertOnce(this.model, { conversionId: event.conversionId }, event);
  }

  /** A notification's events, oldest first (insertion order breaks ties). */
  async findByNotification(notificationId: string): Promise<TrackingEventRecord[]> {
    return this.model.find({ notificationId }).sort({ at: 1, _id: 1 }).lean<TrackingEventRecord[]>();
  }

  async deleteByNotification(notificationId: string): Promise<number> {
    return (await this.model.deleteMany({ notificationId })).deletedCount;
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.model.deleteMany({ userId })).deletedCount;
  }
}
