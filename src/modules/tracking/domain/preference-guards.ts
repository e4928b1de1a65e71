import type { SkipReason } from '../../campaigns/domain/compose-result';

/** The unsubscribe category of a campaign: its `category`, or its id when it names none. */
export function campaignCategory(campaign: { id: string; category?: string }): string {
  return campaign.category ?? campaign.id;
}

/** Why a user who left `category` (or everything) is skipped. */
export function unsubscribedSkip(category: string): SkipReason {
  return {
    code: 'guard',
    guard: 'unsubscribed',
    rule: 'category',
    value: category,
    message: `the user unsubscribed from ${category}`,
  };
}

/** Why a user whose email address is on the suppression list is skipped (the address itself is not repeated). */
export function suppressedSkip(reason: string): SkipReason {
  return {
    code: 'guard',
    guard: 'suppressed',
    rule: 'email',
    value: reason,
    message: `the email address is suppressed (${reason})`,
  };
}
