import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { UserProfile } from './domain/user-profile';
import { StoredPushToken, UserRecord } from './user.schema';

export type ProfileFields = Omit<UserProfile, 'userId' | 'createdAt' | 'updatedAt'>;

function toUser(doc: UserRecord): UserProfile {
  return {
    userId: doc.userId,
    ...(doc.email != null && { email: doc.email }),
    pushTokens: (doc.pushTokens ?? []).map(({ platform, token }) => ({ platform, token })),
    ...(doc.locale != null && { locale: doc.locale }),
    ...(doc.timeZone != null && { timeZone: doc.timeZone }),
    // Null prototype: an attribute named like an Object.prototype member is plain data.
    attributes: Object.assign(Object.create(null) as UserProfile['attributes'], doc.attributes),
    consent: { email: doc.consent?.email === true, push: doc.consent?.push === true },
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

@Injectable()
export class UserRepository {
  constructor(@InjectModel(UserRecord.name) private readonly model: Model<UserRecord>) {}

  /**
   * Replaces the profile (fields left out are cleared); says whether the user is new, and the time zone the
   * profile had before (undefined: none, or no profile).
   */
  async upsert(
    userId: string,
    fields: ProfileFields,
  ): Promise<{ user: UserProfile; created: boolean; previousTimeZone?: string }> {
    // Omitted optional fields are unset explicitly: a path may not appear in both $set and $unset.
    const set = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    // Each token the update lists is registered as of now, one it already had included (see removePushToken).
    const registeredAt = new Date();
    set.pushTokens = fields.pushTokens.map((t): StoredPushToken => ({ ...t, registeredAt }));
    const cleared = (['email', 'locale', 'timeZone'] as const).filter((key) => fields[key] === undefined);
    const before = await this.model
      .findOneAndUpdate(
        { userId },
        { $set: set, ...(cleared.length > 0 && { $unset: Object.fromEntries(cleared.map((k) => [k, 1])) }) },
        { upsert: true, returnDocument: 'before', projection: { _id: 0, timeZone: 1 } },
      )
      .lean<Pick<UserRecord, 'timeZone'>>();
    const user = await this.findByUserId(userId);
    if (!user) throw new Error(`user ${userId} vanished after upsert`);
    return { user, created: before === null, ...(before?.timeZone != null && { previousTimeZone: before.timeZone }) };
  }

  async findByUserId(userId: string): Promise<UserProfile | undefined> {
    const doc = await this.model.findOne({ userId }).lean<UserRecord>();
    return doc ? toUser(doc) : undefined;
  }

  /** The stored profile, and whether it is being erased (see markErasing), in one read. */
  async findWithErasure(userId: string): Promise<{ user: UserProfile; erasing: boolean } | undefined> {
    const doc = await this.model.findOne({ userId }).lean<UserRecord>();
    return doc ? { user: toUser(doc), erasing: doc.erasingSince != null } : undefined;
  }

  async findByUserIds(userIds: string[]): Promise<UserProfile[]> {
    const docs = await this.model.find({ userId: { $in: userIds } }).lean<UserRecord[]>();
    return docs.map(toUser);
  }

  /**
   * The addresses on `channel` (the email address in lower case, or the push tokens) of those of `userIds`
   * whose profile consents to it now; a user erased, or being erased (even if a profile update said yes again
   * meanwhile), is not among them.
   */
  async contactsAmong(userIds: readonly string[], channel: 'email' | 'push'): Promise<Map<string, Set<string>>> {
    if (userIds.length === 0) return new Map();
    const docs = await this.model
      .find(
        { userId: { $in: userIds }, [`consent.${channel}`]: true, erasingSince: { $exists: false } },
        { _id: 0, userId: 1, email: 1, pushTokens: 1 },
      )
      .lean<Array<Pick<UserRecord, 'userId' | 'email' | 'pushTokens'>>>();
    return new Map(
      docs.map((d) => [
        d.userId,
        new Set(
          channel === 'email' ? (d.email ? [d.email.toLowerCase()] : []) : (d.pushTokens ?? []).map((t) => t.token),
        ),
      ]),
    );
  }

  /**
   * The time zone on the profile of each of `userIds` that has a profile (undefined: none given): for bucketing
   * sends by local time, and for quiet hours where the user is when a message is due.
   */
  async timeZonesOf(userIds: readonly string[]): Promise<Map<string, string | undefined>> {
    if (userIds.length === 0) return new Map();
    const docs = await this.model
      .find({ userId: { $in: userIds } }, { _id: 0, userId: 1, timeZone: 1 })
      .lean<Array<Pick<UserRecord, 'userId' | 'timeZone'>>>();
    return new Map(docs.map((d) => [d.userId, d.timeZone ?? undefined]));
  }

  /**
   * Removes one push token (a provider called it dead); the updated profile, or undefined when the token was not
   * removed. With `invalidSince` (when the provider found the token invalid), a token that a profile update listed
   * after that was registered again, and stays; one stored without that time goes.
   */
  async removePushToken(userId: string, token: string, invalidSince?: Date): Promise<UserProfile | undefined> {
    const match = {
      token,
      ...(invalidSince && { $or: [{ registeredAt: { $exists: false } }, { registeredAt: { $lte: invalidSince } }] }),
    };
    const doc = await this.model
      .findOneAndUpdate(
        { userId, pushTokens: { $elemMatch: match } },
        { $pull: { pushTokens: match } },
        { returnDocument: 'after' },
      )
      .lean<UserRecord>();
    return doc ? toUser(doc) : undefined;
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }

  /**
   * Takes back the profile's consent to every channel and marks it as being erased since `at`, in one write
   * (nothing when there is no profile). Marked again (a retried erasure), it keeps the first time.
   */
  async markErasing(userId: string, at: Date): Promise<void> {
    await this.model.updateOne(
      { userId },
      { $set: { 'consent.email': false, 'consent.push': false }, $min: { erasingSince: at } },
    );
  }

  /** When the user's erasure began (see markErasing); undefined when no profile is being erased. */
  async erasingSince(userId: string): Promise<Date | undefined> {
    const doc = await this.model
      .findOne({ userId }, { _id: 0, erasingSince: 1 })
      .lean<Pick<UserRecord, 'erasingSince'> | null>();
    return doc?.erasingSince ?? undefined;
  }

  /** Those of `userIds` whose profile is being erased (`erasing`) or is not stored (`gone`), in one indexed read. */
  async findErasingOrGone(userIds: readonly string[]): Promise<Map<string, 'erasing' | 'gone'>> {
    if (userIds.length === 0) return new Map();
    const docs = await this.model
      .find({ userId: { $in: userIds } }, { _id: 0, userId: 1, erasingSince: 1 })
      .lean<Array<Pick<UserRecord, 'userId' | 'erasingSince'>>>();
    const erasing = new Map(docs.map((d) => [d.userId, d.erasingSince != null]));
    return new Map(
      userIds.flatMap((userId): Array<[string, 'erasing' | 'gone']> => {
        const marked = erasing.get(userId);
        return marked === false ? [] : [[userId, marked ? 'erasing' : 'gone']];
      }),
    );
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteOne({ userId })).deletedCount;
  }
}
