import { CampaignsService } from '../../modules/campaigns/campaigns.service';
import { EstimateResponse } from '../../modules/campaigns/dto/estimate-response.dto';
import { demoCampaigns, writeCampaignFiles } from '../campaigns/demo-campaigns';
import { DemoStep } from '../demo-context';
import { callApi } from '../http-client';

/**
 * Writes the two A/B campaigns into the campaigns folder, syncs it as `journeycast campaigns sync` does,
 * then estimates and activates each one over the API.
 */
export const setUpCampaignsStep: DemoStep = {
  title: 'Campaigns: interest vs journey-llm, on push and email (campaigns sync, POST /v1/campaigns/:id:activate)',
  async run(context) {
    const campaigns = demoCampaigns(context.now, context.minimumSample);
    writeCampaignFiles(context.environment.settings.CAMPAIGNS_DIR, campaigns);
    const sync = await context.app.get(CampaignsService).sync('demo');
    for (const entry of sync.campaigns) {
      if (entry.problems.length > 0) {
        throw new Error(`campaign ${entry.campaignId} is invalid:\n${entry.problems.map((p) => p.message).join('\n')}`);
      }
      context.log(`${entry.campaignId}: ${entry.action}`);
    }
    context.campaignIds = campaigns.map((c) => String(c.id));
    context.report.campaigns = {};
    for (const id of context.campaignIds) {
      const estimate = await callApi<EstimateResponse>(
        context.baseUrl,
        context.tokens.admin,
        'GET',
        `/v1/campaigns/${id}/estimate`,
      );
      await callApi(context.baseUrl, context.tokens.admin, 'POST', `/v1/campaigns/${id}:activate`);
      context.report.campaigns[id] = { audience: estimate.total, ...estimate.byConsent };
      context.log(`${id}: activated; ${estimate.total} users in its audience (${JSON.stringify(estimate.byConsent)})`);
    }
  },
};
