import { PreviewResponse } from '../../modules/campaigns/dto/preview.dto';
import { DemoStep } from '../demo-context';
import { callApi } from '../http-client';

const show = (value: unknown) =>
  String(value ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 160);

/**
 * Composes both arms of each campaign for one user of its audience (POST /v1/campaigns/:id/preview), so
 * the difference between interest copy and journey-llm copy is visible before anything is sent.
 */
export const previewMessagesStep: DemoStep = {
  title: 'What each arm writes for one user (POST /v1/campaigns/:id/preview)',
  async run(context) {
    for (const campaignId of context.campaignIds) {
      const path = `/v1/campaigns/${campaignId}/preview`;
      const sample = await callApi<PreviewResponse>(context.baseUrl, context.tokens.admin, 'POST', path, { sample: 1 });
      const userId = sample.messages?.[0]?.userId;
      if (!userId) {
        context.log(`${campaignId}: nobody to preview`);
        continue;
      }
      for (const variant of ['interest', 'journey-llm']) {
        const { preview, skip } = await callApi<PreviewResponse>(context.baseUrl, context.tokens.admin, 'POST', path, {
          userId,
          variant,
        });
        if (!preview) {
          context.log(`${campaignId} [${variant}] ${userId}: skipped (${show(skip?.code)})`);
          continue;
        }
        const m = preview.message;
        const text = 'title' in m ? `${show(m.title)} | ${show(m.body)}` : `${show(m.subject)} | ${show(m.preheader)}`;
        // Why LLM copy gave way to the template's, when it did (a rejected reply, a failed call, a spent budget).
        const why = preview.copy.fallbackReason ? `, ${show(preview.copy.fallbackReason)}` : '';
        context.log(
          `${campaignId} [${variant}] ${userId} about "${show(preview.subject.name)}" (${show(preview.copy.source)}${why}): ${text}`,
        );
      }
    }
  },
};
