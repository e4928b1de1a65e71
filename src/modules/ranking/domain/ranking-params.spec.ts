import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RANKING_PARAMS, parseRankingParams } from './ranking-params';
import { RankingError } from './ranking.errors';

describe('parseRankingParams', () => {
  it('config/ranking.json documents exactly the built-in defaults', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../../../config/ranking.json'), 'utf8')) as {
      params: unknown;
    };
    expect(parseRankingParams(file.params)).toEqual(DEFAULT_RANKING_PARAMS);
  });

  it('fills missing fields from the defaults', () => {
    expect(parseRankingParams({ diversification: { variant: 'greedy' } })).toEqual({
      ...DEFAULT_RANKING_PARAMS,
      diversification: { ...DEFAULT_RANKING_PARAMS.diversification, variant: 'greedy' },
    });
  });

  it.each([
    [{ diversification: { penalty: 1.5 } }, 'diversification.penalty'],
    [{ diversification: { threshold: 'high' } }, 'diversification.threshold'],
    [{ diversification: { variant: 'mmr' } }, 'diversification.variant'],
    [{ expansions: { quota: 1.5 } }, 'expansions.quota'],
    [{ expansions: { scoreFactor: -1 } }, 'expansions.scoreFactor'],
    [{ limit: -1 }, 'limit'],
    [{ expansions: [] }, 'expansions'],
  ])('rejects %p naming %s', (raw, field) => {
    expect(() => parseRankingParams(raw)).toThrow(
      expect.objectContaining({ code: 'ranking.invalid-params', field }) as RankingError,
    );
  });
});
