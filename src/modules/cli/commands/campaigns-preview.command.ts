import { Command } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { AudienceEstimateService } from '../../campaigns/audience-estimate.service';
import { CampaignMessagesModule } from '../../campaigns/campaign-messages.module';
import { CampaignPreviewService } from '../../campaigns/campaign-preview.service';
import { CampaignsModule } from '../../campaigns/campaigns.module';
import { CampaignsService } from '../../campaigns/campaigns.service';
import { ComposedMessage } from '../../campaigns/domain/compose-result';
import { toEstimateResponse } from '../../campaigns/dto/estimate-response.dto';
import { toPreviewResponse } from '../../campaigns/dto/preview.dto';
import { instantOption } from '../option-values';
import { group } from '../program';
import { reportCampaignError } from './campaigns-state.command';
import { formatEstimate, formatMessage, formatSample } from './campaigns-output';
import { requireKnownUser } from './known-user';

interface PreviewOptions {
  user?: string;
  sample?: number;
  variant?: string;
  now?: Date;
  json?: boolean;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error('--sample must be a positive integer');
  return n;
}

/** `journeycast campaigns preview <id> --user <id> | --sample <n>` and `campaigns estimate <id>`. */
export function registerCampaignPreviewCommands(program: Command): void {
  const campaigns = group(program, 'campaigns');
  campaigns
    .command('preview <campaignId>')
    .description('Render what a user would receive (or why they are skipped), or a table for a random sample')
    .option('--user <userId>', 'the user to preview')
    .option('--sample <n>', 'instead: render for n random eligible users', positive)
    .option('--variant <id>', "an experiment variant's id (the campaign's own copy by default)")
    .option('--now <instant>', 'compose as of this ISO-8601 instant, with its time zone', instantOption('--now'))
    .option('--json', 'print JSON (the API response)')
    .action(async (campaignId: string, options: PreviewOptions) => {
      if ((options.user === undefined) === (options.sample === undefined)) {
        throw new Error('give either --user <userId> or --sample <n>');
      }
      const previewOptions = { variantId: options.variant, now: options.now };
      try {
        // Unsubscribes and the suppression list skip users here as they do in the API and in sends.
        const { PreferenceGuardsModule } = await import('../../tracking/preference-guards.module');
        const output = await withCommandContext(
          [CampaignMessagesModule, PreferenceGuardsModule],
          async (context) => {
            const previews = context.get(CampaignPreviewService);
            if (options.sample !== undefined) {
              const sample = await previews.previewSample(campaignId, options.sample, previewOptions);
              return options.json
                ? JSON.stringify(toPreviewResponse(campaignId, sample), null, 2)
                : formatSample(sample);
            }
            const result = await previews.previewUser(campaignId, options.user!, previewOptions);
            if (result.status === 'skip' && result.skip.code === 'no-profile') {
              await requireKnownUser(context, result.userId);
            }
            if (options.json) return JSON.stringify(toPreviewResponse(campaignId, result), null, 2);
            const { experiment } = (await context.get(CampaignsService).getUsable(campaignId)).definition;
            const arms = options.variant === undefined ? (experiment?.variants.map((v) => v.id) ?? []) : [];
            return result.status === 'message'
              ? formatMessage(result.message as ComposedMessage, arms)
              : `${campaignId}: user ${result.userId} would be skipped (${result.skip.code}): ${result.skip.message}`;
          },
          { redis: true },
        );
        console.log(output);
      } catch (error) {
        reportCampaignError(error, { variant: '--variant', sample: '--sample' });
      }
    });
  campaigns
    .command('estimate <campaignId>')
    .description(
      'Audience size before launch, by stage, locale and channel consent (index-backed; sampled on large populations)',
    )
    .option('--exact', 'count every user even on a large population (no sample)')
    .option('--json', 'print JSON (the API response)')
    .action(async (campaignId: string, options: { exact?: boolean; json?: boolean }) => {
      try {
        const estimate = await withCommandContext([CampaignsModule], async (context) => {
          const campaign = await context.get(CampaignsService).getUsable(campaignId);
          return context
            .get(AudienceEstimateService)
            .estimate(campaign.definition, new Date(), { exact: options.exact });
        });
        console.log(options.json ? JSON.stringify(toEstimateResponse(estimate), null, 2) : formatEstimate(estimate));
      } catch (error) {
        reportCampaignError(error);
      }
    });
}
