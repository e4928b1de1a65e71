import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { resolveJourneysConfig } from './journeys-config';
import { DEFAULT_TRAINING_OPTIONS } from './platform-training';

function stripComments(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) => [k, stripComments(v)]),
  );
}

describe('resolveJourneysConfig', () => {
  it('documents exactly the code defaults in config/journeys.json', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../config/journeys.json'), 'utf8')) as unknown;
    expect(stripComments(file)).toEqual({ inference: DEFAULT_JOURNEY_PARAMS, embedder: DEFAULT_TRAINING_OPTIONS });
    expect(resolveJourneysConfig(file)).toEqual({ params: DEFAULT_JOURNEY_PARAMS, training: DEFAULT_TRAINING_OPTIONS });
  });

  it('applies partial overrides to both sections', () => {
    const config = resolveJourneysConfig({ inference: { maxJourneys: 3 }, embedder: { dimension: 32 } });
    expect(config.params.maxJourneys).toBe(3);
    expect(config.training.dimension).toBe(32);
    expect(config.training.maxVocab).toBe(DEFAULT_TRAINING_OPTIONS.maxVocab);
  });

  it.each([
    [[], /must be a JSON object/],
    [{ params: {} }, /unknown journeys config section "params"/],
    [{ embedder: { dimensions: 3 } }, /unknown embedder option "dimensions"/],
    [{ embedder: { dimension: -1 } }, /non-negative number/],
    [{ inference: { splitCohesion: 'high' } }, /must be a number/],
  ])('rejects %j', (raw, message) => {
    expect(() => resolveJourneysConfig(raw)).toThrow(message);
  });
});
