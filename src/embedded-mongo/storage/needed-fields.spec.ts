import { findFields, pipelineFields, updateFields } from './needed-fields';

const sorted = (fields: ReadonlySet<string> | undefined) => fields && [...fields].sort();

describe('fields a read needs', () => {
  it('names what an inclusion projection, its filter and its sort read', () => {
    expect(
      sorted(
        findFields(
          { 'a.b': 1, $or: [{ c: { $gt: 1 } }, { $expr: { $eq: ['$d.e', '$$now'] } }], $comment: 'x' },
          { f: 1, 'g.h': -1 },
          { i: 1, 'j.k': 1, 'l.$': 1, m: { $elemMatch: { x: 1 } }, n: '$o', _id: 0 },
        ),
      ),
    ).toEqual(['_id', 'a', 'c', 'd', 'f', 'g', 'i', 'j', 'l', 'm', 'n', 'o']);
  });

  it('needs whole documents without a projection, with an exclusion or with $$ROOT', () => {
    expect(findFields({ a: 1 }, undefined, undefined)).toBeUndefined();
    expect(findFields({}, undefined, {})).toBeUndefined();
    expect(findFields({}, undefined, { _id: 0 })).toBeUndefined();
    expect(findFields({}, undefined, { a: 0 })).toBeUndefined();
    expect(findFields({}, undefined, { a: '$$ROOT' })).toBeUndefined();
    expect(findFields({}, undefined, { a: { $slice: 2 } })).toBeUndefined();
    expect(findFields({ $where: 'x' }, undefined, { a: 1 })).toBeUndefined();
  });

  it('names what a pipeline reads before it groups or counts, and nothing once documents pass on', () => {
    expect(sorted(pipelineFields([{ $match: { run: 'r' } }, { $group: { _id: '$status', n: { $sum: 1 } } }]))).toEqual([
      'run',
      'status',
    ]);
    expect(sorted(pipelineFields([{ $match: { a: 1 } }, { $sort: { b: 1 } }, { $limit: 5 }, { $count: 'n' }]))).toEqual(
      ['a', 'b'],
    );
    expect(pipelineFields([{ $match: { a: 1 } }])).toBeUndefined();
    expect(pipelineFields([{ $project: { a: 1 } }, { $group: { _id: '$a' } }])).toBeUndefined();
    expect(pipelineFields([{ $group: { _id: null, all: { $push: '$$ROOT' } } }])).toBeUndefined();
  });

  it('tells what an update reads from what it writes whole without reading', () => {
    const fields = (filter: Record<string, unknown>, update: Record<string, unknown> | Record<string, unknown>[]) => {
      const f = updateFields(filter, update);
      return f && { decode: sorted(f.decode), written: sorted(f.written) };
    };
    expect(
      fields({ k: 1 }, { $set: { a: 1, 'b.c': 2 }, $inc: { n: 1 }, $unset: { u: '' }, $setOnInsert: { s: 1 } }),
    ).toEqual({
      decode: ['_id', 'b', 'k', 'n'],
      written: ['a', 'u'],
    });
    expect(fields({}, { $rename: { from: 'to.x' } })).toEqual({ decode: ['_id', 'from', 'to'], written: [] });
    // A stage sees the document as it entered: `b` is read before its own stage writes it; `p` is unset, then
    // rebuilt from a sub-document spec (which would otherwise merge into its current value, so read it).
    expect(
      fields({ id: 1 }, [
        { $set: { b: { $literal: [1] }, c: '$b', m: { x: '$y' } } },
        { $unset: ['p', 'q.r'] },
        { $set: { p: { j: '$b' }, d: { $add: ['$c', 1] } } },
      ]),
    ).toEqual({ decode: ['_id', 'b', 'id', 'm', 'q', 'y'], written: ['b', 'c', 'd', 'p'] });
    expect(fields({}, { a: 1 })).toBeUndefined();
    expect(fields({}, [{ $replaceWith: { a: 1 } }])).toBeUndefined();
    expect(fields({}, [{ $set: { a: '$$ROOT' } }])).toBeUndefined();
    expect(fields({ $where: 'x' }, { $set: { a: 1 } })).toBeUndefined();
  });
});
