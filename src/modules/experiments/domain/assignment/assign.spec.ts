import { getBucketRanges, chooseVariation } from './bucket-ranges';
import { hash } from './hash';
import {
  Assignment,
  AssignmentDesign,
  HOLDOUT_ARM,
  StoredAssignment,
  assign,
  createAssigner,
  inGlobalControl,
} from './assign';

const USERS = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
const design: AssignmentDesign = {
  key: 'push-copy-2026-03',
  variants: [
    { key: 'interest', weight: 50 },
    { key: 'journey-llm', weight: 50 },
  ],
};

const armOf = (a: Assignment) => (a.status === 'variant' || a.status === 'holdout' ? a.arm : a.status);
const tally = (assignments: Assignment[]) => {
  const counts: Record<string, number> = {};
  for (const a of assignments) counts[armOf(a)] = (counts[armOf(a)] ?? 0) + 1;
  return counts;
};
/** What a service stores when it records an assignment. */
const record = (a: Assignment): StoredAssignment | null =>
  a.status === 'variant' || a.status === 'holdout' ? { seed: a.seed, arm: a.arm } : null;

describe('assign', () => {
  it('is deterministic and picks the variant GrowthBook would for the same seed and weights', () => {
    const ranges = getBucketRanges(2, 1, [0.5, 0.5]);
    const mismatches = USERS.slice(0, 2000).filter((userId) => {
      const a = assign(design, userId);
      const n = hash(design.key, userId, 2)!;
      const b = assign(design, userId);
      return !(
        a.status === 'variant' &&
        b.status === 'variant' &&
        a.arm === b.arm &&
        a.bucket === n &&
        a.variantIndex === chooseVariation(n, ranges) &&
        a.source === 'hash'
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('splits users by the weights, in any scale', () => {
    const counts = tally(
      USERS.map((u) =>
        assign(
          {
            ...design,
            variants: [
              { key: 'a', weight: 1 },
              { key: 'b', weight: 3 },
            ],
          },
          u,
        ),
      ),
    );
    expect(counts.a / USERS.length).toBeCloseTo(0.25, 1);
    expect(counts.b / USERS.length).toBeCloseTo(0.75, 1);
  });

  it('keeps already-assigned users where they are when weights change mid-experiment', () => {
    const before = createAssigner(design);
    const stored = new Map(USERS.map((u) => [u, record(before(u))]));
    const after = createAssigner({
      ...design,
      variants: [
        { key: 'interest', weight: 80 },
        { key: 'journey-llm', weight: 20 },
      ],
    });

    // Without the stored record, about 30% of users (buckets in [0.5, 0.8)) would switch arm...
    const movedWithoutRecord = USERS.filter((u) => armOf(after(u)) !== stored.get(u)!.arm).length;
    expect(movedWithoutRecord / USERS.length).toBeGreaterThan(0.25);
    // ...with it, nobody moves, and the result says the stored record decided.
    const sticky = USERS.map((u) => after(u, { stored: stored.get(u) }));
    expect(sticky.filter((a, i) => armOf(a) !== stored.get(USERS[i])!.arm)).toEqual([]);
    expect(new Set(sticky.map((a) => (a.status === 'variant' ? a.source : a.status)))).toEqual(new Set(['stored']));
    // New users get the new weights.
    const newcomers = tally(Array.from({ length: 10_000 }, (_, i) => after(`new-${i}`)));
    expect(newcomers.interest / 10_000).toBeCloseTo(0.8, 1);
  });

  it('keeps assigned users when the holdout share changes, and re-randomizes on a new seed', () => {
    const first = createAssigner({ ...design, holdoutShare: 0.1 });
    const stored = new Map(USERS.map((u) => [u, record(first(u))]));
    const resized = createAssigner({ ...design, holdoutShare: 0.3 });
    expect(USERS.every((u) => armOf(resized(u, { stored: stored.get(u) })) === stored.get(u)!.arm)).toBe(true);

    const newPhase = createAssigner({ ...design, seed: 'push-copy-2026-03-phase-2' });
    const moved = USERS.filter((u) => armOf(newPhase(u, { stored: stored.get(u) })) !== stored.get(u)!.arm).length;
    expect(moved / USERS.length).toBeGreaterThan(0.4);
  });

  it('ignores a stored arm that no longer exists', () => {
    const a = assign(design, 'user-1', { stored: { seed: design.key, arm: 'removed-variant' } });
    expect(a).toMatchObject({ status: 'variant', source: 'hash' });
  });

  it('holds out the configured share without changing the variants of the others', () => {
    const plain = createAssigner(design);
    const withHoldout = createAssigner({ ...design, holdoutShare: 0.2 });
    const assignments = USERS.map((u) => withHoldout(u));
    const counts = tally(assignments);
    expect(counts[HOLDOUT_ARM] / USERS.length).toBeCloseTo(0.2, 1);
    const changed = USERS.filter(
      (u, i) => assignments[i].status === 'variant' && armOf(assignments[i]) !== armOf(plain(u)),
    );
    expect(changed).toEqual([]);
    // The holdout is independent of the variant hash: both variants lose about the same share.
    expect(counts.interest / counts['journey-llm']).toBeCloseTo(1, 1);
  });

  it('puts the same users in the global control group for every experiment', () => {
    const group = { seed: 'journeycast-global-control', share: 0.05 };
    const other = createAssigner({ ...design, key: 'email-digest-2026-03' });
    const inGroup = USERS.filter((u) => inGlobalControl(u, group));
    expect(inGroup.length / USERS.length).toBeCloseTo(0.05, 1);
    expect(inGroup.filter((u) => other(u, { globalControl: group }).status !== 'global-control')).toEqual([]);
    expect(USERS.filter((u) => assign(design, u, { globalControl: group }).status === 'global-control')).toEqual(
      inGroup,
    );
  });

  it('excludes empty ids and users outside the namespace', () => {
    expect(assign(design, '')).toEqual({ status: 'excluded', reason: 'empty-user-id' });
    const namespaced = createAssigner({ ...design, namespace: ['push-tests', 0, 0.5] });
    const counts = tally(USERS.map((u) => namespaced(u)));
    expect(counts.excluded / USERS.length).toBeCloseTo(0.5, 1);
  });
});
