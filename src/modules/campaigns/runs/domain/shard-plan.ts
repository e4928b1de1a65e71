/** One batch of a run's audience cut into shards. */
export interface ShardPlan {
  entries: Array<{ userId: string; shard: number; sendAt?: Date }>;
  /** Each shard with its earliest send time (absent: send as soon as processed). */
  shards: Array<{ shard: number; sendAt?: Date }>;
}

/**
 * Cuts a batch of users (in user id order) into shards numbered from `firstShard`: users sharing a send
 * time share shards (so a local-hour run delays each shard job to its users' local hour), at most
 * `shardSize` per shard. The same batch always gives the same plan.
 */
export function planShards(
  userIds: readonly string[],
  sendTimes: ReadonlyMap<string, Date>,
  options: { firstShard: number; shardSize: number },
): ShardPlan {
  const groups = new Map<number, string[]>();
  for (const userId of userIds) {
    const at = sendTimes.get(userId)?.getTime() ?? -1;
    const group = groups.get(at);
    if (group) group.push(userId);
    else groups.set(at, [userId]);
  }
  const plan: ShardPlan = { entries: [], shards: [] };
  let shard = options.firstShard;
  for (const [at, members] of [...groups].sort((a, b) => a[0] - b[0])) {
    const sendAt = at < 0 ? undefined : new Date(at);
    for (let i = 0; i < members.length; i += options.shardSize) {
      for (const userId of members.slice(i, i + options.shardSize)) {
        plan.entries.push({ userId, shard, ...(sendAt && { sendAt }) });
      }
      plan.shards.push({ shard, ...(sendAt && { sendAt }) });
      shard += 1;
    }
  }
  return plan;
}
