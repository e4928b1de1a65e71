import { countHit, decide } from './fixed-window';

describe(countHit.name, () => {
  it('counts hits within a window and starts a new one when it ends', () => {
    let window = countHit(undefined, 1000, 500);
    expect(window).toEqual({ count: 1, resetAt: 1500 });
    window = countHit(window, 1499, 500);
    expect(window).toEqual({ count: 2, resetAt: 1500 });
    expect(countHit(window, 1500, 500)).toEqual({ count: 1, resetAt: 2000 });
  });

  it.each([
    [1, 3, true, 2],
    [3, 3, true, 0],
    [4, 3, false, 0],
  ])('decides hit %i of limit %i: allowed %s, %i remaining', (count, limit, allowed, remaining) => {
    expect(decide(count, limit, 250)).toEqual({ allowed, limit, remaining, resetMs: 250 });
  });
});
