import { boolean, cron, decimal, integer } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** Retraining of the journey ranker from notification outcomes. */
export const rankingNamespace = defineNamespace('ranking', {
  retrainCron: setting(
    'RANKER_RETRAIN_CRON',
    withDefault(cron(), '30 1 * * *'),
    'When the journey ranker is retrained from logged notification outcomes.',
  ),
  scheduleEnabled: setting(
    'RANKER_SCHEDULE_ENABLED',
    withDefault(boolean(), true),
    'Whether the scheduler role registers the ranker retrain cron.',
  ),
  lookbackDays: setting(
    'RANKER_LOOKBACK_DAYS',
    withDefault(integer(1, 3650), 90),
    'Days of notification outcomes a retrain uses.',
  ),
  minExamples: setting(
    'RANKER_MIN_EXAMPLES',
    withDefault(integer(20, 100_000_000), 500),
    'Fewest labelled examples (with both labels) for a retrain; fewer keeps the model in use.',
  ),
  attributionWindowHours: setting(
    'RANKER_ATTRIBUTION_HOURS',
    withDefault(integer(1, 24 * 30), 72),
    'An open or click this long after sending counts as a positive label.',
  ),
  aucTolerance: setting(
    'RANKER_AUC_TOLERANCE',
    withDefault(decimal(0, 1), 0.005),
    'A retrained ranker is promoted only if its validation AUC is within this of the model in use, or better.',
  ),
});
