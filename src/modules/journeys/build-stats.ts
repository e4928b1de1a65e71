/** What building some users cost in LLM calls and time; summed per shard and stored on the run. */
export interface BuildStats {
  namingCalls: number;
  namingCacheHits: number;
  namingFallbacks: number;
  expansionCalls: number;
  expansionFallbacks: number;
  promptTokens: number;
  completionTokens: number;
}

export function emptyBuildStats(): BuildStats {
  return {
    namingCalls: 0,
    namingCacheHits: 0,
    namingFallbacks: 0,
    expansionCalls: 0,
    expansionFallbacks: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
}

/** Adds `more` into `into` (in place) and returns it. */
export function addBuildStats(into: BuildStats, more: BuildStats): BuildStats {
  for (const key of Object.keys(into) as Array<keyof BuildStats>) into[key] += more[key];
  return into;
}
