import { withinMs } from './within-ms';

describe(withinMs.name, () => {
  const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

  it.each<[string, () => Promise<string>, number, string | RegExp]>([
    ['an answer in time', () => after(5, 'pong'), 200, 'pong'],
    ['a failure in time', () => Promise.reject(new Error('refused')), 200, /refused/],
    ['no answer in time', () => after(200, 'late'), 5, /no answer in 5 ms/],
  ])('settles with %s', async (_, start, ms, outcome) => {
    if (typeof outcome === 'string') await expect(withinMs(start(), ms)).resolves.toBe(outcome);
    else await expect(withinMs(start(), ms)).rejects.toThrow(outcome);
  });
});
