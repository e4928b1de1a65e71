import { parseExpression } from 'cron-parser';
import { CampaignDefinition, ExperimentMetric } from './campaign-definition';

export interface RuleProblem {
  path: Array<string | number>;
  message: string;
}

const PUSH_ONLY: readonly ExperimentMetric[] = ['push-open-rate'];
const EMAIL_ONLY: readonly ExperimentMetric[] = ['email-open-rate', 'email-open-rate-human'];
const PUSH_LIMITS = ['titleMaxChars', 'bodyMaxChars'] as const;
const EMAIL_LIMITS = ['subjectMaxChars', 'preheaderMaxChars', 'introMaxChars'] as const;
/** Arm names the experiments module gives users who are sent nothing; a variant cannot take them. */
const RESERVED_ARMS = ['holdout', 'global-control'];

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

function hasNextFiring(expression: ReturnType<typeof parseExpression>): boolean {
  try {
    expression.next();
    return true;
  } catch {
    return false;
  }
}

function scheduleProblems(schedule: CampaignDefinition['schedule']): RuleProblem[] {
  if (schedule.type !== 'cron') return [];
  const problems: RuleProblem[] = [];
  if (!isTimeZone(schedule.timeZone)) {
    problems.push({ path: ['schedule', 'timeZone'], message: `unknown time zone "${schedule.timeZone}"` });
  }
  const fields = schedule.cron.trim().split(/\s+/).length;
  if (fields !== 5) problems.push({ path: ['schedule', 'cron'], message: 'a cron pattern has five fields' });
  else {
    let expression;
    try {
      expression = parseExpression(schedule.cron);
    } catch (error) {
      problems.push({ path: ['schedule', 'cron'], message: `invalid cron pattern: ${(error as Error).message}` });
    }
    // A pattern whose days never meet (the 31st of February or April) parses, but has no time to fire at.
    if (expression && !hasNextFiring(expression)) {
      problems.push({ path: ['schedule', 'cron'], message: 'the pattern never fires: no date matches it' });
    }
  }
  return problems;
}

function experimentProblems(definition: CampaignDefinition, promptVersions: readonly string[]): RuleProblem[] {
  const { experiment, channel } = definition;
  if (!experiment) return [];
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  experiment.variants.forEach((variant, i) => {
    if (seen.has(variant.id)) problems.push({ path: ['experiment', 'variants', i, 'id'], message: 'duplicate id' });
    if (RESERVED_ARMS.includes(variant.id)) {
      problems.push({ path: ['experiment', 'variants', i, 'id'], message: `"${variant.id}" is reserved` });
    }
    seen.add(variant.id);
    if (variant.template && !variant.template.startsWith(`${channel}/`)) {
      problems.push({ path: ['experiment', 'variants', i, 'template'], message: `must be a ${channel} template` });
    }
    if (variant.promptVersion && !promptVersions.includes(variant.promptVersion)) {
      problems.push({
        path: ['experiment', 'variants', i, 'promptVersion'],
        message: `unknown prompt version (known: ${promptVersions.join(', ')})`,
      });
    }
  });
  const wrongChannel = channel === 'push' ? EMAIL_ONLY : PUSH_ONLY;
  const used = new Map<string, Array<string | number>>();
  const check = (metric: ExperimentMetric, path: Array<string | number>) => {
    if (wrongChannel.includes(metric)) problems.push({ path, message: `${metric} does not apply to ${channel}` });
    if (used.has(metric)) problems.push({ path, message: `${metric} is already a metric of this experiment` });
    used.set(metric, path);
  };
  check(experiment.metrics.primary, ['experiment', 'metrics', 'primary']);
  experiment.metrics.secondary.forEach((m, i) => check(m, ['experiment', 'metrics', 'secondary', i]));
  experiment.metrics.guardrails.forEach((m, i) => check(m, ['experiment', 'metrics', 'guardrails', i]));
  return problems;
}

const clock = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * A local-hour campaign whose hour is inside its own quiet hours would send nothing: each message is dropped
 * (`whenQuiet: drop`), or waits for the window's end longer than `schedule.maxLateMinutes` allows and is
 * suppressed as stale. Read on the wall clock; a clock change moves it by an hour at most.
 */
function neverSentProblems({ schedule, quietHours }: CampaignDefinition): RuleProblem[] {
  if (schedule.type !== 'local-hour' || !quietHours || quietHours.start === quietHours.end) return [];
  const at = schedule.hour * 60 + schedule.minute;
  const [start, end] = [clock(quietHours.start), clock(quietHours.end)];
  const inside = end < start ? at >= start || at < end : at >= start && at < end;
  if (!inside) return [];
  const window = `quietHours ${quietHours.start}-${quietHours.end}`;
  if (quietHours.whenQuiet === 'drop') {
    return [
      {
        path: ['schedule', 'hour'],
        message: `${hhmm(at)} is inside ${window} (whenQuiet: drop): no message would be sent`,
      },
    ];
  }
  const wait = (end - at + 24 * 60) % (24 * 60);
  if (wait <= schedule.maxLateMinutes) return [];
  return [
    {
      path: ['schedule', 'hour'],
      message: `${hhmm(at)} is inside ${window}: every message would wait ${wait} minutes, more than schedule.maxLateMinutes (${schedule.maxLateMinutes}), and none would be sent`,
    },
  ];
}

/** Rules across fields that a schema cannot express; each problem names the field to fix. */
export function definitionRuleProblems(
  definition: CampaignDefinition,
  options: { promptVersions: readonly string[] },
): RuleProblem[] {
  const problems = [...scheduleProblems(definition.schedule)];
  if (!definition.template.startsWith(`${definition.channel}/`)) {
    problems.push({
      path: ['template'],
      message: `a ${definition.channel} campaign needs a ${definition.channel}/...`,
    });
  }
  const limits = definition.copy.limits ?? {};
  for (const key of definition.channel === 'push' ? EMAIL_LIMITS : PUSH_LIMITS) {
    if (limits[key] !== undefined) {
      problems.push({ path: ['copy', 'limits', key], message: `does not apply to ${definition.channel}` });
    }
  }
  const { promptVersion } = definition.copy;
  if (promptVersion && !options.promptVersions.includes(promptVersion)) {
    problems.push({
      path: ['copy', 'promptVersion'],
      message: `unknown prompt version (known: ${options.promptVersions.join(', ')})`,
    });
  }
  if (definition.quietHours && definition.quietHours.start === definition.quietHours.end) {
    problems.push({ path: ['quietHours', 'end'], message: 'the quiet window must not be empty' });
  }
  problems.push(...neverSentProblems(definition));
  return [...problems, ...experimentProblems(definition, options.promptVersions)];
}
