import { ResourceLimits } from 'node:worker_threads';

/**
 * The young generation of threads that build journeys: 192 MB, which V8 splits into a 64 MB semi-space
 * (a third each for the two semi-spaces and new large objects), against 16 MB by default. Builds make many
 * short-lived objects (events parsed, keyword mentions, vectors, clusters): with the larger space most of
 * them die young instead of being copied to the old generation. An explicit `--max-semi-space-size` on the
 * process's command line still wins.
 */
export const BUILD_THREAD_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 192 };
