import { INestApplicationContext } from '@nestjs/common';

/**
 * Refuses a user Journeycast has never heard of, with no profile and no events, as `user nope not found` (exit code
 * 1, as for any "not found"), where the API answers the `no-profile` skip. A user with events but no profile yet,
 * or with a profile and nothing to send, is known: their skip reason is the answer.
 */
export async function requireKnownUser(context: INestApplicationContext, userId: string): Promise<void> {
  const { UsersService } = await import('../../ingest/users.service');
  if (!(await context.get(UsersService).isKnown(userId))) {
    throw new Error(`user ${userId} not found (no profile and no events)`);
  }
}
