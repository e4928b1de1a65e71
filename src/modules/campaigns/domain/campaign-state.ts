import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../lib/text/canonical-json';

/** Runtime states: only `active` campaigns are scheduled; `archived` ones left the campaigns folder. */
export const CAMPAIGN_STATES = ['active', 'paused', 'archived'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** What sync did to one campaign (`campaigns sync` prints these words). */
export const SYNC_ACTIONS = ['created', 'updated', 'unchanged', 'archived', 'restored', 'invalid'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

/** Content hash of a validated definition: key order, comments and formatting of the YAML do not change it. */
export function definitionHash(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 16);
}

/** What sync does with a campaign given its stored record and its file (absent when the file is gone). */
export function syncActionOf(
  stored: { state: CampaignState; contentHash?: string; problems: readonly unknown[] } | undefined,
  file: { valid: boolean; contentHash?: string } | undefined,
): SyncAction {
  if (!file) return stored && stored.state !== 'archived' ? 'archived' : 'unchanged';
  if (!file.valid) return 'invalid';
  if (!stored) return 'created';
  if (stored.state === 'archived') return 'restored';
  return stored.contentHash === file.contentHash && stored.problems.length === 0 ? 'unchanged' : 'updated';
}

/**
 * What pausing a campaign leaves going on: `count` runs it already started, which send until they finish
 * unless each is paused or cancelled. `stop` names the commands, without a closing full stop.
 */
export function runsGoingOnText(count: number): { going: string; stop: string } {
  const one = count === 1;
  return {
    going: `${count} run${one ? '' : 's'} of this campaign already started and go${one ? 'es' : ''} on sending: pausing the campaign starts no more runs but does not stop ${one ? 'it' : 'them'}.`,
    stop: 'Stop one with `journeycast runs pause <runId>` or `journeycast runs cancel <runId>`',
  };
}
