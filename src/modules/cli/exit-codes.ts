import type { CampaignErrorCode } from '../campaigns/domain/campaign.errors';
import type { ExperimentErrorCode } from '../experiments/domain';
import type { JudgeErrorCode } from '../journey-judge/domain/judge.errors';

/**
 * A command that could not do what it was asked: a usage error (a bad option value), a file it cannot read or
 * write, or a campaign, run, user, experiment, key or build run named that does not exist.
 */
export const EXIT_FAILED = 1;
/** The input or the current state does not allow the work: invalid campaigns or labels, a run already finished. */
export const EXIT_REFUSED = 2;

/**
 * The exit code of each coded error a command reports, as the HTTP filters map them to statuses: every
 * "not found" is EXIT_FAILED, like a missing file, whichever command looked the thing up, and so is a bad
 * option value the API answers with a 400 (`campaigns preview --variant nope`), like any usage error.
 */
const EXIT_CODES: Record<CampaignErrorCode | ExperimentErrorCode | JudgeErrorCode, number> = {
  'campaign.not-found': EXIT_FAILED,
  'campaign.run-not-found': EXIT_FAILED,
  'experiments.not-found': EXIT_FAILED,
  'judge.run-not-found': EXIT_FAILED,
  'campaign.bad-request': EXIT_FAILED,
  'campaign.invalid': EXIT_REFUSED,
  'campaign.archived': EXIT_REFUSED,
  'campaign.conflict': EXIT_REFUSED,
  'campaign.schedule-passed': EXIT_REFUSED,
  'campaign.run-conflict': EXIT_REFUSED,
  'experiments.invalid-definition': EXIT_REFUSED,
  'experiments.invalid-statistics': EXIT_REFUSED,
  'judge.no-llm': EXIT_REFUSED,
  'judge.no-run': EXIT_REFUSED,
  'judge.run-not-completed': EXIT_REFUSED,
  'judge.no-users': EXIT_REFUSED,
  'judge.invalid-labels': EXIT_REFUSED,
};

/** The exit code of a campaign, experiment or judge error. */
export function exitCodeOf(error: { code: keyof typeof EXIT_CODES }): number {
  return EXIT_CODES[error.code];
}
