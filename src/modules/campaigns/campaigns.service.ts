import { Injectable, Logger } from '@nestjs/common';
import { experimentIdOf } from '../experiments/domain/campaign-experiment';
import { CampaignRecord } from './campaign.schema';
import { CampaignDefinitionsService, CheckedFile } from './campaign-definitions.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignState, SyncAction, syncActionOf } from './domain/campaign-state';
import { CampaignError } from './domain/campaign.errors';
import { DefinitionProblem } from './domain/load-definition';
import { CampaignRunRecord } from './runs/campaign-run.schema';
import { oncePassed } from './runs/domain/run-schedule';
import { RunsInProgress } from './runs-in-progress';

export interface SyncReport {
  campaigns: Array<{
    campaignId: string;
    file?: string;
    action: SyncAction;
    problems: DefinitionProblem[];
    /** What the sync left that will not do what one may expect: an active one-off campaign whose instant has passed. */
    warnings: string[];
  }>;
}

/** Campaign state: sync from the campaigns folder, listing, and activation and pausing with an audit trail. */
@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly definitions: CampaignDefinitionsService,
    private readonly runs: RunsInProgress,
  ) {}

  list(): Promise<CampaignRecord[]> {
    return this.campaigns.findAll();
  }

  async get(campaignId: string): Promise<CampaignRecord> {
    const campaign = await this.campaigns.findById(campaignId);
    if (!campaign) throw new CampaignError('campaign.not-found', `campaign ${campaignId} not found`);
    return campaign;
  }

  /** A campaign that can compose messages: it exists, is not archived and has a valid definition. */
  async getUsable(
    campaignId: string,
  ): Promise<CampaignRecord & { definition: NonNullable<CampaignRecord['definition']> }> {
    const campaign = await this.get(campaignId);
    if (campaign.state === 'archived') {
      throw new CampaignError('campaign.archived', `campaign ${campaignId} is archived`);
    }
    if (!campaign.definition) {
      throw new CampaignError('campaign.invalid', `campaign ${campaignId} has no valid definition`, campaign.problems);
    }
    return campaign as CampaignRecord & { definition: NonNullable<CampaignRecord['definition']> };
  }

  /** Loads the campaigns folder into MongoDB: new, changed, unchanged, invalid, and removed files (archived). */
  async sync(actor: string, now = new Date()): Promise<SyncReport> {
    const checked = await this.definitions.checkFiles(await this.definitions.listFiles());
    const byId = new Map<string, CheckedFile>();
    const report: SyncReport = { campaigns: [] };
    for (const file of checked) {
      const clash = byId.get(file.campaignId);
      if (clash) {
        file.problems.push({
          file: file.file,
          line: 1,
          column: 1,
          path: 'id',
          kind: 'rule',
          message: `the id ${file.campaignId} is already used by ${clash.file}`,
        });
        file.definition = undefined;
      }
      byId.set(file.campaignId, file);
    }
    const stored = new Map((await this.campaigns.findAll()).map((c) => [c.campaignId, c]));
    refuseSharedExperiments([...byId.values()], [...stored.values()]);
    for (const id of new Set([...byId.keys(), ...stored.keys()])) {
      const file = byId.get(id);
      const before = stored.get(id);
      const action = await this.syncOne(before, id, file, actor, now);
      const warnings: string[] = [];
      const schedule = file?.definition?.schedule;
      // A changed definition of an active campaign is scheduled as it is; an instant already past starts nothing.
      if (
        action === 'updated' &&
        before?.state === 'active' &&
        schedule?.type === 'once' &&
        oncePassed(schedule, now)
      ) {
        warnings.push(
          `schedule.at ${schedule.at} has passed: the campaign stays active but will not start; run it now with \`journeycast campaigns run ${id}\``,
        );
      }
      report.campaigns.push({ campaignId: id, file: file?.file, action, problems: file?.problems ?? [], warnings });
    }
    report.campaigns.sort((a, b) => a.campaignId.localeCompare(b.campaignId));
    return report;
  }

  /**
   * Syncs one campaign from what was read of it. Its write expects the campaign as read (absent, or last synced
   * then); when another sync wrote it meanwhile, the campaign is read again and decided on what that sync left,
   * so of two syncs at once one reports a change and records it, and the other finds it unchanged.
   */
  private async syncOne(
    stored: CampaignRecord | undefined,
    campaignId: string,
    file: CheckedFile | undefined,
    actor: string,
    now: Date,
  ): Promise<SyncAction> {
    for (;;) {
      const action = await this.writeSynced(stored, campaignId, file, actor, now);
      if (action) return action;
      stored = await this.campaigns.findById(campaignId);
    }
  }

  /** The action, or undefined when another sync wrote the campaign since `stored` was read. */
  private async writeSynced(
    stored: CampaignRecord | undefined,
    campaignId: string,
    file: CheckedFile | undefined,
    actor: string,
    now: Date,
  ): Promise<SyncAction | undefined> {
    const valid = file !== undefined && file.problems.length === 0 && file.definition !== undefined;
    const action = syncActionOf(stored, file && { valid, contentHash: file.contentHash });
    if (action === 'unchanged') return action;
    const fromState = stored?.state;
    let toState: CampaignState = stored?.state ?? 'paused';
    if (action === 'archived') toState = 'archived';
    // A restored campaign comes back paused: someone must decide to send it again.
    if (action === 'restored') toState = 'paused';
    // The state is written only when the sync moves it: a pause or an activation made since the read stands.
    const fields: Partial<CampaignRecord> = { syncedAt: now };
    if (file) fields.file = file.file;
    if (action === 'invalid') fields.problems = file!.problems;
    else if (file) Object.assign(fields, { definition: file.definition, contentHash: file.contentHash, problems: [] });
    if (toState !== fromState) Object.assign(fields, { state: toState, stateChangedAt: now, stateChangedBy: actor });
    const insertOnly = { createdAt: now, stateChangedAt: now, stateChangedBy: actor };
    const written = await this.campaigns.saveSynced(campaignId, fields, insertOnly, stored?.syncedAt);
    if (!written) return undefined;
    await this.campaigns.recordChange({
      campaignId,
      at: now,
      actor,
      action,
      fromState,
      toState,
      contentHash: fields.contentHash ?? stored?.contentHash,
    });
    this.logger.log(
      `campaign ${campaignId}: ${action}${toState !== fromState ? ` (${fromState ?? 'new'} -> ${toState})` : ''}`,
    );
    return action;
  }

  /** Activates a campaign whose stored definition is valid and whose templates still check out. */
  async activate(campaignId: string, actor: string, now = new Date()): Promise<CampaignRecord> {
    const campaign = await this.getUsable(campaignId);
    if (campaign.problems.length > 0) {
      throw new CampaignError(
        'campaign.invalid',
        `campaign ${campaignId} has problems and cannot be activated`,
        campaign.problems,
      );
    }
    // Templates change outside sync: check them again against the render context now.
    const problems = this.definitions.templateProblems(campaign.definition, () => ({
      file: campaign.file,
      line: 1,
      column: 1,
    }));
    if (problems.length > 0) {
      throw new CampaignError('campaign.invalid', `campaign ${campaignId} uses templates with problems`, problems);
    }
    const schedule = campaign.definition.schedule;
    // The scheduler fires a one-off instant only within its grace: an active campaign past it would start nothing.
    if (campaign.state !== 'active' && schedule.type === 'once' && oncePassed(schedule, now)) {
      const problem: DefinitionProblem = {
        ...(await this.definitions.locate(campaign.file, ['schedule', 'at'])),
        path: 'schedule.at',
        kind: 'rule',
        message: `${schedule.at} has passed: give it a later instant, or run the campaign now`,
      };
      throw new CampaignError(
        'campaign.schedule-passed',
        `campaign ${campaignId} cannot be activated: schedule.at ${schedule.at} has passed, so it would start nothing; run it now with \`journeycast campaigns run ${campaignId}\`, or give it a later schedule.at`,
        [problem],
      );
    }
    return this.move(campaign, 'active', actor, now);
  }

  async pause(campaignId: string, actor: string, now = new Date()): Promise<CampaignRecord> {
    const campaign = await this.get(campaignId);
    if (campaign.state === 'archived') {
      throw new CampaignError('campaign.archived', `campaign ${campaignId} is archived`);
    }
    return this.move(campaign, 'paused', actor, now);
  }

  /** The campaign's runs that still send (scheduled or running), newest first: pausing the campaign stops none. */
  async runsInProgress(campaignId: string): Promise<CampaignRunRecord[]> {
    return this.runs.of(campaignId);
  }

  private async move(campaign: CampaignRecord, to: CampaignState, actor: string, now: Date): Promise<CampaignRecord> {
    if (campaign.state === to) return campaign;
    const moved = await this.campaigns.transition(
      campaign.campaignId,
      { from: campaign.state, contentHash: campaign.contentHash },
      to,
      actor,
      now,
    );
    if (!moved) {
      throw new CampaignError('campaign.conflict', `campaign ${campaign.campaignId} changed meanwhile; try again`);
    }
    await this.campaigns.recordChange({
      campaignId: campaign.campaignId,
      at: now,
      actor,
      action: to === 'active' ? 'activated' : 'paused',
      fromState: campaign.state,
      toState: to,
      contentHash: campaign.contentHash,
    });
    this.logger.log(`campaign ${campaign.campaignId}: ${campaign.state} -> ${to} by ${actor}`);
    return this.get(campaign.campaignId);
  }
}

/**
 * An experiment belongs to one campaign: its id seeds the assignment and keys its counts, so a second campaign
 * with the same experiment id would be counted into the first one's experiment. The owner is the stored campaign
 * that ran it (with a file or not: an archived campaign's experiment is kept), else the campaign whose own id
 * names it, else the first file. Any other file with that experiment id is invalid, with the problem at
 * `experiment.id`.
 */
function refuseSharedExperiments(files: readonly CheckedFile[], stored: readonly CampaignRecord[]): void {
  const owners = new Map<string, string>();
  for (const campaign of stored) {
    const experiment = campaign.definition?.experiment;
    if (experiment) owners.set(experimentIdOf({ id: campaign.campaignId, experiment }), campaign.campaignId);
  }
  const fileOf = new Map(files.map((f) => [f.campaignId, f.file]));
  const namesOwn = (f: CheckedFile) => (f.definition?.experiment?.id ?? f.campaignId) === f.campaignId;
  for (const file of [...files].sort((a, b) => Number(namesOwn(b)) - Number(namesOwn(a)))) {
    const experiment = file.definition?.experiment;
    if (!experiment) continue;
    const experimentId = experimentIdOf({ id: file.campaignId, experiment });
    const owner = owners.get(experimentId) ?? file.campaignId;
    owners.set(experimentId, owner);
    if (owner === file.campaignId) continue;
    const where = fileOf.has(owner) ? fileOf.get(owner)! : 'no file';
    file.problems.push({
      file: file.file,
      line: 1,
      column: 1,
      path: 'experiment.id',
      kind: 'rule',
      message: `the experiment ${experimentId} is already run by campaign ${owner} (${where}): give this campaign's experiment another id or version`,
    });
    file.definition = undefined;
  }
}
