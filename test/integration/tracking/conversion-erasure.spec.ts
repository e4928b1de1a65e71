import { ExperimentOutcomeRepository } from '../../../src/modules/experiments/experiment-outcome.repository';
import { ConversionRepository } from '../../../src/modules/tracking/conversion.repository';
import { ConversionsService } from '../../../src/modules/tracking/conversions.service';
import { TrackingEventRepository } from '../../../src/modules/tracking/tracking-event.repository';
import { beforeNextCall } from '../../e2e/support/tracking';
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
      const { record } = await context.app
        .get(ConversionsService)
        .report({ id: `order-${userId}`, userId, occurredAt: hoursAgo(1).toISOString(), value: 12 });
      expect(record.notificationId).toBe(notification.notificationId);
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
});
