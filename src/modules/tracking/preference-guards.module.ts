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
    });
    this.guards.register({
      name: 'suppressed',
      check: async ({ campaign, user }) => {
        if (campaign.channel !== 'email' || !user.email) return undefined;
        const reason = await this.preferences.suppressionOf(user.email);
        return reason ? suppressedSkip(reason) : undefined;
      },
    });
  }
}
