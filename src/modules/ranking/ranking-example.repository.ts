import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertManyReportingDuplicates } from '../../common/mongo/insert-many';
import { Annotation, outcomeLabel, TrainingExample } from './domain';
import { RankingAnnotationRecord, RankingExampleRecord } from './ranking-example.schema';

export interface LoggedExample {
  notificationId: string;
  userId: string;
  journeyId: string;
  journeyName: string;
  sentAt: Date;
  features: Record<string, number>;
}

/** Examples logged at send time, outcomes attached by tracking, and human annotations. */
@Injectable()
export class RankingExampleRepository {
  constructor(
    @InjectModel(RankingExampleRecord.name) private readonly examples: Model<RankingExampleRecord>,
    @InjectModel(RankingAnnotationRecord.name) private readonly annotations: Model<RankingAnnotationRecord>,
  ) {}

  /** Logs the features of a sent notification; logging the same notification again changes nothing. */
  async logSent(example: LoggedExample): Promise<void> {
    await this.examples.updateOne(
      { notificationId: example.notificationId },
      { $setOnInsert: example },
      { upsert: true },
    );
  }

  /**
   * {@link logSent} for many notifications, in one unordered insert: an example logged before keeps its
   * record (the unique index refuses the copy), as the upsert would.
   */
  async logSentMany(examples: readonly LoggedExample[]): Promise<void> {
    await insertManyReportingDuplicates(this.examples, examples);
  }

  /** Records the first open or click of a notification; later ones keep the first time. */
  async recordOutcome(notificationId: string, kind: 'open' | 'click', at: Date): Promise<void> {
    const field = kind === 'open' ? 'openedAt' : 'clickedAt';
    await this.examples.updateOne({ notificationId, [field]: { $exists: false } }, { $set: { [field]: at } });
  }

  /**
   * Labelled examples sent in [since, until): notifications younger than the attribution window are
   * left out, since their outcome is not known yet.
   */
  async findLabelled(since: Date, until: Date, attributionWindowHours: number): Promise<TrainingExample[]> {
    const settled = new Date(until.getTime() - attributionWindowHours * 3_600_000);
    const docs = await this.examples
      .find({ sentAt: { $gte: since, $lt: settled } })
      .sort({ sentAt: 1, notificationId: 1 })
      .lean<RankingExampleRecord[]>();
    return docs.map((d) => ({
      userId: d.userId,
      journeyName: d.journeyName,
      at: d.sentAt,
      features: d.features,
      label: outcomeLabel({ ...d, sentAt: d.sentAt }, attributionWindowHours),
    }));
  }

  async upsertAnnotations(annotations: readonly Annotation[]): Promise<number> {
    if (annotations.length === 0) return 0;
    const result = await this.annotations.bulkWrite(
      annotations.map((a) => ({
        updateOne: {
          filter: { userId: a.userId, journeyName: a.journeyName },
          update: { $set: { label: a.label } },
          upsert: true,
        },
      })),
    );
    return result.upsertedCount + result.modifiedCount;
  }

  async findAnnotations(): Promise<Annotation[]> {
    const docs = await this.annotations.find().lean<RankingAnnotationRecord[]>();
    return docs.map((d) => ({ userId: d.userId, journeyName: d.journeyName, label: d.label === 1 ? 1 : 0 }));
  }

  async deleteByUser(userId: string): Promise<number> {
    const [examples, annotations] = await Promise.all([
      this.examples.deleteMany({ userId }),
      this.annotations.deleteMany({ userId }),
    ]);
    return examples.deletedCount + annotations.deletedCount;
  }
}
