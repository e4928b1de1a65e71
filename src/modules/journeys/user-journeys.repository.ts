import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
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

@Injectable()
export class UserJourneysRepository {
  constructor(@InjectModel(UserJourneysRecord.name) private readonly model: Model<UserJourneysRecord>) {}

  /** The current build without the previous one (only diffs need that, and it doubles the document). */
  async findByUserId(userId: string): Promise<UserJourneysRecord | undefined> {
    return (await this.model.findOne({ userId }, { previous: 0 }).lean<UserJourneysRecord>()) ?? undefined;
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
      const previous = { journeys: base.journeys, generatedAt: base.generatedAt, buildRunId: base.buildRunId };
      const result = await this.model.updateOne(
        { userId: build.userId, buildRunId: { $ne: build.buildRunId }, buildCount: base.buildCount },
        { $set: { ...build, previous }, $inc: { buildCount: 1 } },
      );
      if (result.modifiedCount === 1) return 'committed';
    } catch (error) {
      if (!(error instanceof mongo.MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
    }
    const now = await this.model
      .findOne({ userId: build.userId }, { buildRunId: 1 })
      .lean<Pick<UserJourneysRecord, 'buildRunId'>>();
    return now?.buildRunId === build.buildRunId ? 'already-built' : 'conflict';
  }

  async deleteByUserId(userId: string): Promise<number> {
    return (await this.model.deleteOne({ userId })).deletedCount;
  }
}
