import cases from '../testing/growthbook-sdk-cases.json';
import {
  BucketRange,
  Namespace,
  chooseVariation,
  getBucketRanges,
  getEqualWeights,
  inNamespace,
} from './bucket-ranges';
import { hash } from './hash';

/** GrowthBook's own test compares ranges and weights after flooring to 8 decimals. */
const floor8 = (x: number) => Math.floor(x * 1e8) / 1e8;

describe('GrowthBook SDK conformance (growthbook-sdk-cases.json)', () => {
  it.each(cases.hash as Array<[string, string, number, number | null]>)(
    'hash(%j, %j, v%d) = %j',
    (seed, value, version, expected) => {
      expect(hash(seed, value, version)).toBe(expected);
    },
  );

  it.each(cases.getBucketRange as Array<[string, [number, number, number[] | null], BucketRange[]]>)(
    'getBucketRanges: %s',
    (_name, [numVariations, coverage, weights], expected) => {
      const ranges = getBucketRanges(numVariations, coverage, weights);
      expect(ranges.map(([a, b]) => [floor8(a), floor8(b)])).toEqual(expected);
    },
  );

  it.each(cases.chooseVariation as Array<[string, number, BucketRange[], number]>)(
    'chooseVariation: %s',
    (_name, n, ranges, expected) => {
      expect(chooseVariation(n, ranges)).toBe(expected);
    },
  );

  it.each(cases.inNamespace as Array<[string, string, Namespace, boolean]>)(
    'inNamespace: %s',
    (_name, userId, namespace, expected) => {
      expect(inNamespace(userId, namespace)).toBe(expected);
    },
  );

  it.each(cases.getEqualWeights as Array<[number, number[]]>)('getEqualWeights(%d)', (n, expected) => {
    expect(getEqualWeights(n).map(floor8)).toEqual(expected);
  });
});
