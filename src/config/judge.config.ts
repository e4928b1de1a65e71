import { boolean, cron, decimal, integer, optional, text } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** The LLM judge that grades journeys: its model, schedule, sample, budget and alert threshold. */
export const judgeNamespace = defineNamespace('judge', {
  model: setting(
    'JUDGE_MODEL',
    optional(text()),
    'Chat model of the journey judge, on the same OpenAI-compatible endpoint. Unset: OPENAI_MODEL.',
  ),
  cron: setting(
    'JUDGE_CRON',
    withDefault(cron(), '0 6 * * *'),
    'When the scheduled judge looks for a full rebuild it has not judged yet and judges a sample of it.',
  ),
  scheduleEnabled: setting(
    'JUDGE_SCHEDULE_ENABLED',
    withDefault(boolean(), true),
    'Whether the scheduler role registers the judge cron (it judges only when an LLM is configured).',
  ),
  sampleSize: setting(
    'JUDGE_SAMPLE_SIZE',
    withDefault(integer(1, 100_000), 200),
    'Users the scheduled judge grades per full rebuild (the CLI takes --sample).',
  ),
  topK: setting(
    'JUDGE_TOP_K',
    withDefault(integer(1, 8), 3),
    "How many of each sampled user's top-ranked journeys the judge grades.",
  ),
  activityDays: setting(
    'JUDGE_ACTIVITY_DAYS',
    withDefault(integer(1, 3650), 90),
    'Days of activity before the build that the judge summarises (as extracted keywords) for each user.',
  ),
  maxTokensPerRun: setting(
    'JUDGE_MAX_TOKENS_PER_RUN',
    withDefault(integer(0, 1_000_000_000), 500_000),
    'LLM tokens (prompt and completion) one judge run may spend; cached grades are free. Past it, users are skipped.',
  ),
  alertMinMeanGrade: setting(
    'JUDGE_ALERT_MIN_MEAN_GRADE',
    withDefault(decimal(1, 5), 3.5),
    'A judged run whose mean grade is below this logs a warning and sets journeycast_journey_judge_alert to 1.',
  ),
});
