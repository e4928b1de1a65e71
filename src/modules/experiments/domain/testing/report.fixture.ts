import { Prng } from '../../../../lib/synthetic/prng';
import { HOLDOUT_ARM, createAssigner } from '../assignment/assign';
import { ExperimentDefinition, assignmentDesign, parseExperimentDefinition } from '../experiment-definition';
import { MetricId } from '../metrics';
import { SufficientStats } from '../statistics/sufficient-stats';
import { AllocationPeriod, ArmDayCount, MetricArmDay, ReportInput } from '../report/report-model';

/** A push experiment like the one every install runs first: interest-based copy against journey-aware LLM copy. */
export function pushExperiment(overrides: Record<string, unknown> = {}): ExperimentDefinition {
  return parseExperimentDefinition({
    id: 'push-journeys-vs-interests',
    name: 'Journey-aware push vs interest push',
    campaignId: 'ongoing-journey-push',
    variants: [
      { key: 'interest', name: 'Interest', weight: 50, copyVariant: 'interest' },
      { key: 'journey-llm', name: 'Journey LLM', weight: 50, copyVariant: 'journey-llm' },
    ],
    holdoutShare: 0.1,
    metrics: {
      primary: 'click-rate',
      secondary: ['push-open-rate', 'conversion-rate', 'conversions-per-user'],
      guardrails: ['unsubscribe-rate'],
    },
    attributionWindowHours: 72,
    minimumSample: 200,
    ...overrides,
  });
}

export interface SimulationOptions {
  definition?: ExperimentDefinition;
  usersPerDay?: number;
  days?: number;
  seed?: number;
  /** True relative lift of the treatment's open (and so click) probability. */
  lift?: number;
  /** Treatment users whose assignment is lost (an SRM bug), as a share. */
  lostTreatmentShare?: number;
  /** Treatment users not delivered to (suppressed, failed), as a share; they stay assigned. */
  undeliveredTreatmentShare?: number;
  /** Multiplier of the treatment's unsubscribe probability. */
  unsubscribeFactor?: number;
  firstDay?: string;
  /** When the report is read; defaults to 4 days after the last day, when every window has closed. */
  asOf?: string;
}

const BASE = {
  open: 0.1,
  clickGivenOpen: 0.35,
  convertGivenClick: 0.25,
  organicConversion: 0.01,
  unsubscribe: 0.004,
  delivered: 0.96,
};

/**
 * Simulates users one by one through real assignment and folds them into the (arm, day) counts and
 * sufficient statistics a service would store. The true click-rate lift of the treatment equals `lift`.
 */
export function simulateReportInput(options: SimulationOptions = {}): ReportInput {
  const definition = options.definition ?? pushExperiment();
  const {
    usersPerDay = 1200,
    days = 14,
    seed = 7,
    lift = 0.25,
    lostTreatmentShare = 0,
    undeliveredTreatmentShare = 0,
  } = options;
  const firstDay = Date.parse(`${options.firstDay ?? '2026-03-02'}T00:00:00Z`);
  const assigner = createAssigner(assignmentDesign(definition));
  const control = definition.variants[0].key;
  const prng = new Prng(seed);
  const counts = new Map<string, ArmDayCount>();
  const delivered = new Map<string, ArmDayCount>();
  const stats = new Map<string, MetricArmDay>();
  const bump = (target: Map<string, ArmDayCount>, arm: string, day: string) => {
    const row = target.get(`${arm}|${day}`) ?? { arm, day, count: 0 };
    row.count++;
    target.set(`${arm}|${day}`, row);
  };
  const observe = (metric: MetricId, arm: string, day: string, y: number) => {
    const row = stats.get(`${metric}|${arm}|${day}`) ?? { metric, arm, day, n: 0, sum: 0, sumSquares: 0 };
    row.n++;
    row.sum += y;
    row.sumSquares += y * y;
    stats.set(`${metric}|${arm}|${day}`, row);
  };
  for (let d = 0; d < days; d++) {
    const day = new Date(firstDay + d * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < usersPerDay; i++) {
      const a = assigner(`user-${seed}-${d}-${i}`);
      if (a.status !== 'variant' && a.status !== 'holdout') continue;
      const treated = a.arm !== control && a.arm !== HOLDOUT_ARM;
      if (treated && prng.chance(lostTreatmentShare)) continue;
      bump(counts, a.arm, day);
      const sent = a.arm !== HOLDOUT_ARM && prng.chance(BASE.delivered * (treated ? 1 - undeliveredTreatmentShare : 1));
      if (sent) bump(delivered, a.arm, day);
      const opened = sent && prng.chance(BASE.open * (treated ? 1 + lift : 1));
      const clicked = opened && prng.chance(BASE.clickGivenOpen);
      const conversions =
        (clicked && prng.chance(BASE.convertGivenClick) ? 1 + prng.int(0, 2) : 0) +
        (prng.chance(BASE.organicConversion) ? 1 : 0);
      const unsubscribed = sent && prng.chance(BASE.unsubscribe * (treated ? (options.unsubscribeFactor ?? 1) : 1));
      observe('push-open-rate', a.arm, day, opened ? 1 : 0);
      observe('click-rate', a.arm, day, clicked ? 1 : 0);
      observe('conversion-rate', a.arm, day, conversions > 0 ? 1 : 0);
      observe('conversions-per-user', a.arm, day, conversions);
      observe('unsubscribe-rate', a.arm, day, unsubscribed ? 1 : 0);
    }
  }
  const asOf = options.asOf ?? new Date(firstDay + (days + 4) * 86_400_000).toISOString();
  return {
    definition,
    asOf,
    assigned: [...counts.values()],
    delivered: [...delivered.values()],
    metrics: [...stats.values()],
  };
}

/** Users of one arm assigned on one day, and how many of them clicked. */
export interface ClickCohort {
  arm: string;
  day: string;
  n: number;
  clicks: number;
}

/**
 * The report input of a click-rate experiment of equally weighted arms, no holdout, from hand-counted cohorts and
 * the allocation history they were drawn under (no splits recorded: each day goes by its period).
 */
export function clickCohortsInput(
  arms: readonly string[],
  cohorts: readonly ClickCohort[],
  allocations: AllocationPeriod[],
): ReportInput {
  return {
    definition: pushExperiment({
      holdoutShare: 0,
      variants: arms.map((key) => ({ key, weight: 1 })),
      metrics: { primary: 'click-rate' },
    }),
    asOf: '2026-03-20T00:00:00Z',
    assigned: cohorts.map(({ arm, day, n }) => ({ arm, day, count: n })),
    delivered: [],
    metrics: cohorts.map(({ arm, day, n, clicks }) => ({
      metric: 'click-rate' as const,
      arm,
      day,
      n,
      sum: clicks,
      sumSquares: clicks,
    })),
    allocations,
  };
}

/**
 * An A/B test of conversions per user alone (no holdout), one day: each arm's users, conversions Σy and Σy².
 */
export function conversionsInput(arms: { interest: SufficientStats; 'journey-llm': SufficientStats }): ReportInput {
  const day = '2026-03-02';
  const rows = Object.entries(arms);
  return {
    definition: pushExperiment({
      holdoutShare: 0,
      metrics: { primary: 'conversions-per-user', secondary: [], guardrails: [] },
    }),
    asOf: '2026-03-10T00:00:00Z',
    assigned: rows.map(([arm, s]) => ({ arm, day, count: s.n })),
    delivered: [],
    metrics: rows.map(([arm, s]) => ({ metric: 'conversions-per-user' as const, arm, day, ...s })),
  };
}

/**
 * A variant added in the second week: interest and journey-llm 1:1 from 2026-03-02, 10,000 users each of whom 12%
 * clicked; journey-template joins 1:1:1 on 2026-03-09, 5,000 users per arm, 8% clicking in interest and
 * journey-llm and 9% in journey-template.
 */
export function variantAddedInSecondWeek(): ReportInput {
  const keys = ['interest', 'journey-llm', 'journey-template'];
  return clickCohortsInput(
    keys,
    [
      { arm: 'interest', day: '2026-03-02', n: 10_000, clicks: 1_200 },
      { arm: 'journey-llm', day: '2026-03-02', n: 10_000, clicks: 1_200 },
      { arm: 'interest', day: '2026-03-09', n: 5_000, clicks: 400 },
      { arm: 'journey-llm', day: '2026-03-09', n: 5_000, clicks: 400 },
      { arm: 'journey-template', day: '2026-03-09', n: 5_000, clicks: 450 },
    ],
    [
      { from: '2026-03-02', weights: { interest: 1, 'journey-llm': 1 }, holdoutShare: 0 },
      { from: '2026-03-09', weights: { interest: 1, 'journey-llm': 1, 'journey-template': 1 }, holdoutShare: 0 },
    ],
  );
}
