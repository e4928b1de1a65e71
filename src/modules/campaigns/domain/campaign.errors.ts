/** Coded errors of the campaigns module; the HTTP filter and the CLI map codes to responses and exit codes. */
export type CampaignErrorCode =
  | 'campaign.not-found'
  | 'campaign.invalid'
  | 'campaign.archived'
  | 'campaign.conflict'
  | 'campaign.bad-request'
  | 'campaign.run-not-found'
  | 'campaign.run-conflict';

export class CampaignError extends Error {
  constructor(
    readonly code: CampaignErrorCode,
    message: string,
    /** Problems that make a campaign invalid, for `campaign.invalid`. */
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = 'CampaignError';
  }
}
