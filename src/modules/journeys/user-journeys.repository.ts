import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Model, mongo } from 'mongoose';
import { insertManyReportingDuplicates } from '../../common/mongo/insert-many';
import { PreviousJourney } from './domain/identity';
import { StoredJourney } from './stored-journey';
import { UserJourneysRecord } from './user-journeys.schema';

const DUPLICATE_KEY = 11000;

export interface UserJourneysBuild {
  userId: string;
  journeys: StoredJourney[];
  generatedAt: Date;
  modelVersion: string;
  buildRunId: string;
  eventsReceivedThrough?: Date;
}

/** What a commit did: wrote the build, found the run already committed, or lost a race to another run. */
export type CommitOutcome = 'committed' | 'already-built' | 'conflict';

/**
 * What a rebuild needs of the stored document: the run and count a commit is conditioned on, the model it was
 * built with, and each journey's id and keywords, by which continuing journeys keep their ids.
 */
export interface BuildBase {
  userId: string;
  buildRunId: string;
  buildCount: number;
  modelVersion: string;
  journeys: PreviousJourney[];
}

/** A build to commit and the stored document it started from (none for a user's first build). */
export interface BuildCommit {
  build: UserJourneysBuild;
  base: Pick<BuildBase, 'buildCount'> | undefined;
}

/**
 * The conditional update of a rebuild: applies only on top of the document the build started from. The
 * stored build becomes `previous` inside the database (a pipeline update), so it is not sent back over the
 * wire; the new values go in as literals, since journey text may start with `$`.
 */
function rebuildOf({ build, base }: BuildCommit, marks: { commitId?: string } = {}) {
  const values = Object.fromEntries(Object.entries({ ...build, ...marks }).map(([k, v]) => [k, { $literal: v }]));
  return {
    filter: { userId: build.userId, buildRunId: { $ne: build.buildRunId }, buildCount: base!.buildCount },
    update: [
      { $set: { previous: { journeys: '$journeys', generatedAt: '$generatedAt', buildRunId: '$buildRunId' } } },
      { $set: { ...values, buildCount: { $add: ['$buildCount', 1] } } },
    ],
  };
}

@Injectable()
export class UserJourneysRepository {
  constructor(@InjectModel(UserJourneysRecord.name) private readonly model: Model<UserJourneysRecord>) {}

  /** The current build without the previous one (only diffs need that, and it doubles the document). */
  async findByUserId(userId: string): Promise<UserJourneysRecord | undefined> {
    return (await this.model.findOne({ userId }, { previous: 0 }).lean<UserJourneysRecord>()) ?? undefined;
  }

  /** The current and previous builds of the given users (unique userId index), for population summaries. */
  async findManyWithPrevious(userIds: readonly string[]): Promise<UserJourneysRecord[]> {
    return this.model.find({ userId: { $in: userIds } }).lean<UserJourneysRecord[]>();
  }

  /** Users whose current journeys come from this build run and are not empty, read through a cursor. */
  async *streamUserIdsByBuildRun(buildRunId: string, batchSize = 1000): AsyncGenerator<string> {
    const cursor = this.model
      .find({ buildRunId, 'journeys.0': { $exists: true } }, { userId: 1 })
      .lean<Array<Pick<UserJourneysRecord, 'userId'>>>()
      .cursor({ batchSize });
    for await (const doc of cursor as AsyncIterable<Pick<UserJourneysRecord, 'userId'>>) yield doc.userId;
  }

  /** Receipt watermarks of the given users' last builds (users never built are absent). */
  async findReceivedThrough(userIds: readonly string[]): Promise<Map<string, Date | undefined>> {
    const docs = await this.model
      .find({ userId: { $in: userIds } }, { userId: 1, eventsReceivedThrough: 1 })
      .lean<Array<Pick<UserJourneysRecord, 'userId' | 'eventsReceivedThrough'>>>();
    return new Map(docs.map((d) => [d.userId, d.eventsReceivedThrough]));
  }

  /**
   * Commits a build with one conditional write: it applies only when the stored document is still the one
   * the build started from (its buildCount) and does not already carry this run.
   */
  async commitBuild(build: UserJourneysBuild, base: UserJourneysRecord | undefined): Promise<CommitOutcome> {
    try {
      if (!base) {
        // A first build is a plain insert; the unique userId index turns a racing second insert into a no-op.
        await this.model.collection.insertOne({ ...build, buildCount: 1 });
        return 'committed';
      }
      const { filter, update } = rebuildOf({ build, base });
      const result = await this.model.collection.updateOne(filter, update);
      if (result.modifiedCount === 1) return 'committed';
    } catch (error) {
      if (!(error instanceof mongo.MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
    }
    const now = await this.model
      .findOne({ userId: build.userId }, { buildRunId: 1 })
      .lean<Pick<UserJourneysRecord, 'buildRunId'>>();
    return now?.buildRunId === build.buildRunId ? 'already-built' : 'conflict';
  }

  /** Several users' current builds in one read, without their previous ones. */
  async findByUserIds(userIds: readonly string[]): Promise<Map<string, UserJourneysRecord>> {
    const docs = await this.model.collection
      .find({ userId: { $in: [...userIds] } }, { projection: { _id: 0, previous: 0 } })
      .toArray();
    return new Map((docs as unknown as UserJourneysRecord[]).map((d) => [d.userId, d]));
  }

  /** Several users' stored builds as far as rebuilding them needs (a fraction of each document), in one read. */
  async findBuildBases(userIds: readonly string[]): Promise<Map<string, BuildBase>> {
    const projection = {
      _id: 0,
      userId: 1,
      buildRunId: 1,
      buildCount: 1,
      modelVersion: 1,
      'journeys.id': 1,
      'journeys.keywords': 1,
    };
    const docs = await this.model.collection.find({ userId: { $in: [...userIds] } }, { projection }).toArray();
    return new Map((docs as unknown as BuildBase[]).map((d) => [d.userId, d]));
  }

  /**
   * Commits many builds with the conditions of {@link commitBuild}, in one insert of first builds and one
   * bulk update of the rest; only users whose write did not apply are read back to classify them.
   */
  async commitBuilds(items: readonly BuildCommit[]): Promise<Map<string, CommitOutcome>> {
    const outcomes = new Map<string, CommitOutcome>();
    // Marks this call's updates, so a read-back tells them from an earlier commit of the same run.
    const commitId = randomBytes(8).toString('hex');
    const firsts = items.filter((i) => !i.base);
    const refused = await insertManyReportingDuplicates(
      this.model,
      firsts.map((i) => ({ ...i.build, buildCount: 1 })),
    );
    firsts.forEach((i, n) => outcomes.set(i.build.userId, refused.has(n) ? 'conflict' : 'committed'));
    const rebuilds = items.filter((i) => i.base);
    if (rebuilds.length > 0) {
      const result = await this.model.collection.bulkWrite(
        rebuilds.map((i) => ({ updateOne: rebuildOf(i, { commitId }) })),
        { ordered: false },
      );
      // Every filter matched: every rebuild applied. Otherwise the read-back below tells which did.
      const all = result.matchedCount === rebuilds.length;
      for (const i of rebuilds) outcomes.set(i.build.userId, all ? 'committed' : 'conflict');
    }
    const unsure = [...outcomes].filter(([, o]) => o === 'conflict').map(([userId]) => userId);
    if (unsure.length === 0) return outcomes;
    const stored = await this.model.collection
      .find({ userId: { $in: unsure } }, { projection: { _id: 0, userId: 1, buildRunId: 1, commitId: 1 } })
      .toArray();
    const byUser = new Map(stored.map((d) => [d.userId as string, d]));
    for (const item of items.filter((i) => outcomes.get(i.build.userId) === 'conflict')) {
      const doc = byUser.get(item.build.userId);
      if (doc?.buildRunId !== item.build.buildRunId) continue;
      // A refused first insert, or another call's update, is an earlier commit of the same run.
      const applied = item.base !== undefined && doc.commitId === commitId;
      outcomes.set(item.build.userId, applied ? 'committed' : 'already-built');
    }
    return outcomes;
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteOne({ userId })).deletedCount;
  }
}
