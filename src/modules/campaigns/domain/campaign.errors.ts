/** Coded errors of the campaigns module; the HTTP filter and the CLI map codes to responses and exit codes. */
export type CampaignErrorCode =
  | 'campaign.not-found'
  | 'campaign.invalid'
  | 'campaign.archived'
  | 'campaign.conflict'
  | 'campaign.schedule-passed'
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

/**
 * A request field with a bad value (`campaign.bad-request`): the message names the field, then says what is wrong,
 * so the API answers `variant must ...` and the CLI can name its option instead (`--variant must ...`).
 */
export class CampaignFieldError extends CampaignError {
  constructor(
    readonly field: string,
    readonly complaint: string,
  ) {
    super('campaign.bad-request', `${field} ${complaint}`);
  }
}
