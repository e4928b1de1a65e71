import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { AudienceFactsRepository } from '../../../src/modules/audience/audience-facts.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { beforeNextCall } from '../../e2e/support/tracking';
import { useIngestContext } from './ingest-context';

/** Two updates of one profile at once: campaign audiences read the facts of the profile that is stored last. */
describe('profile updates of one user at once', () => {
  const ingest = useIngestContext('profile_writes_at_once');
  const facts = (userId: string) =>
    ingest.context.get<Connection>(getConnectionToken()).collection('audience_facts').findOne({ userId });

  it('leaves the facts of the last stored profile when the earlier update records its facts last', async () => {
    const users = ingest.context.get(UsersService);
    const earlier = { email: 'kim@example.com', attributes: { plan: 'pro' }, consent: { email: false, push: false } };
    const later = { email: 'kim@example.com', attributes: { plan: 'free' }, consent: { email: true, push: false } };
    // The earlier update has stored and read its profile when the later one (consent given) runs whole.
    const spy = beforeNextCall(ingest.context.get(AudienceFactsRepository), 'recordProfile', () =>
      users.putUser('kim', later),
    );
    await users.putUser('kim', earlier);
    expect(spy).toHaveBeenCalled();
    expect(await users.getUser('kim')).toMatchObject(later);
    // Audiences select on these facts: stale ones would keep the consenting user out of every email campaign.
    expect(await facts('kim')).toMatchObject({ consent: later.consent, attributes: later.attributes });
  });

  it('leaves the facts of a device listed again when a provider reports it dead as the profile update lands', async () => {
    const users = ingest.context.get(UsersService);
    const token = { platform: 'fcm' as const, token: 'fcm-device-lee' };
    await users.putUser('lee', { pushTokens: [token], consent: { email: false, push: true } });
    const reportedAt = new Date();
    // The token is removed and the profile read back when an update lists the device again and records its facts.
    const spy = beforeNextCall(ingest.context.get(AudienceFactsRepository), 'recordProfile', () =>
      users.putUser('lee', { pushTokens: [token], consent: { email: false, push: true } }),
    );
    expect(await users.removePushToken('lee', token.token, reportedAt)).toBe(true);
    expect(spy).toHaveBeenCalled();
    expect((await users.getUser('lee')).pushTokens).toEqual([token]);
    // Push audiences select users reachable by push: stale facts would keep this user out of every push campaign.
    expect(await facts('lee')).toMatchObject({ reachable: { email: false, push: true } });
  });
});
