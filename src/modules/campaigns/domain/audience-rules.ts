import { journeyTerms, localeTags, normalizeTerm, tagsMatching } from '../../audience/domain/audience-facts';
import { AttributeScalar, AudienceQuery } from '../../audience/domain/audience-query';
import { CampaignDefinition, JourneyRules } from './campaign-definition';

const DAY_MS = 86_400_000;

/** A rule a user or journey failed: the field of the definition, the value found, and what was expected. */
export interface RuleFailure {
  rule: string;
  value: unknown;
  expected: string;
}

/** The journey facts the rules read. */
export interface RuleJourney {
  name: string;
  keywords: ReadonlyArray<{ text: string }>;
  stage: 'ongoing' | 'ended';
  type: 'situational' | 'evergreen';
  confidence: number;
}

/** Whether the campaign needs a qualifying journey: journey rules, or any copy (main or experiment arm) about journeys. */
export function needsJourney(definition: CampaignDefinition): boolean {
  const variants = [definition.copy.variant, ...(definition.experiment?.variants.map((v) => v.copy) ?? [])];
  return definition.audience.journeys !== undefined || variants.some((v) => v !== 'interest');
}

/** A rule's locale as `localeTags` writes a user's: lower case, `fr_FR` read as `fr-fr`. */
const localeTag = (locale: string) => locale.toLowerCase().replace(/_/g, '-');

const terms = (list: readonly string[] | undefined) => list?.map(normalizeTerm).filter(Boolean);

/** The first journey rule a journey fails, or undefined when it qualifies as a subject. */
export function journeyRuleFailure(journey: RuleJourney, rules: JourneyRules | undefined): RuleFailure | undefined {
  if (!rules) return undefined;
  const base = 'audience.journeys';
  if (rules.stages && !rules.stages.includes(journey.stage)) {
    return { rule: `${base}.stages`, value: journey.stage, expected: rules.stages.join(' or ') };
  }
  if (rules.types && !rules.types.includes(journey.type)) {
    return { rule: `${base}.types`, value: journey.type, expected: rules.types.join(' or ') };
  }
  if (rules.minConfidence !== undefined && journey.confidence < rules.minConfidence) {
    return { rule: `${base}.minConfidence`, value: journey.confidence, expected: `at least ${rules.minConfidence}` };
  }
  const own = new Set(journeyTerms(journey.name, journey.keywords));
  const include = terms(rules.include);
  if (include && !include.some((t) => own.has(t))) {
    return { rule: `${base}.include`, value: journey.name, expected: `one of ${rules.include!.join(', ')}` };
  }
  const excluded = excludedTerm(own, rules.exclude);
  if (excluded) return { rule: `${base}.exclude`, value: journey.name, expected: `not "${excluded}"` };
  return undefined;
}

/** The first of `exclude` that terms of a journey (`journeyTerms`) hold. */
function excludedTerm(own: ReadonlySet<string>, exclude: readonly string[] | undefined): string | undefined {
  return terms(exclude)?.find((t) => own.has(t));
}

/**
 * The first term of the campaign's `audience.journeys.exclude` that these texts (an event's keywords, an
 * interest) hold as a journey's name and keywords would, or undefined: what no arm's subject may be about.
 */
export function excludedBy(texts: readonly string[], rules: JourneyRules | undefined): string | undefined {
  if (!rules?.exclude) return undefined;
  return excludedTerm(
    new Set(
      journeyTerms(
        '',
        texts.map((text) => ({ text })),
      ),
    ),
    rules.exclude,
  );
}

/** The facts of one user the profile rules read. */
export interface RuleUser {
  locale?: string;
  attributes: Record<string, unknown>;
  lastActiveAt?: Date;
}

function matchesAttribute(value: unknown, wanted: AttributeScalar | AttributeScalar[]): boolean {
  return (Array.isArray(wanted) ? wanted : [wanted]).some((w) => w === value);
}

/** The first profile rule (locales, attributes, last activity) the user fails, or undefined. */
export function userRuleFailure(user: RuleUser, definition: CampaignDefinition, now: Date): RuleFailure | undefined {
  const { locales, attributes, lastActiveWithinDays } = definition.audience;
  if (locales) {
    const wanted = locales.map(localeTag);
    if (!localeTags(user.locale).some((tag) => wanted.includes(tag))) {
      return { rule: 'audience.locales', value: user.locale ?? null, expected: `one of ${locales.join(', ')}` };
    }
  }
  for (const [name, wanted] of Object.entries(attributes ?? {})) {
    if (!matchesAttribute(user.attributes[name], wanted)) {
      const expected = Array.isArray(wanted) ? `one of ${wanted.join(', ')}` : String(wanted);
      return { rule: `audience.attributes.${name}`, value: user.attributes[name] ?? null, expected };
    }
  }
  if (lastActiveWithinDays !== undefined) {
    const since = now.getTime() - lastActiveWithinDays * DAY_MS;
    if (!user.lastActiveAt || user.lastActiveAt.getTime() < since) {
      return {
        rule: 'audience.lastActiveWithinDays',
        value: user.lastActiveAt?.toISOString() ?? 'never',
        expected: `active within ${lastActiveWithinDays} days`,
      };
    }
  }
  return undefined;
}

/** The campaign's audience as conditions on audience facts (consent included unless `withoutConsent`). */
export function audienceQueryOf(
  definition: CampaignDefinition,
  options: { now: Date; allowSensitive: boolean; withheldTerms?: readonly string[]; withoutConsent?: boolean },
): AudienceQuery {
  const { locales, attributes, lastActiveWithinDays, journeys } = definition.audience;
  const query: AudienceQuery = {};
  if (!options.withoutConsent) query.consentFor = definition.channel;
  if (definition.webhook) query.consentOnly = true;
  if (lastActiveWithinDays !== undefined) {
    query.lastActiveSince = new Date(options.now.getTime() - lastActiveWithinDays * DAY_MS);
  }
  if (locales) query.locales = [...new Set(locales.map(localeTag))];
  if (attributes) {
    query.attributes = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  }
  if (needsJourney(definition)) {
    const rules = { ...journeys, allowSensitive: options.allowSensitive };
    query.journey = {
      ...rules,
      at: options.now,
      // A stage is read at `now` (a journey ongoing when built may have ended since): tags leave it open.
      tags: tagsMatching({ ...rules, stages: undefined }),
      include: terms(journeys?.include),
      exclude: terms(journeys?.exclude),
      withheld: terms(options.withheldTerms),
    };
  }
  return query;
}
