import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const PUSH_CAMPAIGN_ID = 'demo-journey-push';
export const EMAIL_CAMPAIGN_ID = 'demo-journeys-email';

/** The experiment's arms, the same in both campaigns: interest-based copy (control) against journey-aware LLM copy. */
const ARMS = [
  { id: 'interest', weight: 1, copy: 'interest' },
  { id: 'journey-llm', weight: 1, copy: 'journey-llm' },
];

/**
 * The demo's two A/B campaigns, as a growth team would write them: a push about the user's ongoing
 * situational journey, and an email with their top journeys. Both send only when a run is started
 * (their schedule is a year away), have no quiet hours (the demo's people live in every time zone and
 * read at once) and gate results at a sample the demo reaches.
 */
export function demoCampaigns(now: Date, minimumSample: number): Array<Record<string, unknown>> {
  const schedule = { type: 'once', at: new Date(now.getTime() + 365 * 86_400_000).toISOString() };
  const audience = {
    journeys: { stages: ['ongoing'], types: ['situational'], minConfidence: 0.2 },
    lastActiveWithinDays: 90,
  };
  return [
    {
      id: PUSH_CAMPAIGN_ID,
      name: 'Ongoing journey push',
      owner: 'demo',
      description: 'A push about the journey the user is in the middle of: interest copy against journey copy.',
      channel: 'push',
      category: 'journey-nudges',
      schedule,
      audience,
      content: { topK: 1 },
      template: 'push/journey-nudge',
      copy: { variant: 'journey-llm', tone: 'warm and encouraging', limits: { titleMaxChars: 50, bodyMaxChars: 120 } },
      experiment: {
        variants: ARMS,
        metrics: {
          primary: 'push-open-rate',
          secondary: ['click-rate', 'conversion-rate'],
          guardrails: ['unsubscribe-rate'],
        },
        attributionWindowHours: 72,
        minimumSample,
      },
    },
    {
      id: EMAIL_CAMPAIGN_ID,
      name: 'Journeys email',
      owner: 'demo',
      description: 'An email with the user’s top journeys: interest copy against journey copy.',
      channel: 'email',
      category: 'weekly-digest',
      schedule,
      audience,
      content: { topK: 3, includeRelated: true },
      template: 'email/weekly-digest',
      copy: { variant: 'journey-llm', tone: 'friendly' },
      experiment: {
        variants: ARMS,
        metrics: {
          primary: 'email-open-rate-human',
          secondary: ['click-rate', 'conversion-rate'],
          guardrails: ['unsubscribe-rate'],
        },
        attributionWindowHours: 72,
        minimumSample,
      },
    },
  ];
}

/** Writes each campaign as `<id>.yaml` into the campaigns folder the app reads. */
export function writeCampaignFiles(dir: string, campaigns: Array<Record<string, unknown>>): string[] {
  mkdirSync(dir, { recursive: true });
  return campaigns.map((campaign) => {
    const file = join(dir, `${String(campaign.id)}.yaml`);
    writeFileSync(file, stringify(campaign));
    return file;
  });
}
