import { createHash } from 'node:crypto';

/**
 * The id of the one notification a run may send a user: derived from (run, user) only, so every
 * worker that reaches the pair (a retried shard, a duplicated job) names the same notification, and
 * the provider ids built from it (Message-ID, apns-id, collapse tags) are the same on every resend.
 */
export function notificationIdOf(runId: string, userId: string): string {
  return `n${createHash('sha256').update(`${runId}\u0000${userId}`).digest('base64url').slice(0, 26)}`;
}
