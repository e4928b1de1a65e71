import { Module, OnModuleInit } from '@nestjs/common';
import { CampaignMessagesModule } from '../campaigns/campaign-messages.module';
import { RecipientGuardRegistry } from '../campaigns/recipient-guards';
import { campaignCategory, suppressedSkip, unsubscribedSkip } from './domain/preference-guards';
import { RecipientPreferences } from './notification-tracking';
import { TrackingModule } from './tracking.module';

/**
 * Registers unsubscribes and the suppression list as recipient guards, so every composed message
 * (previews, estimates and sends) skips users who left the campaign's category and suppressed addresses.
 * Mounted by every role that composes messages.
 */
@Module({ imports: [CampaignMessagesModule, TrackingModule] })
export class PreferenceGuardsModule implements OnModuleInit {
  constructor(
    private readonly guards: RecipientGuardRegistry,
    private readonly preferences: RecipientPreferences,
  ) {}

  onModuleInit(): void {
    this.guards.register({
      name: 'unsubscribed',
      check: async ({ campaign, user }) => {
        const category = campaignCategory(campaign);
        return (await this.preferences.isUnsubscribed(user.userId, category)) ? unsubscribedSkip(category) : undefined;
      },
      checkMany: async ({ campaign, users }) => {
        const category = campaignCategory(campaign);
        const left = await this.preferences.unsubscribedAmong(
          users.map((u) => u.userId),
          category,
        );
        return new Map([...left].map((userId) => [userId, unsubscribedSkip(category)]));
      },
    });
    this.guards.register({
      name: 'suppressed',
      check: async ({ campaign, user }) => {
        if (campaign.channel !== 'email' || !user.email) return undefined;
        const reason = await this.preferences.suppressionOf(user.email);
        return reason ? suppressedSkip(reason) : undefined;
      },
      checkMany: async ({ campaign, users }) => {
        const emailed = campaign.channel === 'email' ? users.filter((u) => u.email) : [];
        const reasons = await this.preferences.suppressionsOf(emailed.map((u) => u.email!));
        return new Map(
          emailed.flatMap((u) => (reasons.has(u.email!) ? [[u.userId, suppressedSkip(reasons.get(u.email!)!)]] : [])),
        );
      },
    });
  }
}
