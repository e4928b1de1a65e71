import { z } from 'zod';
import { ENDED_JOURNEY_MODES } from '../../journeys/domain/notification-journeys';
import { canonicalLocale } from '../../templates/domain/locale-chain';

/**
 * The one schema of a campaign definition (YAML in `campaigns/`). The code validates with it and
 * `campaigns/campaign.schema.json` is generated from it, so editors complete exactly what the loader accepts.
 */

export const CHANNELS = ['push', 'email'] as const;
export const COPY_VARIANTS = ['interest', 'journey-template', 'journey-llm'] as const;
export const JOURNEY_STAGES = ['ongoing', 'ended'] as const;
export const JOURNEY_TYPES = ['situational', 'evergreen'] as const;
/** Metrics an experiment may report; `email-open-rate-human` leaves out machine (privacy-proxy) opens. */
export const EXPERIMENT_METRICS = [
  'push-open-rate',
  'email-open-rate',
  'email-open-rate-human',
  'click-rate',
  'conversion-rate',
  'unsubscribe-rate',
  'conversions-per-user',
] as const;
export const CORRECTION_METHODS = ['holm', 'benjamini-hochberg', 'none'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * How late a schedule may be when it does not say: a local-hour message after its user's hour, or a cron or
 * one-off firing (the start of its run) after its due time.
 */
export const DEFAULT_MAX_LATE_MINUTES = 120;
/** The most `schedule.maxLateMinutes` may be: a day, the span of one local date's run. */
const MAX_LATE_MINUTES_LIMIT = 24 * 60;
const MAX_LATE_MINUTES = `must be a whole number of minutes from 1 to ${MAX_LATE_MINUTES_LIMIT} (a day)`;

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const TEMPLATE_REF = /^(push|email)\/[a-z0-9][a-z0-9-]*$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const id = (what: string) => z.string().regex(ID, `${what} must be lower-case letters, digits and hyphens (1-63)`);
const templateRef = z
  .string()
  .regex(TEMPLATE_REF, 'a template is referenced as <channel>/<name>, e.g. push/journey-nudge')
  .describe('Template folder under templates/, e.g. push/journey-nudge');
const terms = z.array(z.string().trim().min(1).max(80)).max(200);

/** A schedule's `maxLateMinutes`, described by what is late for its type. */
const maxLateMinutes = (description: string) =>
  z
    .number({ error: MAX_LATE_MINUTES })
    .int(MAX_LATE_MINUTES)
    .min(1, MAX_LATE_MINUTES)
    .max(MAX_LATE_MINUTES_LIMIT, MAX_LATE_MINUTES)
    .default(DEFAULT_MAX_LATE_MINUTES)
    .describe(`${description} (120 when absent, 1440 at most)`);
const LATE_FIRING =
  'How late after its due time a firing may still start its run (workers or the scheduler down over it); later, it starts nothing';

const schedule = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('cron'),
      cron: z.string().describe('Five-field cron pattern, e.g. "0 9 * * 1"'),
      timeZone: z.string().describe('IANA time zone the pattern is read in, e.g. Europe/Paris'),
      maxLateMinutes: maxLateMinutes(LATE_FIRING),
    })
    .strict()
    .describe('Fires on a cron pattern in one fixed time zone'),
  z
    .object({
      type: z.literal('local-hour'),
      hour: z.number().int().min(0).max(23).describe("Hour of the day in each user's own time zone"),
      minute: z.number().int().min(0).max(59).default(0),
      days: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional().describe('Week days to send on (every day when absent)'),
      maxLateMinutes: maxLateMinutes(
        "How late after the user's hour a message may still go out (a late start, a paused run, quiet hours); later, it is not sent",
      ),
    })
    .strict()
    .describe("Fires at a local hour in each user's own time zone"),
  z
    .object({
      type: z.literal('once'),
      at: z.iso.datetime({ offset: true }).describe('The instant, ISO-8601 with a time zone'),
      maxLateMinutes: maxLateMinutes(LATE_FIRING),
    })
    .strict()
    .describe('Fires once at an instant'),
]);

const journeyRules = z
  .object({
    stages: z.array(z.enum(JOURNEY_STAGES)).min(1).optional(),
    types: z.array(z.enum(JOURNEY_TYPES)).min(1).optional(),
    minConfidence: z
      .number()
      .min(0)
      .max(1)
      .multipleOf(0.01)
      .optional()
      .describe('Lowest journey confidence, two decimals at most'),
    include: terms.optional().describe('Journey names or keywords: only journeys matching one of them qualify'),
    exclude: terms.optional().describe('Journey names or keywords: journeys matching any of them never qualify'),
  })
  .strict();

const audience = z
  .object({
    journeys: journeyRules
      .optional()
      .describe(
        'Which journeys qualify as the subject (of these rules, interest copy keeps to exclude: it counts no event holding an excluded term)',
      ),
    locales: z
      .array(
        z
          .string()
          .min(2)
          .max(35)
          // Read as a profile's locale is (`fr_FR` is fr-FR); one that is no locale would match nobody.
          .refine((l) => canonicalLocale(l) !== undefined, 'must be a BCP 47 locale tag such as fr or fr-CA'),
      )
      .min(1)
      .optional()
      .describe('e.g. [en, fr-CA]; "fr" covers fr-*'),
    attributes: z
      .record(
        z.string().regex(/^[^$.]{1,64}$/, 'an attribute name has 1-64 characters without "$" or "."'),
        z.union([z.string(), z.number(), z.boolean()]).or(z.array(z.union([z.string(), z.number(), z.boolean()]))),
      )
      .optional()
      .describe('User attributes that must equal the value (or one of the listed values)'),
    lastActiveWithinDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .describe('Who the campaign targets; consent for the channel is always required');

const content = z
  .object({
    topK: z.number().int().min(1).max(20).default(1).describe('Journeys the message may show (1 for a nudge)'),
    diversificationPenalty: z.number().gt(0).max(1).default(0.95),
    includeRelated: z.boolean().default(false).describe('Whether related journeys may appear beside each journey'),
    endedJourneys: z
      .enum(ENDED_JOURNEY_MODES)
      .default('when-none-ongoing')
      .describe(
        'Ended journeys as subjects: only for a user with no ongoing journey (when-none-ongoing), or alongside the ongoing ones in rank order (alongside)',
      ),
  })
  .strict();

const copyLimits = z
  .object({
    titleMaxChars: z.number().int().min(10).max(200).optional(),
    bodyMaxChars: z.number().int().min(10).max(1000).optional(),
    subjectMaxChars: z.number().int().min(10).max(200).optional(),
    preheaderMaxChars: z.number().int().min(10).max(300).optional(),
    introMaxChars: z.number().int().min(20).max(2000).optional(),
  })
  .strict();

const copy = z
  .object({
    variant: z.enum(COPY_VARIANTS).describe('interest (baseline), journey-template or journey-llm'),
    tone: z.string().min(1).max(80).default('friendly').describe('How LLM copy should sound'),
    limits: copyLimits.optional(),
    promptVersion: z.string().optional().describe('Pin a copy prompt version (the current one when absent)'),
    allowUrls: z.boolean().default(false).describe('Whether LLM copy may contain URLs'),
    allowHtml: z
      .boolean()
      .default(false)
      .describe(
        'Whether the LLM-written email intro may contain inline emphasis: <b>, <strong>, <i>, <em> and <br>, without attributes',
      ),
    budget: z
      .object({
        calls: z.number().int().min(0).optional(),
        tokens: z.number().int().min(0).optional(),
      })
      .strict()
      .optional()
      .describe('LLM calls and tokens one run may spend (configured defaults when absent)'),
  })
  .strict();

const frequencyCap = z
  .object({
    max: z.number().int().min(1).max(1000),
    withinHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    scope: z.enum(['campaign', 'channel']).default('channel').describe('This campaign only, or all of the channel'),
  })
  .strict();

const quietHours = z
  .object({
    start: z.string().regex(CLOCK, 'must be a time as HH:MM'),
    end: z.string().regex(CLOCK, 'must be a time as HH:MM'),
    whenQuiet: z.enum(['delay', 'drop']).default('delay').describe("Wait for the window's end, or drop the message"),
  })
  .strict()
  .describe("A window in each user's time zone when nothing is sent");

const WEBHOOK_URL = 'webhook.url must be an absolute http or https URL, e.g. https://api.example.com/hooks/journeycast';
const WEBHOOK_CREDENTIALS =
  'webhook.url must not carry a user name or password: no message can be sent to such a URL. ' +
  'The receiver authenticates each message by its Journeycast-Signature (WEBHOOK_SIGNING_SECRET) instead';

const webhook = z
  .object({
    url: z
      .string({
        error: (issue) =>
          issue.input === undefined ? 'webhook.url is required (an absolute http or https URL)' : WEBHOOK_URL,
      })
      .refine((value) => /^https?:$/.test(protocolOf(value)), WEBHOOK_URL)
      // fetch refuses to build a request to such a URL, so the webhook channel fails every message.
      .refine((value) => !hasCredentials(value), WEBHOOK_CREDENTIALS)
      .meta({ format: 'uri' })
      .describe('Absolute http or https URL the signed POST goes to'),
  })
  .strict()
  .describe(
    "Deliver through the webhook instead: one signed POST per user to this URL, with the message rendered for the campaign's channel",
  );

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The URL's scheme (`https:`), or empty when it is not an absolute URL. */
const protocolOf = (value: string): string => parseUrl(value)?.protocol ?? '';

/** Whether the URL names a user or a password (`https://user:pass@host/`). */
function hasCredentials(value: string): boolean {
  const url = parseUrl(value);
  return Boolean(url && (url.username || url.password));
}

const experimentVariant = z
  .object({
    id: id('a variant id'),
    weight: z.number().gt(0).describe('Relative share of assigned users'),
    copy: z.enum(COPY_VARIANTS),
    template: templateRef.optional(),
    promptVersion: z.string().optional(),
  })
  .strict();

const analysis = z
  .object({
    alpha: z.number().gt(0).lt(0.5).optional().describe('Significance level (0.05: 95% intervals)'),
    correction: z
      .enum(CORRECTION_METHODS)
      .optional()
      .describe('Multiple-comparison correction over secondary metrics (holm by default)'),
    sequential: z
      .object({
        tuning: z
          .number()
          .int()
          .min(100)
          .optional()
          .describe('N*: the expected users of two arms at the decision (5000 when absent)'),
      })
      .strict()
      .optional()
      .describe('Always-valid intervals, for reading the report every day (fixed-horizon when absent)'),
    minimumEvents: z.number().int().min(0).optional().describe('Fewest events of a rate in two arms before a verdict'),
    targetLift: z.number().gt(0).max(10).optional().describe('Relative lift the power estimate plans for (0.1 = +10%)'),
    power: z.number().min(0.5).lt(1).optional().describe('Power the days-to-a-decision estimate plans for'),
    prior: z
      .object({ relativeSd: z.number().gt(0).describe('Standard deviation of the relative lift, centred on 0') })
      .strict()
      .optional()
      .describe('Normal prior of the Bayesian read-out (flat when absent)'),
  })
  .strict()
  .describe('How results are read; every field has a default (see the experiments README)');

const experiment = z
  .object({
    id: id('an experiment id').optional().describe('Defaults to the campaign id'),
    version: z
      .number()
      .int()
      .min(1)
      .max(9999)
      .default(1)
      .describe('Bump to restart: a new version re-randomizes every user and counts from zero'),
    variants: z.array(experimentVariant).min(2).max(10),
    holdout: z.number().min(0).max(0.5).default(0).describe('Share of the audience that receives nothing'),
    metrics: z
      .object({
        primary: z.enum(EXPERIMENT_METRICS),
        secondary: z.array(z.enum(EXPERIMENT_METRICS)).default([]),
        guardrails: z.array(z.enum(EXPERIMENT_METRICS)).default([]),
      })
      .strict(),
    attributionWindowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(72),
    minimumSample: z.number().int().min(1).default(100).describe('Users per variant before a verdict'),
    analysis: analysis.optional(),
  })
  .strict();

export const campaignDefinitionSchema = z
  .object({
    id: id('a campaign id'),
    name: z.string().min(1).max(120),
    owner: z.string().min(1).max(120).describe('Who answers for the campaign (a team or an email)'),
    description: z.string().max(2000).optional(),
    channel: z.enum(CHANNELS),
    category: id('a category').optional().describe('Unsubscribe category (defaults to the campaign id)'),
    schedule,
    audience: audience.default({}),
    content: content.default({
      topK: 1,
      diversificationPenalty: 0.95,
      includeRelated: false,
      endedJourneys: 'when-none-ongoing',
    }),
    template: templateRef,
    copy,
    frequencyCaps: z.array(frequencyCap).max(10).default([]),
    quietHours: quietHours.optional(),
    sendRate: z
      .number()
      .positive()
      .max(100_000)
      .optional()
      .describe(
        'Messages per second the campaign sends at most, across all workers (fractions allowed: 0.5 is one every 2 s); absent, DELIVERY_RATE_CAMPAIGN',
      ),
    experiment: experiment.optional(),
    webhook: webhook.optional(),
  })
  .strict();

/** A validated campaign definition, with defaults filled in. */
export type CampaignDefinition = z.output<typeof campaignDefinitionSchema>;
export type CampaignChannel = (typeof CHANNELS)[number];
export type CopyVariant = (typeof COPY_VARIANTS)[number];
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];
export type CampaignSchedule = CampaignDefinition['schedule'];
export type CampaignAudience = CampaignDefinition['audience'];
export type JourneyRules = NonNullable<CampaignAudience['journeys']>;
export type CopySettings = CampaignDefinition['copy'];
export type ExperimentDefinition = NonNullable<CampaignDefinition['experiment']>;
export type ExperimentVariant = ExperimentDefinition['variants'][number];

/** The JSON Schema of a definition as written (inputs, so defaulted fields are optional), for editors. */
export function campaignJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(campaignDefinitionSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    title: 'Journeycast campaign',
    description: 'A campaign definition: one YAML file per campaign in the campaigns/ folder.',
  };
}
