import { ErasurePhase, UserErasureRegistry } from '../../src/common/erasure/user-erasure.registry';

/**
 * Registers an eraser that runs `during` once, when `userId` is erased, as the last of `phase` (by default the
 * last eraser, right before the profile goes). Returns whether it has run.
 */
export function duringErasure(
  registry: UserErasureRegistry,
  userId: string,
  during: () => Promise<unknown>,
  phase: ErasurePhase = 'derived',
): () => boolean {
  let ran = false;
  registry.register({
    name: `probe-${phase}-${userId}`,
    phase,
    erase: async (erased) => {
      if (erased === userId && !ran) {
        ran = true;
        await during();
      }
      return 0;
    },
  });
  return () => ran;
}
