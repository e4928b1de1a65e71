import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ConsoleSessionRecord } from './console-session.schema';

@Injectable()
export class ConsoleSessionRepository {
  constructor(@InjectModel(ConsoleSessionRecord.name) private readonly model: Model<ConsoleSessionRecord>) {}

  async create(session: ConsoleSessionRecord): Promise<void> {
    await this.model.create(session);
  }

  /** The session with this id unless it has expired at `now` (the TTL sweep runs only now and then). */
  async findLive(sessionId: string, now: Date): Promise<ConsoleSessionRecord | undefined> {
    const doc = await this.model
      .findOne({ sessionId, expiresAt: { $gt: now } }, { _id: 0 })
      .lean<ConsoleSessionRecord>();
    return doc ?? undefined;
  }

  async delete(sessionId: string): Promise<void> {
    await this.model.deleteOne({ sessionId });
  }
}
