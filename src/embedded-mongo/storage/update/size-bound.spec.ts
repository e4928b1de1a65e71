import { calculateObjectSize } from 'bson';
import { applyUpdate } from './apply-update';
import { updateGrowthBound } from './size-bound';

describe('updateGrowthBound', () => {
  const doc = {
    _id: 1,
    n: 1,
    flag: true,
    tags: Array.from({ length: 1500 }, (_, i) => `t${i}`),
    nested: { a: 'x' },
  };
  const grows = (u: Record<string, unknown>) => calculateObjectSize(applyUpdate(doc, u).doc) - calculateObjectSize(doc);

  it('bounds what operator updates add, array indexes longer than the update’s and widened types included', () => {
    const updates: Array<Record<string, unknown>> = [
      { $set: { 'nested.b': 'y'.repeat(100), n: 2 } },
      { $inc: { n: 2 ** 40 }, $currentDate: { at: true, flag: true } },
      { $mul: { n: 1.5 } },
      { $push: { tags: { $each: [null, null, null, null] } } },
      { $addToSet: { tags: { $each: ['new', 'other'] } } },
      { $set: { 'tags.1700': null } },
      { $rename: { n: 'a_much_longer_field_name' } },
      { $unset: { tags: 1 } },
    ];
    for (const u of updates) expect(grows(u)).toBeLessThanOrEqual(updateGrowthBound(u)!);
  });

  it('gives no bound where one value may land in many elements, or for pipelines and replacements', () => {
    expect(updateGrowthBound({ $set: { 'tags.$[]': 'x' } })).toBeUndefined();
    expect(updateGrowthBound({ $set: { 'tags.$[e]': 'x' } })).toBeUndefined();
    expect(updateGrowthBound({ $set: { 'tags.$': 'x' } })).toBeUndefined();
    expect(updateGrowthBound([{ $set: { n: 1 } }])).toBeUndefined();
    expect(updateGrowthBound({ n: 1 })).toBeUndefined();
  });
});
