import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emailsInInbox, pushesInOutbox } from '../audience/received-messages';
import { EMAIL_CAMPAIGN_ID } from '../campaigns/demo-campaigns';
import { DemoContext, DemoStep, DemoStopped } from '../demo-context';
import { callApi, routeExists } from '../http-client';
import { Progress } from '../progress';

interface RunResponse {
  runId: string;
  state: string;
  counts?: { audience: number; pending: number; queued: number; sending: number; sent: number; failed: number };
  error?: string;
}

const POLL_MS = 300;
const RUN_TIMEOUT_MS = 10 * 60_000;
const FINISHED = ['completed', 'cancelled', 'failed'];

/** Starts a run of the campaign and follows it until every user of its audience is settled. */
async function run(context: DemoContext, campaignId: string): Promise<RunResponse> {
  const { baseUrl, tokens } = context;
  const started = await callApi<RunResponse>(baseUrl, tokens.admin, 'POST', '/v1/campaign-runs', { campaignId });
  const progress = new Progress(campaignId, 1);
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  try {
    for (;;) {
      const current = await callApi<RunResponse>(baseUrl, tokens.admin, 'GET', `/v1/campaign-runs/${started.runId}`);
      const c = current.counts;
      if (c) progress.set(c.audience - c.pending - c.queued - c.sending, Math.max(1, c.audience));
      if (FINISHED.includes(current.state)) return current;
      if (Date.now() > deadline) throw new Error(`run ${started.runId} did not finish in ${RUN_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    progress.stop();
  }
}

/** Prints one push from the outbox and one email from the SMTP server, as their recipients got them. */
async function showOneOfEach(context: DemoContext): Promise<void> {
  const [push] = await pushesInOutbox(context.environment.settings.DELIVERY_OUTBOX_DIR);
  if (push) {
    context.log(`One push, as written to the outbox (${push.key}):`);
    for (const line of push.headline.split('\n')) context.log(`    ${line}`);
  }
  const [mail] = context.environment.inbox.received;
  if (mail) {
    const file = join(context.environment.dataDir, 'example-email.eml');
    writeFileSync(file, mail.raw);
    const [received] = emailsInInbox(context.environment.inbox, EMAIL_CAMPAIGN_ID);
    context.log(`One email, as the SMTP server received it (saved as ${file}):`);
    context.log(`    To: ${mail.to}`);
    context.log(`    Subject: ${received.headline}`);
    context.log(`    List-Unsubscribe: ${mail.headers.get('list-unsubscribe') ?? '(none)'}`);
    context.log(
      `    Tracked: open pixel ${received.openPixelUrl ? 'yes' : 'no'}, link ${received.clickUrl ? 'yes' : 'no'}`,
    );
  }
}

/**
 * Runs both campaigns now (POST /v1/campaign-runs): the workers select each audience, assign arms,
 * compose (LLM copy for the journey arm), apply consent and caps, and deliver push to the outbox and
 * email to the SMTP server.
 */
export const sendCampaignsStep: DemoStep = {
  title: 'Send both campaigns (POST /v1/campaign-runs: fan-out and delivery on the Bull workers)',
  async run(context) {
    if (!(await routeExists(context.baseUrl, context.tokens.admin, 'POST', '/v1/campaign-runs'))) {
      throw new DemoStopped('campaign runs are not part of this build: nothing was sent, so the demo stops here');
    }
    for (const campaignId of context.campaignIds) {
      const finished = await run(context, campaignId);
      if (finished.state !== 'completed') {
        throw new Error(`run ${finished.runId} ended ${finished.state}: ${finished.error ?? 'no error recorded'}`);
      }
      context.report[campaignId] = { ...context.report[campaignId], run: finished.runId, ...finished.counts };
      context.log(`${campaignId}: run ${finished.runId} ${finished.state}: ${JSON.stringify(finished.counts)}`);
    }
    await showOneOfEach(context);
  },
};
