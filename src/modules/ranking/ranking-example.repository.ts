import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Annotation, FATIGUE_HORIZON_DAYS, NotificationOutcome, outcomeLabel, TrainingExample } from './domain';
import { NotificationRankingView, RankingAnnotationRecord, RankingExampleRecord } from './ranking-example.schema';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An example as the ranker learns from it: features when sent, and the first open and click. */
interface SentExample {
  notificationId: string;
  userId: string;
  journeyName: string;
  sentAt: Date;
  features: Record<string, number>;
  openedAt?: Date;
  clickedAt?: Date;
}

/**
 * Whether a logged feature value can be learnt from: a journey with a malformed value (say, a NaN confidence)
 * was ranked last by its builds, and one such example would turn a retrain's weights and probabilities
 * into NaN, failing every retrain while it is within the lookback.
 */
const isFiniteNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/** The earlier of two optional times. */
const earlier = (a?: Date, b?: Date) => (a && b ? (a <= b ? a : b) : (a ?? b));

/**
 * The ranker's examples: every sent notification about a journey is one (it carries the features it was
 * ranked with, see {@link NotificationRankingView}); examples logged in a collection of their own by
 * earlier versions are still read. Outcomes attached by tracking, and human annotations.
 */
@Injectable()
export class RankingExampleRepository {
  constructor(
    @InjectModel(NotificationRankingView.name) private readonly carried: Model<NotificationRankingView>,
    @InjectModel(RankingExampleRecord.name) private readonly examples: Model<RankingExampleRecord>,
    @InjectModel(RankingAnnotationRecord.name) private readonly annotations: Model<RankingAnnotationRecord>,
  ) {}

  /**
   * Records the first open or click of a notification (the earliest time is kept), in the notification
   * when it carries its example, else in the example logged for it.
   */
  async recordOutcome(notificationId: string, kind: 'open' | 'click', at: Date): Promise<void> {
    const field = kind === 'open' ? 'openedAt' : 'clickedAt';
    const carried = await this.carried.collection.updateOne(
      { notificationId, ranking: { $exists: true } },
      { $min: { [`ranking.${field}`]: at } },
    );
    if (carried.matchedCount > 0) return;
    await this.examples.updateOne({ notificationId, [field]: { $exists: false } }, { $set: { [field]: at } });
  }

  /**
   * What each user did with the notifications about their journeys sent to them in the ranker's fatigue
   * horizon up to `now`: the history its fatigue features read (sent in the past week, ignored in a row, the
   * open rate), in one query for a chunk of users. Users with none are absent.
   */
  async findHistories(userIds: readonly string[], now: Date): Promise<Map<string, NotificationOutcome[]>> {
    const histories = new Map<string, NotificationOutcome[]>();
    if (userIds.length === 0) return histories;
    const since = new Date(now.getTime() - FATIGUE_HORIZON_DAYS * 86_400_000);
    const sent = await this.carried
      .find(
        { userId: { $in: [...userIds] }, sentAt: { $gte: since, $lte: now }, ranking: { $exists: true } },
        {
          _id: 0,
          userId: 1,
          sentAt: 1,
          'ranking.journeyId': 1,
          'ranking.journeyName': 1,
          'ranking.openedAt': 1,
          'ranking.clickedAt': 1,
        },
      )
      .lean<Array<Required<NotificationRankingView>>>();
    for (const { userId, sentAt, ranking } of sent) {
      const outcome: NotificationOutcome = {
        userId,
        journeyId: ranking.journeyId,
        journeyName: ranking.journeyName,
        sentAt,
        openedAt: ranking.openedAt ?? null,
        clickedAt: ranking.clickedAt ?? null,
      };
      const list = histories.get(userId);
      if (list) list.push(outcome);
      else histories.set(userId, [outcome]);
    }
    return histories;
  }

  /**
   * Labelled examples sent in [since, until): notifications younger than the attribution window are
   * left out, since their outcome is not known yet, and so are those with a feature that is not a finite
   * number. A notification with an example logged before it carried its own is one example, with the
   * earliest outcomes of both.
   */
  async findLabelled(since: Date, until: Date, attributionWindowHours: number): Promise<TrainingExample[]> {
    const sentAt = { $gte: since, $lt: new Date(until.getTime() - attributionWindowHours * 3_600_000) };
    const [carried, logged] = await Promise.all([
      this.carried
        .find({ sentAt, ranking: { $exists: true } }, { _id: 0, notificationId: 1, userId: 1, sentAt: 1, ranking: 1 })
        .lean<Array<Required<NotificationRankingView>>>(),
      this.examples.find({ sentAt }, { _id: 0 }).lean<RankingExampleRecord[]>(),
    ]);
    const byId = new Map<string, SentExample>();
    for (const { notificationId, userId, sentAt: at, ranking } of carried) {
      byId.set(notificationId, { notificationId, userId, ...ranking, sentAt: at });
    }
    for (const example of logged) {
      const known = byId.get(example.notificationId);
      byId.set(
        example.notificationId,
        known
          ? {
              ...example,
              openedAt: earlier(example.openedAt, known.openedAt),
              clickedAt: earlier(example.clickedAt, known.clickedAt),
            }
          : example,
      );
    }
    return [...byId.values()]
      .filter((d) => Object.values(d.features).every(isFiniteNumber))
      .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || compare(a.notificationId, b.notificationId))
      .map((d) => ({
        userId: d.userId,
        journeyName: d.journeyName,
        at: d.sentAt,
        features: d.features,
        label: outcomeLabel(d, attributionWindowHours),
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
