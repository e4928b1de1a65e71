import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { UserProfile } from '../ingest/domain/user-profile';
import { UserRepository } from '../ingest/user.repository';
import { CopyBudget, LocalCopyBudget } from '../personalization/domain/copy-budget';
import { CopyLimits, DEFAULT_COPY_LIMITS } from '../personalization/domain/copy-types';
import { PersonalizationService } from '../personalization/personalization.service';
import { excludedBy, journeyRuleFailure, needsJourney, userRuleFailure } from './domain/audience-rules';
import { CampaignDefinition } from './domain/campaign-definition';
import { ComposeResult, ComposeVariant, SkipReason } from './domain/compose-result';
import { TemplateError, TemplateErrorCode } from '../templates/domain/templates.errors';
import type { RenderedMessage } from '../templates/template.types';
import { TemplatesService } from '../templates/templates.service';
import { RecipientGuardRegistry } from './recipient-guards';
import type { RecipientSnapshot } from './recipient-snapshots';

/** Render errors caused by one recipient's values rather than by the campaign's template. */
const USER_RENDER_FAILURES: ReadonlySet<TemplateErrorCode> = new Set([
  'templates.invalid-option',
  'templates.invalid-value',
  'templates.invalid-link',
  'templates.payload-too-large',
  'templates.empty-push',
]);

/** A campaign as the composer needs it: its valid definition and content hash. */
export interface ComposableCampaign {
  definition: CampaignDefinition;
  contentHash?: string;
}

export interface ComposeOptions {
  now: Date;
  /** The experiment arm (from assignment); the campaign's own copy when absent. */
  variant?: ComposeVariant;
  /** The run's LLM budget, shared by all its users; a fresh one from the campaign's settings when absent. */
  budget?: CopyBudget;
  /** Previews: guards only look, nothing is reserved. */
  dryRun?: boolean;
  /** The recipient as the send fan-out read them ahead with their chunk; read here when absent. */
  snapshot?: RecipientSnapshot;
  /** The link nonce of the render (see RenderOptions); the fan-out shares one per chunk of users. */
  linkNonce?: string;
}

/**
 * The one code path that turns (campaign, user) into a message or a precise reason to skip: profile,
 * consent and address, registered guards, audience rules, subject and copy, then the template. Previews
 * call it now; the send fan-out calls it per recipient, then applies send-time caps and quiet hours.
 */
@Injectable()
export class CampaignMessageComposer {
  constructor(
    private readonly users: UserRepository,
    private readonly facts: AudienceFactsRepository,
    private readonly guards: RecipientGuardRegistry,
    private readonly personalization: PersonalizationService,
    private readonly templates: TemplatesService,
    private readonly config: ConfigService<Settings, true>,
  ) {}

  /** What one run of the campaign may spend on LLM copy: its copy.budget, or the configured defaults. */
  budgetLimits(definition: CampaignDefinition): { calls: number; tokens: number } {
    const defaults = this.config.get('personalization', { infer: true });
    return {
      calls: definition.copy.budget?.calls ?? defaults.maxCallsPerRun,
      tokens: definition.copy.budget?.tokens ?? defaults.maxTokensPerRun,
    };
  }

  /** An in-process budget for one run (or preview) of the campaign. */
  budgetFor(definition: CampaignDefinition): CopyBudget {
    const { calls, tokens } = this.budgetLimits(definition);
    return new LocalCopyBudget(calls, tokens);
  }

  async compose(campaign: ComposableCampaign, userId: string, options: ComposeOptions): Promise<ComposeResult> {
    const { definition } = campaign;
    const variant = options.variant ?? { id: 'default', copy: definition.copy.variant };
    const skip = (reason: SkipReason): ComposeResult => ({
      status: 'skip',
      campaignId: definition.id,
      userId,
      variant: { id: variant.id, copy: variant.copy },
      skip: reason,
    });
    const { snapshot } = options;
    const user = snapshot ? snapshot.user : await this.users.findByUserId(userId);
    if (!user) return skip({ code: 'no-profile', message: `user ${userId} has no profile` });
    const refusal = await this.eligibility(definition, user, options);
    if (refusal) return skip(refusal);
    const ref = variant.template ?? definition.template;
    const personalized = await this.personalization.personalize({
      user,
      channel: definition.channel,
      campaign: { id: definition.id, name: definition.name, category: definition.category ?? definition.id },
      variant: { id: variant.id, copy: variant.copy },
      content: definition.content,
      journeyRule: (journey) => journeyRuleFailure(journey, definition.audience.journeys),
      excluded: (texts) => excludedBy(texts, definition.audience.journeys),
      requireJourney: needsJourney(definition),
      copy: {
        ...definition.copy,
        limits: this.copyLimits(definition),
        promptVersion: variant.promptVersion ?? definition.copy.promptVersion,
      },
      copyLocale: (locale) => this.copyLocale(ref, definition.channel, locale),
      now: options.now,
      budget: options.budget ?? this.budgetFor(definition),
      ...(snapshot && { journeys: { record: snapshot.journeys }, history: snapshot.history }),
    });
    if (!personalized.ok) return skip(personalized.skip);
    const { context, subjects, copy } = personalized;
    const limits = definition.copy.limits;
    let rendered: RenderedMessage;
    try {
      rendered = this.templates.render(ref, definition.channel, context, {
        locale: context.user.locale,
        timeZone: context.user.timeZone,
        now: options.now,
        ...(options.linkNonce && { linkNonce: options.linkNonce }),
        ...(definition.channel === 'push' && {
          pushLimits: {
            ...(limits?.titleMaxChars && { titleMaxChars: limits.titleMaxChars }),
            ...(limits?.bodyMaxChars && { bodyMaxChars: limits.bodyMaxChars }),
          },
        }),
      });
    } catch (error) {
      // One user's values (a locale, an oversized message) fail this user only; a missing or broken
      // template is the campaign's problem and propagates.
      if (!(error instanceof TemplateError) || !USER_RENDER_FAILURES.has(error.code)) throw error;
      return skip({
        code: 'render-failed',
        message: error.message,
        ...(error.field && { rule: error.field }),
      });
    }
    const top = subjects[0];
    return {
      status: 'message',
      message: {
        campaignId: definition.id,
        contentHash: campaign.contentHash,
        userId,
        channel: definition.channel,
        variant: { id: variant.id, copy: variant.copy },
        subject: { kind: top.kind, id: top.id, name: top.name, ...(copy.signature && { signature: copy.signature }) },
        subjects: subjects.map((s) => ({ kind: s.kind, id: s.id, name: s.name })),
        copy,
        template: rendered.template,
        rendered,
        context,
      },
    };
  }

  /**
   * The lengths LLM copy is written to: the campaign's, and for a push the deployment's push limits where
   * they are tighter than copy's defaults, so a line the LLM writes is never cut with an ellipsis.
   */
  private copyLimits(definition: CampaignDefinition): Partial<CopyLimits> | undefined {
    const own = definition.copy.limits;
    if (definition.channel !== 'push') return own;
    const allowed = this.templates.pushLimitsAllowed;
    return {
      titleMaxChars: own?.titleMaxChars ?? Math.min(DEFAULT_COPY_LIMITS.titleMaxChars, allowed.titleMaxChars),
      bodyMaxChars: own?.bodyMaxChars ?? Math.min(DEFAULT_COPY_LIMITS.bodyMaxChars, allowed.bodyMaxChars),
    };
  }

  /** The language of the template text a recipient of `locale` gets; theirs when the template cannot tell (render says why). */
  private copyLocale(ref: string, channel: CampaignDefinition['channel'], locale: string): string {
    try {
      return this.templates.textLocale(ref, channel, locale);
    } catch (error) {
      if (error instanceof TemplateError) return locale;
      throw error;
    }
  }

  /** Consent, an address (but for a webhook), registered guards, then the profile rules of the audience. */
  private async eligibility(
    definition: CampaignDefinition,
    user: UserProfile,
    options: ComposeOptions,
  ): Promise<SkipReason | undefined> {
    const channel = definition.channel;
    if (!user.consent[channel]) {
      return { code: 'no-consent', rule: `consent.${channel}`, value: false, message: `no consent for ${channel}` };
    }
    // A webhook's receiver finds the user's contact itself: consent is enough.
    if (!definition.webhook && (channel === 'email' ? !user.email : user.pushTokens.length === 0)) {
      return { code: 'no-address', message: channel === 'email' ? 'no email address' : 'no push token' };
    }
    const guarded = await (options.snapshot?.guards ?? this.guards).firstFailure({
      campaign: definition,
      user,
      now: options.now,
      dryRun: options.dryRun === true,
    });
    if (guarded) return guarded;
    const lastActiveAt = options.snapshot
      ? options.snapshot.lastActiveAt
      : (await this.facts.findByUserId(user.userId))?.lastActiveAt;
    const failure = userRuleFailure({ ...user, lastActiveAt }, definition, options.now);
    if (failure) {
      return {
        code: 'audience-rule',
        rule: failure.rule,
        value: failure.value,
        message: `${failure.rule}: has ${JSON.stringify(failure.value)}, expected ${failure.expected}`,
      };
    }
    return undefined;
  }
}
