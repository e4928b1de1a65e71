import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { ExperimentOutcomeRepository } from '../../../src/modules/experiments/experiment-outcome.repository';
import { ConversionRepository } from '../../../src/modules/tracking/conversion.repository';
import { ConversionsService } from '../../../src/modules/tracking/conversions.service';
import { TrackingEventRepository } from '../../../src/modules/tracking/tracking-event.repository';
import { beforeNextCall } from '../../e2e/support/tracking';
import { duringErasure } from '../../setup/erasure-probe';
import { hoursAgo, useErasureContext } from './erasure-harness';

const NOTHING = {
  notifications: 0,
  tracked_notifications: 0,
  conversions: 0,
  tracking_events: 0,
  experiment_assignments: 0,
  experiment_outcomes: 0,
};

describe('a conversion reported while its user is erased', () => {
  const context = useErasureContext('conversion_erasure');
  afterEach(() => jest.restoreAllMocks());

  /** The next call of `method` on `target` runs only after the whole erasure of `userId`. */
  const eraseBefore = <T extends object>(target: T, method: jest.FunctionPropertyNames<Required<T>>, userId: string) =>
    beforeNextCall(target, method, () => context.erase(userId));
  /** The report's writes, in the order it makes them, each the first to land after the erasure in one case. */
  const WRITES = [
    ['the conversion', () => context.app.get(ConversionRepository), 'add'],
    ['its event', () => context.app.get(TrackingEventRepository), 'append'],
    ['its experiment outcome', () => context.app.get(ExperimentOutcomeRepository), 'insert'],
  ] as const;
  const CASES = WRITES.flatMap(([write, target, method]) =>
    (['in-notification', 'own-record'] as const).map((stored) => [write, stored, target, method] as const),
  );

  it.each(CASES)(
    'leaves nothing of the user when %s is written after the erasure (tracking %s)',
    async (_write, stored, target, method) => {
      const userId = `converted-${method}-${stored}`;
      const notification = await context.assignedAndSent(userId, stored);
      // The report finds the notification before the erasure; the whole erasure runs before this write.
      const write = eraseBefore(target(), method as never, userId);
      const { record, erased } = await context.app
        .get(ConversionsService)
        .report({ id: `order-${userId}`, userId, occurredAt: hoursAgo(1).toISOString(), value: 12 });
      expect({ notificationId: record.notificationId, erased }).toEqual({
        notificationId: notification.notificationId,
        erased: true,
      });
      expect(write).toHaveBeenCalled();
      expect(await context.left(userId)).toEqual(NOTHING);
    },
  );

  it('leaves nothing of the user when the sweep settles a pending conversion erased meanwhile', async () => {
    const userId = 'converted-swept';
    const notification = await context.assignedAndSent(userId, 'in-notification');
    // A report that stored its conversion, attributed, and failed before settling it.
    await context.app.get(ConversionRepository).add({
      conversionId: 'order-swept',
      userId,
      occurredAt: hoursAgo(1),
      notificationId: notification.notificationId,
      campaignId: notification.campaignId,
      receivedAt: new Date(Date.now() - 6 * 60_000),
      pending: true,
    });
    // The sweep read the pending conversion and the user's assignment; the whole erasure runs before the outcome.
    const insert = eraseBefore(context.app.get(ExperimentOutcomeRepository), 'insert', userId);
    expect(await context.app.get(ConversionsService).settlePending()).toEqual({ settled: 1, failed: 0 });
    expect(insert).toHaveBeenCalled();
    expect(await context.left(userId)).toEqual(NOTHING);
  });

  it('keeps, unattributed, a conversion reported after its user was erased', async () => {
    const userId = 'converted-after';
    await context.assignedAndSent(userId, 'in-notification');
    await context.erase(userId);
    // Nothing attributes it any more: a new conversion of the id is stored as reported, unattributed.
    const { record } = await context.app
      .get(ConversionsService)
      .report({ id: 'order-after', userId, occurredAt: hoursAgo(1).toISOString() });
    expect(record.notificationId).toBeUndefined();
    expect(await context.left(userId)).toEqual({ ...NOTHING, conversions: 1 });
  });

  describe('with a profile marked as being erased, and no notification left to attribute it to', () => {
    const profile = { email: 'pat@example.com', consent: { email: true, push: false } };
    const report = (userId: string, id: string) =>
      context.app.get(ConversionsService).report({ id, userId, occurredAt: hoursAgo(1).toISOString(), value: 5 });

    it.each(['events', 'derived'] as const)(
      'takes back a conversion reported after the conversions were erased (held in phase %s), and says so',
      async (phase) => {
        const userId = `converted-held-${phase}`;
        const users = context.app.get(UsersService);
        await users.putUser(userId, profile);
        await context.assignedAndSent(userId, 'in-notification');
        let answer: unknown;
        const registry = context.app.get(UserErasureRegistry);
        // Held as the last eraser of its phase: after the conversions, before the profile.
        const ran = duringErasure(
          registry,
          userId,
          async () => (answer = await report(userId, `order-held-${phase}`)),
          phase,
        );
        await users.eraseUser(userId);
        expect(ran()).toBe(true);
        expect(await context.left(userId)).toEqual(NOTHING);
        expect(answer).toMatchObject({ duplicate: false, erased: true, record: { userId } });

        // Reported again once the erasure is done: a new user's conversion, kept unattributed.
        const { record, erased } = await report(userId, `order-held-${phase}`);
        expect({ attributed: record.notificationId !== undefined, erased }).toEqual({
          attributed: false,
          erased: false,
        });
        expect(await context.left(userId)).toEqual({ ...NOTHING, conversions: 1 });
      },
    );

    it('erases a conversion stored as the profile goes', async () => {
      const userId = 'converted-as-profile-goes';
      await context.app.get(UsersService).putUser(userId, profile);
      const repository = context.app.get(UserRepository);
      // Stored while the profile is still marked, looked for once the profile is gone: no mark to take it back by.
      beforeNextCall(repository, 'deleteByUserId', () =>
        context.app.get(ConversionRepository).add({
          conversionId: 'order-as-profile-goes',
          userId,
          occurredAt: hoursAgo(1),
          receivedAt: new Date(),
        }),
      );
      expect(await context.app.get(UsersService).eraseUser(userId)).toMatchObject({ tracking: 1, users: 1 });
      expect(await context.left(userId)).toEqual(NOTHING);
    });
  });
});
