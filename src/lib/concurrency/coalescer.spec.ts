import { Coalescer } from './coalescer';

describe(Coalescer.name, () => {
  it('flushes the items added in one turn together, and later ones in a flush of their own', async () => {
    const flushes: number[][] = [];
    const coalescer = new Coalescer<number>(async (items) => void flushes.push(items));
    await Promise.all([1, 2, 3].map((n) => coalescer.add(n)));
    await coalescer.add(4);
    expect(flushes).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every item of a failed flush and carries on with the next', async () => {
    let fail = true;
    const coalescer = new Coalescer<string>(async () => {
      if (fail) throw new Error('write refused');
    });
    const results = await Promise.allSettled([coalescer.add('a'), coalescer.add('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(coalescer.add('c')).resolves.toBeUndefined();
  });
});
