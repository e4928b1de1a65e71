import { calculateObjectSize } from 'bson';
import { isPlainObject } from '../key-encoding';
import type { UpdateSpec } from './apply-update';

/** Bytes a changed value may gain over its size in the update: a type widened (int to long or double, true to a date). */
const PER_PATH_BYTES = 16;
/** One null element an array is padded with: type, a key of up to seven digits, its terminator. */
const PADDING_ELEMENT_BYTES = 9;

/**
 * How many bytes an operator update can add to any document, or undefined when it cannot be bounded
 * by the update alone (a pipeline, a replacement, a positional path whose value may land in many array
 * elements). A value the update sets or pushes costs at most its own size plus its key, which in the
 * document may be a longer array index than in the update (three times the update's size covers it);
 * a numeric path part past an array's end pads the array with nulls.
 */
export function updateGrowthBound(u: UpdateSpec): number | undefined {
  if (Array.isArray(u)) return undefined;
  const ops = Object.keys(u);
  if (ops.length === 0 || !ops.every((op) => op.startsWith('$'))) return undefined;
  let slack = 0;
  for (const op of ops) {
    const fields = u[op];
    if (!isPlainObject(fields)) return undefined;
    for (const path of Object.keys(fields)) {
      slack += PER_PATH_BYTES;
      for (const part of path.split('.')) {
        if (part.startsWith('$')) return undefined;
        if (/^\d+$/.test(part)) slack += (Number(part) + 1) * PADDING_ELEMENT_BYTES;
      }
    }
  }
  return 3 * calculateObjectSize(u) + slack;
}
