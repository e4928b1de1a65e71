import { boolean, cron, decimal, text } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** The global control group shared by every campaign, and the scheduled experiment reports. */
export const experimentsNamespace = defineNamespace('experiments', {
  globalControlShare: setting(
    'EXPERIMENTS_GLOBAL_CONTROL_SHARE',
    withDefault(decimal(0, 0.5), 0),
    'Share of all users who receive no campaign at all (the same users for every campaign), to measure what the campaigns add together. 0 turns it off.',
  ),
  globalControlSeed: setting(
    'EXPERIMENTS_GLOBAL_CONTROL_SEED',
    withDefault(text(), 'journeycast-global-control'),
    'Hash seed of the global control group; a new seed draws other users.',
  ),
  reportCron: setting(
    'EXPERIMENTS_REPORT_CRON',
    withDefault(cron(), '0 6 * * *'),
    'When the reports of experiments with users assigned in the last 30 days are written to `EXPERIMENTS_REPORTS_DIR`.',
  ),
  reportScheduleEnabled: setting(
    'EXPERIMENTS_REPORT_SCHEDULE_ENABLED',
    withDefault(boolean(), true),
    'Whether the scheduler role registers the experiment report cron.',
  ),
  reportsDir: setting(
    'EXPERIMENTS_REPORTS_DIR',
    withDefault(text(), './data/reports'),
    'Folder the scheduled job writes each report to (`<experiment>.md`, `.html`, `.csv`, `.json`), resolved from the working directory.',
  ),
});
