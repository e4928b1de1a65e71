import { ERASURE_PHASES, ErasurePhase, UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { ConversionsService } from '../../../src/modules/tracking/conversions.service';
import { hoursAgo, useErasureContext } from './erasure-harness';

describe('erasure phases', () => {
  const context = useErasureContext('erasure_phases');
  const rank = (phase: ErasurePhase) => ERASURE_PHASES.indexOf(phase);

  it("runs the product's erasers phase by phase: what requests find first, conversions next, the rest after", () => {
    const order = context.app.get(UserErasureRegistry).inOrder();
    expect(order.map((e) => rank(e.phase))).toEqual(order.map((e) => rank(e.phase)).sort((a, b) => a - b));
    expect(order.filter((e) => e.phase === 'notifications').map((e) => e.name)).toEqual(
      expect.arrayContaining(['notifications', 'tracking']),
    );
    expect(order.filter((e) => e.phase === 'conversions').map((e) => e.name)).toEqual(['tracking']);
    expect(order.filter((e) => e.phase === 'derived').map((e) => e.name)).toEqual(
      expect.arrayContaining(['tracking', 'experimentAssignments', 'experimentOutcomes']),
    );
  });

  it('starts each phase once the one before has erased its records, whatever the order erasers registered in', async () => {
    const userId = 'phased';
    const notification = await context.assignedAndSent(userId, 'in-notification');
    await context.assignedAndSent('phased-own', 'own-record');
    await context.app
      .get(ConversionsService)
      .report({ id: 'order-phased', userId, occurredAt: hoursAgo(1).toISOString() });
    expect(await context.left(userId)).toEqual({
      notifications: 1,
      tracked_notifications: 0,
      conversions: 1,
      tracking_events: 1,
      experiment_assignments: 1,
      experiment_outcomes: 1,
    });
    expect(notification.userId).toBe(userId);

    // Registered last and latest phase first: each probe sees what the phases before it (and its own phase's
    // erasers, registered before it) left of the user when it runs.
    const registry = context.app.get(UserErasureRegistry);
    const seen: Array<{ phase: ErasurePhase; left: Awaited<ReturnType<typeof context.left>> }> = [];
    for (const phase of [...ERASURE_PHASES].reverse()) {
      registry.register({
        name: `probe-${phase}`,
        phase,
        erase: async (id) => {
          seen.push({ phase, left: await context.left(id) });
          return 0;
        },
      });
    }
    await context.erase(userId);
    const none = { notifications: 0, tracked_notifications: 0, conversions: 0, tracking_events: 0 };
    expect(seen).toEqual([
      {
        phase: 'notifications',
        left: { ...none, conversions: 1, tracking_events: 1, experiment_assignments: 1, experiment_outcomes: 1 },
      },
      {
        phase: 'conversions',
        left: { ...none, tracking_events: 1, experiment_assignments: 1, experiment_outcomes: 1 },
      },
      {
        phase: 'events',
        left: { ...none, tracking_events: 1, experiment_assignments: 1, experiment_outcomes: 1 },
      },
      { phase: 'derived', left: { ...none, experiment_assignments: 0, experiment_outcomes: 0 } },
    ]);
    expect(seen.map((s) => s.phase)).toEqual([...ERASURE_PHASES]);

    // A user whose notification is a tracking record of its own: that record goes in the first phase too.
    seen.length = 0;
    await context.erase('phased-own');
    expect(seen[0]).toMatchObject({ phase: 'notifications', left: { tracked_notifications: 0 } });
    expect(seen[1]).toMatchObject({ phase: 'conversions', left: { experiment_assignments: 1 } });
  });
});
