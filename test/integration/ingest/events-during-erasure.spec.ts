import { getConnectionToken } from '@nestjs/mongoose';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'mongoose';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
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
