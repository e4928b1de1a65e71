import { PlantedJourney } from '../../lib/synthetic/population';
import { journeysMentioned, respond } from '../audience/planted-effect';
import { emailsInInbox, pushesInOutbox, ReceivedMessage } from '../audience/received-messages';
import { EMAIL_CAMPAIGN_ID } from '../campaigns/demo-campaigns';
import { DemoContext, DemoStep, DemoStopped } from '../demo-context';
import { callApi, forEachConcurrently, routeExists } from '../http-client';
import { Progress } from '../progress';

/** What one simulated reader did with one message, kept to set the report beside. */
export interface Engagement {
  message: ReceivedMessage;
  aboutOngoingJourney: boolean;
  openChance: number;
  opened: boolean;
  clicked: boolean;
  converted: boolean;
}

/** Fetches a tracking URL as a mail client or a browser would (a redirect is where it stops: the app is not real). */
async function follow(url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status >= 400) throw new Error(`GET ${url} -> ${response.status}`);
}

async function act(context: DemoContext, engagement: Engagement): Promise<void> {
  const { message } = engagement;
  if (!engagement.opened) return;
  if (message.channel === 'push') {
    if (!message.pushOpenToken) throw new Error(`push ${message.key} carries no open token`);
    await callApi(context.baseUrl, '', 'POST', '/v1/track/push-open', { token: message.pushOpenToken });
  } else {
    if (!message.openPixelUrl) throw new Error(`email ${message.key} has no open pixel`);
    await follow(message.openPixelUrl);
  }
  if (!engagement.clicked) return;
  if (!message.clickUrl) throw new Error(`${message.channel} ${message.key} has no tracked link`);
  await follow(message.clickUrl);
  if (!engagement.converted) return;
  await callApi(context.baseUrl, context.tokens.ingest, 'POST', '/v1/conversions', {
    id: `demo-conversion-${engagement.message.key.replace(/[^\w.-]+/g, '-').slice(-120)}`,
    userId: message.userId,
    occurredAt: new Date().toISOString(),
    ...(message.campaignId && { campaignId: message.campaignId }),
  });
}

/**
 * The simulated people read what they received (pushes in the outbox, emails on the SMTP server) and
 * respond through the real tracking endpoints: push opens, open pixels, tracked clicks, conversions.
 * How they respond is the planted effect (`audience/planted-effect.ts`).
 */
/**
 * Who responds to what: the recipient and the campaign, not the message's own key (a new Message-ID or
 * outbox file name in every run), so that one seed gets the same responses, and the same report, every run.
 */
function readerKey(message: ReceivedMessage): string {
  return `${message.channel}|${message.campaignId ?? ''}|${message.userId}`;
}

export const engageStep: DemoStep = {
  title: 'Simulated people open, click and convert (POST /v1/track/push-open, GET /t/o, /t/c, POST /v1/conversions)',
  async run(context) {
    for (const path of ['/v1/track/push-open', '/v1/conversions']) {
      if (!(await routeExists(context.baseUrl, context.tokens.admin, 'POST', path))) {
        throw new DemoStopped(
          `${path} is not part of this build: the messages were sent, but nobody can respond to them`,
        );
      }
    }
    const planted = new Map<string, PlantedJourney[]>();
    for (const journey of context.truth) planted.set(journey.userId, [...(planted.get(journey.userId) ?? []), journey]);
    const messages = [
      ...(await pushesInOutbox(context.environment.settings.DELIVERY_OUTBOX_DIR)),
      ...emailsInInbox(context.environment.inbox, EMAIL_CAMPAIGN_ID),
    ];
    const engagements: Engagement[] = messages.map((message) => {
      const own = planted.get(message.userId) ?? [];
      return {
        message,
        aboutOngoingJourney: journeysMentioned(message.headline, own).length > 0,
        ...respond(context.seed, readerKey(message), message.headline, own),
      };
    });
    const progress = new Progress('responding', engagements.length);
    await forEachConcurrently(engagements, 8, async (engagement) => {
      await act(context, engagement);
      progress.tick();
    });
    progress.stop();
    context.engagements = engagements;
    for (const channel of ['push', 'email'] as const) {
      const mine = engagements.filter((e) => e.message.channel === channel);
      const count = (key: 'opened' | 'clicked' | 'converted' | 'aboutOngoingJourney') =>
        mine.filter((e) => e[key]).length;
      context.report[`engagement-${channel}`] = {
        received: mine.length,
        aboutAnOngoingJourney: count('aboutOngoingJourney'),
        opened: count('opened'),
        clicked: count('clicked'),
        converted: count('converted'),
      };
      context.log(
        `${channel}: ${mine.length} received, ${count('aboutOngoingJourney')} about an ongoing journey of the reader; ${count('opened')} opened, ${count('clicked')} clicked, ${count('converted')} converted`,
      );
    }
  },
};
