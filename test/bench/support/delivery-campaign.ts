import { INestApplicationContext } from '@nestjs/common';
import { campaignsDir, seedUser } from '../../integration/campaigns/campaigns-harness';
import { activate, cloneSeededUser, db } from '../../integration/sending/sending-harness';

/** The campaign the delivery benchmarks run: a weekly email digest with journey copy. */
export const benchCampaign = {
  id: 'bench',
  name: 'Bench',
  owner: 'growth',
  channel: 'email',
  schedule: { type: 'cron', cron: '0 9 * * 1', timeZone: 'UTC' },
  template: 'email/weekly-digest',
  copy: { variant: 'journey-template' },
};

/** The campaigns folder that holds only {@link benchCampaign}. */
export const benchCampaignsDir = (): string => campaignsDir([benchCampaign]);

/** Activates the campaign and seeds `count` users (`u0`...) with one journey and an email address. */
export async function seedBenchAudience(app: INestApplicationContext, count: number): Promise<void> {
  await activate(app, benchCampaign.id);
  const journeys = [{ name: 'Kitchen Remodel', keywords: ['kitchen remodel', 'backsplash tile'] }];
  await seedUser(app, 'u0', { now: new Date(), profile: { email: 'u0@example.com' }, journeys });
  const ids = Array.from({ length: count - 1 }, (_, i) => `u${i + 1}`);
  await cloneSeededUser(db(app), 'u0', ids, (id) => `${id}@example.com`);
}
