import { getConnectionToken } from '@nestjs/mongoose';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'mongoose';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { AudienceFactsRepository } from '../../../src/modules/audience/audience-facts.repository';
import { EventsImportService } from '../../../src/modules/ingest/events-import.service';
import { EventsService } from '../../../src/modules/ingest/events.service';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { buildEvent } from '../../factories/event.factory';
import { duringErasure as erasing } from '../../setup/erasure-probe';
import { useIngestContext } from './ingest-context';

/** Events of a user whose profile is being erased are not kept, however they arrive during the erasure. */
describe('events received during the erasure of their user', () => {
  const ingest = useIngestContext('events_during_erasure');
  const profile = { email: 'pat@example.com', consent: { email: true, push: false } };
  const stored = async (userId: string) => {
    const db = ingest.context.get<Connection>(getConnectionToken());
    return {
      events: await db.collection('events').countDocuments({ userId }),
      audienceFacts: await db.collection('audience_facts').countDocuments({ userId }),
    };
  };
  const duringErasure = (userId: string, during: () => Promise<unknown>) =>
    erasing(ingest.context.get(UserErasureRegistry), userId, during);
  afterEach(() => jest.restoreAllMocks());

  it('takes back the events of a batch stored after the events were erased, and says so', async () => {
    const users = ingest.context.get(UsersService);
    const events = ingest.context.get(EventsService);
    await users.putUser('pat', profile);
    await events.ingestBatch({ events: [buildEvent({ userId: 'pat' })] });
    const other = buildEvent({ userId: 'sam' });
    let answer: unknown;
    const ran = duringErasure('pat', async () => {
      answer = await events.ingestBatch({
        events: [buildEvent({ userId: 'pat' }), buildEvent({ userId: 'pat' }), other],
      });
    });
    await users.eraseUser('pat');
    expect(ran()).toBe(true);
    expect(answer).toEqual({ accepted: 1, duplicates: 0, erased: 2 });
    expect(await stored('pat')).toEqual({ events: 0, audienceFacts: 0 });
    expect(await stored('sam')).toEqual({ events: 1, audienceFacts: 1 });

    // Events after the erasure are a new user's, and are kept.
    expect(await events.ingestBatch({ events: [buildEvent({ userId: 'pat' })] })).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    expect(await stored('pat')).toEqual({ events: 1, audienceFacts: 1 });
  });

  it('takes back the lines of an import stored after the events were erased', async () => {
    const users = ingest.context.get(UsersService);
    await users.putUser('kim', profile);
    const path = join(tmpdir(), `events-during-erasure-${process.pid}.jsonl`);
    await writeFile(
      path,
      [buildEvent({ userId: 'kim' }), buildEvent({ userId: 'lou' })].map((e) => JSON.stringify(e)).join('\n'),
    );
    let summary: unknown;
    duringErasure('kim', async () => {
      summary = await ingest.context.get(EventsImportService).importFile(path);
    });
    await users.eraseUser('kim');
    expect(summary).toMatchObject({ lines: 2, accepted: 1, duplicates: 0, erased: 1, rejected: 0 });
    expect(await stored('kim')).toEqual({ events: 0, audienceFacts: 0 });
    expect(await stored('lou')).toEqual({ events: 1, audienceFacts: 1 });
  });

  it('keeps no activity of a batch whose user was wholly erased between its events and their activity', async () => {
    const users = ingest.context.get(UsersService);
    const events = ingest.context.get(EventsService);
    await users.putUser('joy', profile);
    const facts = ingest.context.get(AudienceFactsRepository);
    const recordActivity = facts.recordActivity.bind(facts);
    // The events are stored; the whole erasure runs (events, profile, facts) before their activity is recorded.
    jest.spyOn(facts, 'recordActivity').mockImplementationOnce(async (lastActive) => {
      await users.eraseUser('joy');
      return recordActivity(lastActive);
    });
    const answer = await events.ingestBatch({ events: [buildEvent({ userId: 'joy' }), buildEvent({ userId: 'max' })] });
    expect(answer).toEqual({ accepted: 2, duplicates: 0 });
    expect(await stored('joy')).toEqual({ events: 0, audienceFacts: 0 });
    // A user with events and no profile yet keeps the activity they recorded.
    expect(await stored('max')).toEqual({ events: 1, audienceFacts: 1 });
  });

  /**
   * Erases `userId` wholly between the writes of a batch's event and of its activity, and runs `meanwhile` (a new
   * user of the id) right before the erased user's activity is removed, once.
   */
  const eraseThenLand = async (userId: string, meanwhile: () => Promise<unknown>) => {
    const users = ingest.context.get(UsersService);
    const facts = ingest.context.get(AudienceFactsRepository);
    await users.putUser(userId, profile);
    const recordActivity = facts.recordActivity.bind(facts);
    const deleteByUserId = facts.deleteByUserId.bind(facts);
    let erased = false;
    let landed = false;
    jest
      .spyOn(facts, 'recordActivity')
      .mockImplementationOnce(async (lastActive) => {
        await users.eraseUser(userId);
        erased = true;
        return recordActivity(lastActive);
      })
      .mockImplementation(recordActivity);
    jest.spyOn(facts, 'deleteByUserId').mockImplementation(async (id) => {
      if (erased && !landed) {
        landed = true;
        await meanwhile();
      }
      return deleteByUserId(id);
    });
    await ingest.context.get(EventsService).ingestBatch({ events: [buildEvent({ userId })] });
    expect(landed).toBe(true);
    return facts.findByUserId(userId);
  };

  it("keeps the activity of first events of a new user stored as the erased one's activity goes", async () => {
    const first = buildEvent({ userId: 'val', occurredAt: '2026-01-02T03:04:05.000Z' });
    const facts = await eraseThenLand('val', () => ingest.context.get(EventsService).ingestBatch({ events: [first] }));
    expect(await stored('val')).toEqual({ events: 1, audienceFacts: 1 });
    expect(facts?.lastActiveAt).toEqual(new Date(first.occurredAt));
  });

  it("keeps the facts of a new user's profile written as the erased one's activity goes", async () => {
    const facts = await eraseThenLand('eve', () =>
      ingest.context
        .get(UsersService)
        .putUser('eve', { consent: { email: false, push: true }, attributes: { plan: 'pro' } }),
    );
    expect(await stored('eve')).toEqual({ events: 0, audienceFacts: 1 });
    expect(facts).toMatchObject({ consent: { email: false, push: true }, attributes: { plan: 'pro' } });
    expect(facts?.lastActiveAt).toBeUndefined();
  });

  it('erases the events stored as the profile goes', async () => {
    const users = ingest.context.get(UsersService);
    await users.putUser('ada', profile);
    const repository = ingest.context.get(UserRepository);
    const deleteByUserId = repository.deleteByUserId.bind(repository);
    // Stored while the profile is still marked, found unmarked because it is gone by the time it is looked for.
    jest.spyOn(repository, 'deleteByUserId').mockImplementationOnce(async (userId) => {
      await ingest.events().insertOne({ ...buildEvent({ userId }), occurredAt: new Date(), receivedAt: new Date() });
      return deleteByUserId(userId);
    });
    const erased = await users.eraseUser('ada');
    expect(erased).toMatchObject({ events: 1, users: 1 });
    expect(await stored('ada')).toEqual({ events: 0, audienceFacts: 0 });
  });
});
