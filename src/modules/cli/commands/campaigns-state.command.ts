import { Command } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { CampaignsModule } from '../../campaigns/campaigns.module';
import { CampaignsService } from '../../campaigns/campaigns.service';
import { CampaignError, CampaignFieldError } from '../../campaigns/domain/campaign.errors';
import { DefinitionProblem, formatProblem } from '../../campaigns/domain/load-definition';
import { toCampaignSummary } from '../../campaigns/dto/campaign-response.dto';
import { exitCodeOf } from '../exit-codes';
import { group } from '../program';
import { cliActor } from './campaigns-definitions.command';
import { formatCampaignList, formatPaused } from './campaigns-output';

/**
 * Prints a campaign error (with the problems of an invalid one) and sets its exit code (see exit-codes.ts). A bad
 * request field is named by its command-line option in `options` (`variant` as `--variant`).
 */
export function reportCampaignError(error: unknown, options: Record<string, string> = {}): void {
  if (!(error instanceof CampaignError)) throw error;
  const option = error instanceof CampaignFieldError && options[error.field];
  console.error(option ? `${option} ${(error as CampaignFieldError).complaint}.` : error.message);
  for (const problem of (error.details ?? []) as DefinitionProblem[]) console.error(`  ${formatProblem(problem)}`);
  process.exitCode = exitCodeOf(error);
}

/** `journeycast campaigns sync|list|activate|pause`: campaign state in MongoDB, recorded with who and when. */
export function registerCampaignStateCommands(program: Command): void {
  const campaigns = group(program, 'campaigns');
  campaigns
    .command('sync')
    .description(
      'Load the campaigns folder into MongoDB: created, updated, unchanged, invalid, archived (file gone), restored (file back)',
    )
    .action(async () => {
      const report = await withCommandContext([CampaignsModule], (c) => c.get(CampaignsService).sync(cliActor()));
      for (const entry of report.campaigns) {
        console.log(`${entry.action.padEnd(9)} ${entry.campaignId}`);
        for (const problem of entry.problems) console.log(`  ${formatProblem(problem)}`);
        for (const warning of entry.warnings) console.log(`  warning: ${warning}`);
      }
      if (report.campaigns.some((c) => c.action === 'invalid')) process.exitCode = 2;
    });
  campaigns
    .command('list')
    .description('List synced campaigns by id, with their name, state, channel and content hash')
    .option('--json', 'one JSON object per line (the fields of GET /v1/campaigns) instead of a table')
    .action(async (options: { json?: boolean }) => {
      const list = await withCommandContext([CampaignsModule], (c) => c.get(CampaignsService).list());
      if (list.length === 0) {
        console.error('no campaigns: run `journeycast campaigns sync`');
        return;
      }
      const rows = list.map(toCampaignSummary);
      console.log(options.json ? rows.map((row) => JSON.stringify(row)).join('\n') : formatCampaignList(rows));
    });
  campaigns
    .command('activate <campaignId>')
    .description('Activate a valid campaign')
    .action(async (campaignId: string) => {
      try {
        const campaign = await withCommandContext([CampaignsModule], (c) =>
          c.get(CampaignsService).activate(campaignId, cliActor()),
        );
        console.log(`${campaign.campaignId}: ${campaign.state}`);
      } catch (error) {
        reportCampaignError(error);
      }
    });
  campaigns
    .command('pause <campaignId>')
    .description('Pause a campaign: it starts no more runs; lists the runs it already started, which go on sending')
    .action(async (campaignId: string) => {
      try {
        const [campaign, runs] = await withCommandContext([CampaignsModule], async (c) => {
          const service = c.get(CampaignsService);
          const paused = await service.pause(campaignId, cliActor());
          return [paused, await service.runsInProgress(campaignId)] as const;
        });
        console.log(formatPaused(campaign.campaignId, campaign.state, runs));
      } catch (error) {
        reportCampaignError(error);
      }
    });
}
