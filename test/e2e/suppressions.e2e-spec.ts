import { RecipientPreferences } from '../../src/modules/tracking/notification-tracking';
import { useTestApp } from './support/test-app';

/** The suppression list through the API: what delivery asks right before every email reads what it says. */
describe('the suppression list for operators', () => {
  const app = useTestApp({ database: 'suppressions' });
  const http = () => app.t.http();
  const as = (key: string) => ({ Authorization: `Bearer ${key}` });
  const admin = () => as(app.admin);
  const listed = () => app.t.db().collection('suppressions').countDocuments();
  const deliveryReads = (address: string) => app.t.app.get(RecipientPreferences).suppressionOf(address);

  it('lists an address, answers it whatever its case, and lifts it for the next send', async () => {
    const put = await http().put('/v1/suppressions/Ana@Example.com').set(admin()).send({ reason: 'complaint' });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ address: 'Ana@Example.com', listed: true, reason: 'complaint' });
    expect(await deliveryReads('ana@example.com')).toBe('complaint');
    // Listed again, with another reason: the first reason stays.
    const again = await http().put('/v1/suppressions/ana@example.com').set(admin()).send({ reason: 'manual' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reason: 'complaint', since: put.body.since });
    await http().get('/v1/suppressions/ANA@example.com').set(admin()).expect(200);

    await http().delete('/v1/suppressions/ana@example.com').set(admin()).expect(204);
    expect(await deliveryReads('ana@example.com')).toBeUndefined();
    await http().get('/v1/suppressions/ana@example.com').set(admin()).expect(404);
    const gone = await http().delete('/v1/suppressions/ana@example.com').set(admin()).expect(404);
    expect(gone.body.message).toBe('address ana@example.com is not on the suppression list');
  });

  it('lists an address as manual when the body gives no reason', async () => {
    await http().put('/v1/suppressions/ben@example.com').set(admin()).send({}).expect(201);
    expect(await deliveryReads('ben@example.com')).toBe('manual');
  });

  it('imports a provider list in one call, counting what was listed already', async () => {
    await http().put('/v1/suppressions/old@example.com').set(admin()).send({ reason: 'hard-bounce' }).expect(201);
    const addresses = [
      { address: 'c1@example.com', reason: 'hard-bounce' },
      { address: 'c2@example.com' },
      { address: 'OLD@example.com', reason: 'complaint' },
      { address: 'c1@example.com', reason: 'complaint' },
    ];
    const res = await http().post('/v1/suppressions:import').set(admin()).send({ addresses }).expect(200);
    expect(res.body).toEqual({ received: 4, added: 2, alreadyListed: 2 });
    expect(await deliveryReads('c1@example.com')).toBe('hard-bounce');
    expect(await deliveryReads('c2@example.com')).toBe('manual');
    expect(await deliveryReads('old@example.com')).toBe('hard-bounce');
  });

  it('refuses a bad item with a 400 naming it, and stores nothing of the import', async () => {
    const before = await listed();
    const addresses = [
      { address: 'd1@example.com' },
      { address: 'not an address' },
      { address: 'd3@example.com', reason: 'spam' },
      { address: 'd4@example.com', note: 'x' },
    ];
    const res = await http().post('/v1/suppressions:import').set(admin()).send({ addresses }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'addresses[1].address',
      'addresses[2].reason',
      'addresses[3].note',
    ]);
    expect(await listed()).toBe(before);
    const empty = await http().post('/v1/suppressions:import').set(admin()).send({ addresses: [] }).expect(400);
    expect(empty.body.errors[0].field).toBe('addresses');
    const reason = await http().put('/v1/suppressions/e@example.com').set(admin()).send({ reason: 'x' }).expect(400);
    expect(reason.body.errors[0].field).toBe('reason');
    const address = await http().put('/v1/suppressions/nobody').set(admin()).send({}).expect(400);
    expect(address.body.errors[0].field).toBe('address');
    expect(await listed()).toBe(before);
  });

  it('needs an admin key', async () => {
    await http().put('/v1/suppressions/f@example.com').send({}).expect(401);
    await http().put('/v1/suppressions/f@example.com').set(as(app.ingest)).send({}).expect(403);
    await http().post('/v1/suppressions:import').set(as(app.ingest)).send({ addresses: [] }).expect(403);
    await http().get('/v1/suppressions/f@example.com').set(as(app.ingest)).expect(403);
    expect(await deliveryReads('f@example.com')).toBeUndefined();
  });
});
