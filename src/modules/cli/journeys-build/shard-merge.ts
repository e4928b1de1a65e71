import { ExtractedEvent, SharedMentions } from '../../journeys/domain/keywords';
import type { BuiltUsers, PackedUsers } from './build-thread';
import { unpackEvents } from './packed-events';
import { unpackStrings } from './packed-strings';

/**
 * Batches each shard builds ahead of the output. Users' ids interleave across shards, so the output takes
 * from every shard at about the same pace; a shard whose next batches are quicker to build than another's
 * (users' costs vary a lot) runs this far ahead instead of waiting, and the other catches up later.
 */
const BATCHES_AHEAD = 8;

/**
 * Merges the shards' built users, each shard in user id order, into one output in user id order (the order
 * a single thread writes), with `ahead` batches per shard in flight so no thread waits for this one or for
 * a slower shard's current batch.
 */
export async function mergeBuiltUsers(
  shards: number,
  next: (shard: number) => Promise<BuiltUsers>,
  usersPerWrite: number,
  write: (text: string, journeys: number, users: number) => Promise<void>,
  ahead = BATCHES_AHEAD,
): Promise<void> {
  const requested = Array.from({ length: shards }, (_, shard) => Array.from({ length: ahead }, () => next(shard)));
  const current: Array<BuiltUsers | undefined> = [];
  const at: number[] = [];
  let journeys = 0;
  const refill = async (shard: number) => {
    const batch = await requested[shard].shift()!;
    journeys += batch.journeys;
    at[shard] = 0;
    current[shard] = batch.userIds.length > 0 ? batch : undefined;
    if (current[shard]) requested[shard].push(next(shard));
    else await Promise.all(requested[shard].splice(0));
  };
  for (let shard = 0; shard < shards; shard++) await refill(shard);
  let text = '';
  let users = 0;
  for (;;) {
    let best = -1;
    for (let shard = 0; shard < shards; shard++) {
      const batch = current[shard];
      if (batch && (best < 0 || batch.userIds[at[shard]] < current[best]!.userIds[at[best]])) best = shard;
    }
    if (best < 0) break;
    const batch = current[best]!;
    text += `${batch.lines[at[best]]}\n`;
    users++;
    if (++at[best] === batch.userIds.length) await refill(best);
    if (users === usersPerWrite) {
      await write(text, journeys, users);
      [text, users, journeys] = ['', 0, 0];
    }
  }
  if (users > 0 || journeys > 0) await write(text, journeys, users);
}

/** The shards' users merged into user id order, their events unpacked with one object per distinct mention. */
export function mergeTrainingLists(parts: PackedUsers[]): Array<readonly ExtractedEvent[]> {
  const shared = new SharedMentions();
  const users = parts.flatMap((part) => {
    const events = unpackEvents(
      part.events,
      part.events.mentions.map((m) => shared.share(m)),
    );
    let offset = 0;
    return unpackStrings(part.userIds).map((userId, i) => {
      const own = events.slice(offset, (offset += part.eventCounts[i]));
      return [userId, own] as const;
    });
  });
  return users.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, events]) => events);
}
