/** One shard of a run: its users in user id order, and the send time they share (absent: as soon as processed). */
export interface PlannedShard {
  shard: number;
  userIds: string[];
  sendAt?: Date;
}

/**
 * Cuts a batch of users (in user id order) into shards numbered from `firstShard`: users sharing a send
 * time share shards (so a local-hour run delays each shard job to its users' local hour), at most
 * `shardSize` per shard, earliest send time first. The same batch always gives the same shards.
 */
export function planShards(
  userIds: readonly string[],
  sendTimes: ReadonlyMap<string, Date>,
  options: { firstShard: number; shardSize: number },
): PlannedShard[] {
  const groups = new Map<number, string[]>();
  for (const userId of userIds) {
    const at = sendTimes.get(userId)?.getTime() ?? -1;
    const group = groups.get(at);
    if (group) group.push(userId);
    else groups.set(at, [userId]);
  }
  const shards: PlannedShard[] = [];
  let shard = options.firstShard;
  for (const [at, members] of [...groups].sort((a, b) => a[0] - b[0])) {
    const sendAt = at < 0 ? undefined : new Date(at);
    for (let i = 0; i < members.length; i += options.shardSize) {
      shards.push({ shard, userIds: members.slice(i, i + options.shardSize), ...(sendAt && { sendAt }) });
      shard += 1;
    }
  }
  return shards;
}
