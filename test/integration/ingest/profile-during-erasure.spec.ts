import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { useIngestContext } from './ingest-context';

/** A profile written while its user is erased leaves nothing behind once the erasure ends. */
describe('a profile update during the erasure of its user', () => {
  const ingest = useIngestContext('profile_during_erasure');
  const stored = async (userId: string) => {
    const db = ingest.context.get<Connection>(getConnectionToken());
    return {
      users: await db.collection('users').countDocuments({ userId }),
      audienceFacts: await db.collection('audience_facts').countDocuments({ userId }),
    };
  };

  it('leaves no audience facts when it lands after their eraser ran', async () => {
    const users = ingest.context.get(UsersService);
    const profile = { email: 'pat@example.com', consent: { email: true, push: false } };
    await users.putUser('pat', profile);
    let updated = false;
    // Registered last: runs after every product eraser and before the profile itself goes.
    ingest.context.get(UserErasureRegistry).register({
      name: 'profile-update-probe',
      erase: async (userId) => {
        if (userId === 'pat' && !updated) {
          updated = true;
          await users.putUser('pat', profile);
        }
        return 0;
      },
    });
    await users.eraseUser('pat');
    expect(updated).toBe(true);
    expect(await stored('pat')).toEqual({ users: 0, audienceFacts: 0 });

    // A profile written after the erasure is a new user's, and keeps its facts.
    await users.putUser('pat', profile);
    expect(await stored('pat')).toEqual({ users: 1, audienceFacts: 1 });
  });
});
