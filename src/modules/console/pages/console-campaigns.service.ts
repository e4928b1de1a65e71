import { Injectable } from '@nestjs/common';
import { AudienceEstimate, AudienceEstimateService } from '../../campaigns/audience-estimate.service';
import { figureText } from '../../campaigns/domain/estimate-sample';
import { CampaignPreviewService } from '../../campaigns/campaign-preview.service';
import { CampaignRepository } from '../../campaigns/campaign.repository';
import { CampaignRecord } from '../../campaigns/campaign.schema';
import { CampaignsService } from '../../campaigns/campaigns.service';
import { CampaignError } from '../../campaigns/domain/campaign.errors';
import { ComposeResult } from '../../campaigns/domain/compose-result';
import { experimentIdOf } from '../../experiments/domain/campaign-experiment';
import { decodeCursor, Page, pageOf } from '../domain/keyset';
import { describeNextRun, describeSchedule } from '../domain/schedule-summary';
import { ConsoleSession } from '../session/console-sessions.service';

export const PAGE_SIZE = 25;
const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface CampaignRow {
  campaignId: string;
  name?: string;
  state: string;
  channel?: string;
  schedule: string;
  nextRun: string;
  valid: boolean;
}

function rowOf(c: CampaignRecord, now: Date): CampaignRow {
  const schedule = c.definition?.schedule;
  return {
    campaignId: c.campaignId,
    name: c.definition?.name,
    state: c.state,
    channel: c.definition?.channel,
    schedule: schedule ? describeSchedule(schedule) : 'no valid definition',
    nextRun: schedule ? describeNextRun(schedule, c.state, now) : 'never',
    valid: c.definition !== undefined && c.problems.length === 0,
  };
}

/** The campaigns' view models: pages of the list, one campaign with its estimate and a preview. */
@Injectable()
export class ConsoleCampaignsService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly repository: CampaignRepository,
    private readonly estimates: AudienceEstimateService,
    private readonly previews: CampaignPreviewService,
  ) {}

  async page(cursor: string | undefined, now = new Date()): Promise<Page<CampaignRow>> {
    const rows = await this.repository.findPage(decodeCursor(cursor), PAGE_SIZE + 1);
    return pageOf(
      rows.map((c) => rowOf(c, now)),
      PAGE_SIZE,
      (r) => r.campaignId,
    );
  }

  async detail(campaignId: string, preview: { userId?: string; variant?: string }, now = new Date()) {
    const campaign = await this.campaigns.get(checkedId(campaignId));
    const usable = campaign.state !== 'archived' && campaign.definition !== undefined;
    const [changes, estimate] = await Promise.all([
      this.repository.findChanges(campaign.campaignId, 20),
      usable ? this.estimates.estimate(campaign.definition!, now) : Promise.resolve(undefined),
    ]);
    const experiment = campaign.definition?.experiment;
    return {
      campaign,
      row: rowOf(campaign, now),
      definition: campaign.definition && JSON.stringify(campaign.definition, null, 2),
      estimate: estimate && estimateView(estimate),
      changes,
      experimentId: experiment ? experimentIdOf({ id: campaign.campaignId, experiment }) : undefined,
      variants: experiment?.variants.map((v) => v.id) ?? [],
      canActivate: usable && campaign.state !== 'active' && campaign.problems.length === 0,
      canPause: campaign.state === 'active',
      usable,
      preview: usable && preview.userId ? await this.preview(campaign.campaignId, preview, now) : undefined,
    };
  }

  activate(campaignId: string, session: ConsoleSession): Promise<CampaignRecord> {
    return this.campaigns.activate(checkedId(campaignId), actorOf(session));
  }

  pause(campaignId: string, session: ConsoleSession): Promise<CampaignRecord> {
    return this.campaigns.pause(checkedId(campaignId), actorOf(session));
  }

  /** The ids of the campaign's runs that go on sending (scheduled or running), newest first. */
  async runsInProgress(campaignId: string): Promise<string[]> {
    return (await this.campaigns.runsInProgress(checkedId(campaignId))).map((run) => run.runId);
  }

  /** A preview, or what is wrong with the asked one: shown by the preview form, which keeps what was typed. */
  private async preview(campaignId: string, input: { userId?: string; variant?: string }, now: Date) {
    const userId = input.userId!.trim();
    const variantId = input.variant ? input.variant : undefined;
    if (userId.length === 0 || userId.length > 256) {
      return { userId: input.userId, variant: variantId, error: 'user must be a user id of 1 to 256 characters' };
    }
    try {
      const result = await this.previews.previewUser(campaignId, userId, { variantId, now });
      return { userId, variant: variantId, ...previewView(result) };
    } catch (error) {
      if (!(error instanceof CampaignError) || error.code !== 'campaign.bad-request') throw error;
      return { userId, variant: variantId, error: error.message };
    }
  }
}

/** Console actions are audited like API calls, under the key that signed in. */
export const actorOf = (session: ConsoleSession) => `console:key:${session.keyId}`;

function checkedId(campaignId: string): string {
  if (!CAMPAIGN_ID.test(campaignId)) throw new CampaignError('campaign.not-found', `campaign ${campaignId} not found`);
  return campaignId;
}

/** Every figure as it reads: the count, or "about N (± M)" when the estimate sampled. */
function estimateView(e: AudienceEstimate) {
  const i = e.intervals;
  return {
    ...e,
    text: {
      total: figureText(e.total, i?.total),
      consented: figureText(e.byConsent.consented, i?.consented),
      withoutConsent: figureText(e.byConsent.withoutConsent, i?.withoutConsent),
      unsubscribed: figureText(e.byConsent.unsubscribed, i?.unsubscribed),
      ongoing: figureText(e.byStage.ongoing, i?.ongoing),
      other: figureText(e.byStage.other, i?.other),
    },
    byLocale: e.byLocale.map((l) => ({ locale: l.locale ?? '(none)', users: figureText(l.users, l.interval) })),
  };
}

/** What the CLI's preview prints, as fields of a page: the message's parts and facts, or why the user is skipped. */
function previewView(result: ComposeResult) {
  if (result.status === 'skip') return { skip: result.skip, variantUsed: result.variant };
  const m = result.message;
  const copy =
    m.copy.source === 'llm'
      ? `llm (${m.copy.promptVersion}, ${m.copy.model}${m.copy.cacheHit ? ', cached' : ''})`
      : m.copy.fallbackReason
        ? `template (fallback: ${m.copy.fallbackReason})`
        : 'template';
  return {
    message: m,
    copy,
    push: m.rendered.channel === 'push' ? m.rendered : undefined,
    email: m.rendered.channel === 'email' ? m.rendered : undefined,
  };
}
