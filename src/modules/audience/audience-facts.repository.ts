import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, QueryFilter, Model } from 'mongoose';
import { AudienceFactsRecord } from './audience-facts.schema';
import { JourneyFact, LOCALE_TAGS_RULE, localeTags, NO_LOCALE, STAGES, withheldPattern } from './domain/audience-facts';
import { AudienceQuery, JourneyCondition } from './domain/audience-query';
import { BreakdownRow } from './domain/audience-breakdown';

/** The profile fields audience facts keep. */
export interface ProfileFacts {
  userId: string;
  email?: string;
  pushTokens: readonly unknown[];
  locale?: string;
  attributes: Record<string, unknown>;
  consent: { email: boolean; push: boolean };
}

function toFilter(query: AudienceQuery): QueryFilter<AudienceFactsRecord> {
  const filter: Record<string, unknown> = {};
  if (query.consentFor) {
    filter[`consent.${query.consentFor}`] = true;
    if (!query.consentOnly) filter[`reachable.${query.consentFor}`] = true;
  }
  if (query.lastActiveSince) filter.lastActiveAt = { $gte: query.lastActiveSince };
  if (query.notUnsubscribedFrom) filter.unsubscribed = { $nin: query.notUnsubscribedFrom };
  if (query.locales) filter.localeTags = { $in: query.locales };
  for (const [name, values] of Object.entries(query.attributes ?? {})) {
    filter[`attributes.${name}`] = values.length === 1 ? values[0] : { $in: values };
  }
  const journey = query.journey;
  if (journey) {
    filter.journeyTags = { $in: journey.tags };
    const stage = stageCondition(journey);
    const withheld = withheldPattern(journey.withheld);
    if (journey.include || journey.exclude || stage || withheld) {
      // Terms and the other journey rules must hold for the same journey: only $elemMatch says that.
      const terms: Record<string, unknown> = {};
      if (journey.include) terms.$in = journey.include;
      if (journey.exclude || withheld) terms.$nin = [...(journey.exclude ?? []), ...(withheld ? [withheld] : [])];
      filter.journeys = {
        $elemMatch: {
          ...stage,
          ...(journey.types && { type: { $in: journey.types } }),
          ...(journey.minConfidence !== undefined && { confidence: { $gte: journey.minConfidence } }),
          ...(!journey.allowSensitive && { sensitive: false }),
          ...(Object.keys(terms).length > 0 && { terms }),
        },
      };
      if (journey.include) filter['journeys.terms'] = { $in: journey.include };
    }
  }
  return filter as QueryFilter<AudienceFactsRecord>;
}

/**
 * A journey's stage at the query's instant: an ongoing journey whose `endsAt` has passed has ended (facts
 * written before `endsAt` existed keep their stored stage). Undefined when the rules leave the stage open.
 */
function stageCondition(journey: JourneyCondition): Record<string, unknown> | undefined {
  const stages = new Set(journey.stages ?? STAGES);
  if (stages.size === STAGES.length) return undefined;
  return stages.has('ongoing')
    ? { stage: 'ongoing', endsAt: { $not: { $lte: journey.at } } }
    : { $or: [{ stage: 'ended' }, { endsAt: { $lte: journey.at } }] };
}

/** Restricts a read to the users whose random `sampleKey` is below a bound: a uniform sample of that share. */
export interface SampleScope {
  sampleKeyBelow?: number;
}

const SAMPLE_INDEX = { sampleKey: 1 } as const;

const sampleRange = (scope: SampleScope) =>
  scope.sampleKeyBelow === undefined ? {} : { sampleKey: { $lt: scope.sampleKeyBelow } };

/** The only reader and writer of audience facts. */
@Injectable()
export class AudienceFactsRepository {
  private insertDefaults?: Record<string, unknown>;

  constructor(@InjectModel(AudienceFactsRecord.name) private readonly model: Model<AudienceFactsRecord>) {}

  /**
   * Brings the locale tags of facts stored under an earlier tagging rule up to the current one, so a campaign's
   * `locales` reach users whose profile was last saved before (a rule for `zh-Hant`, users tagged `zh-tw`, `zh`).
   * A user's own locale is their first tag: for each stored tag, the users whose first tag it is and whose tags
   * are not what it answers to now are retagged. Runs once per rule (`audience_meta` records the rule done):
   * one read of the distinct tags (indexed), then an indexed update per tag. Returns the users retagged.
   */
  async refreshLocaleTags(): Promise<number> {
    const meta = this.model.db.collection<{ _id: string; rule: number }>('audience_meta');
    if ((await meta.findOne({ _id: 'localeTags' }))?.rule === LOCALE_TAGS_RULE) return 0;
    let retagged = 0;
    for (const tag of (await this.model.distinct('localeTags')) as string[]) {
      if (tag === NO_LOCALE) continue;
      const now = localeTags(tag);
      const result = await this.model.updateMany(
        { $and: [{ localeTags: tag }, { 'localeTags.0': tag }], $nor: [{ localeTags: now }] },
        { $set: { localeTags: now } },
      );
      retagged += result.modifiedCount;
    }
    await meta.updateOne({ _id: 'localeTags' }, { $set: { rule: LOCALE_TAGS_RULE } }, { upsert: true });
    return retagged;
  }

  async recordProfile(profile: ProfileFacts): Promise<void> {
    await this.model.updateOne(
      { userId: profile.userId },
      {
        $set: {
          consent: { email: profile.consent.email, push: profile.consent.push },
          reachable: { email: Boolean(profile.email), push: profile.pushTokens.length > 0 },
          locale: profile.locale ?? null,
          localeTags: localeTags(profile.locale),
          attributes: profile.attributes,
        },
        $setOnInsert: { sampleKey: Math.random() },
      },
      { upsert: true },
    );
  }

  /**
   * Keeps a user's unsubscribes beside their other facts: `left` a category (`*`: everything) or came back to it.
   * A user without facts yet who leaves one gets facts holding it (no consent, as events give them), so a profile
   * written after the unsubscribe keeps it: the profile's facts leave `unsubscribed` as they find it.
   */
  async recordUnsubscribe(userId: string, category: string, left: boolean): Promise<void> {
    if (!left) {
      await this.model.updateOne({ userId }, { $pull: { unsubscribed: category } });
      return;
    }
    await this.model.updateOne(
      { userId },
      { $addToSet: { unsubscribed: category }, $setOnInsert: { sampleKey: Math.random() } },
      { upsert: true },
    );
  }

  /** Moves each user's last activity forward (never back), in one round trip per batch. */
  async recordActivity(lastActive: ReadonlyMap<string, Date>): Promise<void> {
    if (lastActive.size === 0) return;
    const ops: AnyBulkWriteOperation<AudienceFactsRecord>[] = [...lastActive].map(([userId, at]) => ({
      updateOne: {
        filter: { userId },
        update: { $max: { lastActiveAt: at }, $setOnInsert: { sampleKey: Math.random() } },
        upsert: true,
      },
    }));
    await this.model.bulkWrite(ops, { ordered: false });
  }

  async recordJourneys(
    userId: string,
    facts: { journeys: JourneyFact[]; journeyTags: string[] },
    builtAt: Date,
  ): Promise<void> {
    await this.recordJourneysMany([{ userId, facts }], builtAt);
  }

  /** {@link recordJourneys} for many users in one round trip. */
  async recordJourneysMany(
    users: ReadonlyArray<{ userId: string; facts: { journeys: JourneyFact[]; journeyTags: string[] } }>,
    builtAt: Date,
  ): Promise<void> {
    if (users.length === 0) return;
    // Written through the driver: after every journey build, mongoose's casting of these plain values cost
    // more than the write itself. A user without facts yet gets the schema's defaults, as mongoose would.
    const defaults = this.defaultsOnInsert();
    const ops = users.map(({ userId, facts }) => ({
      updateOne: {
        filter: { userId },
        update: {
          $set: { journeys: facts.journeys, journeyTags: facts.journeyTags, journeysBuiltAt: builtAt },
          $setOnInsert: { ...defaults, sampleKey: Math.random() },
        },
        upsert: true,
      },
    }));
    await this.model.collection.bulkWrite(ops, { ordered: false });
  }

  /** The schema defaults of a new document, except the fields a journeys write sets itself. */
  private defaultsOnInsert(): Record<string, unknown> {
    if (!this.insertDefaults) {
      const {
        _id,
        journeys: _journeys,
        journeyTags: _tags,
        ...rest
      } = new this.model({}).toObject({ minimize: false }) as unknown as Record<string, unknown>;
      this.insertDefaults = rest;
    }
    return this.insertDefaults;
  }

  async findByUserId(userId: string): Promise<AudienceFactsRecord | undefined> {
    return (await this.model.findOne({ userId }).lean<AudienceFactsRecord>()) ?? undefined;
  }

  /** When each of these users was last active (users without facts or activity are absent). */
  async findLastActive(userIds: readonly string[]): Promise<Map<string, Date>> {
    const docs = await this.model
      .find({ userId: { $in: userIds } }, { _id: 0, userId: 1, lastActiveAt: 1 })
      .lean<Array<Pick<AudienceFactsRecord, 'userId' | 'lastActiveAt'>>>();
    return new Map(docs.flatMap((d) => (d.lastActiveAt ? [[d.userId, d.lastActiveAt]] : [])));
  }

  /** Users meeting the query; within `scope`, only those of the sample below `sampleKeyBelow`. */
  async count(query: AudienceQuery, scope: SampleScope = {}): Promise<number> {
    const counted = this.model.countDocuments({ ...toFilter(query), ...sampleRange(scope) });
    return scope.sampleKeyBelow === undefined ? counted : counted.hint(SAMPLE_INDEX);
  }

  /** Every stored user, from the collection's metadata (no read): what decides whether an estimate samples. */
  async population(): Promise<number> {
    return this.model.estimatedDocumentCount();
  }

  /** The sample below `sampleKeyBelow`: how many users it holds, whatever they match. */
  async sampleSize(sampleKeyBelow: number): Promise<number> {
    return this.model.countDocuments({ sampleKey: { $lt: sampleKeyBelow } }).hint(SAMPLE_INDEX);
  }

  /**
   * Users meeting the query (which should leave consent and unsubscribes out), grouped in one pass by consent
   * and address on the channel, by whether they left any of the `categories`, and by stored locale (null for
   * users without one).
   */
  async breakdown(
    query: AudienceQuery,
    channel: 'push' | 'email',
    categories: readonly string[],
    scope: SampleScope = {},
  ): Promise<BreakdownRow[]> {
    const pipeline = this.model.aggregate<{
      _id: { consent?: unknown; reachable?: unknown; locale?: string; unsubscribed?: unknown };
      n: number;
    }>([
      { $match: { ...toFilter(query), ...sampleRange(scope) } },
      {
        $group: {
          _id: {
            consent: `$consent.${channel}`,
            reachable: `$reachable.${channel}`,
            locale: '$locale',
            unsubscribed: {
              $gt: [{ $size: { $setIntersection: [{ $ifNull: ['$unsubscribed', []] }, categories] } }, 0],
            },
          },
          n: { $sum: 1 },
        },
      },
    ]);
    if (scope.sampleKeyBelow !== undefined) pipeline.hint(SAMPLE_INDEX);
    const rows = await pipeline;
    return rows.map((r) => ({
      consented: r._id.consent === true && (query.consentOnly === true || r._id.reachable === true),
      unsubscribed: r._id.unsubscribed === true,
      locale: r._id.locale ?? null,
      users: r.n,
    }));
  }

  /**
   * Up to `size` distinct random users of the audience: those at or after a random point of the
   * random `sampleKey` order, wrapping around, so the read is an index walk rather than a shuffle.
   */
  async sampleUserIds(query: AudienceQuery, size: number, random = Math.random()): Promise<string[]> {
    const filter = toFilter(query);
    const read = (range: Record<string, number>, limit: number) =>
      this.model
        .find({ ...filter, sampleKey: range }, { _id: 0, userId: 1 })
        .sort({ sampleKey: 1 })
        .limit(limit)
        .lean<Array<{ userId: string }>>();
    const after = await read({ $gte: random }, size);
    const before = after.length < size ? await read({ $lt: random }, size - after.length) : [];
    return [...after, ...before].map((r) => r.userId);
  }

  /**
   * The next `limit` users of the audience after `afterUserId`, in user id order: a campaign run reads
   * its audience in such batches, walking the user id index, and resumes after the last one it stored.
   */
  async findUserIdsAfter(query: AudienceQuery, afterUserId: string | undefined, limit: number): Promise<string[]> {
    const filter = toFilter(query) as Record<string, unknown>;
    if (afterUserId !== undefined) filter.userId = { $gt: afterUserId };
    const docs = await this.model
      .find(filter, { _id: 0, userId: 1 })
      .sort({ userId: 1 })
      .hint({ userId: 1 })
      .limit(limit)
      .lean<Array<{ userId: string }>>();
    return docs.map((d) => d.userId);
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteOne({ userId })).deletedCount;
  }
}
