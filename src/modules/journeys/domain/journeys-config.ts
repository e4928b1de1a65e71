import { JourneyParams, resolveJourneyParams } from './journey-params';
import { DEFAULT_TRAINING_OPTIONS, PlatformTrainingOptions } from './platform-training';

/** Inference parameters and embedder training options, as read from a `config/journeys.json`-shaped file. */
export interface JourneysConfig {
  params: JourneyParams;
  training: PlatformTrainingOptions;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Defaults overlaid with `{ inference?: {...}, embedder?: {...} }`; unknown or mistyped keys are errors. */
export function resolveJourneysConfig(raw: unknown = {}): JourneysConfig {
  if (!isObject(raw)) throw new Error('journeys config must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (!key.startsWith('$') && key !== 'inference' && key !== 'embedder') {
      throw new Error(`unknown journeys config section "${key}"`);
    }
  }
  const inference = raw.inference ?? {};
  const embedder = raw.embedder ?? {};
  if (!isObject(inference) || !isObject(embedder)) throw new Error('journeys config sections must be objects');
  const training: PlatformTrainingOptions = { ...DEFAULT_TRAINING_OPTIONS };
  for (const [key, value] of Object.entries(embedder)) {
    if (key.startsWith('$')) continue;
    if (!(key in training)) throw new Error(`unknown embedder option "${key}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`embedder option "${key}" must be a non-negative number`);
    }
    training[key as keyof PlatformTrainingOptions] = value;
  }
  return { params: resolveJourneyParams(inference), training };
}
