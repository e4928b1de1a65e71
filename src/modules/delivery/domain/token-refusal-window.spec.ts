import { TokenRefusalWindow } from './token-refusal-window';

describe('TokenRefusalWindow', () => {
  const t0 = Date.UTC(2026, 0, 5, 10, 0);

  it('allows removals until the minimum of ambiguous refusals, then not while they are a large share', () => {
    const window = new TokenRefusalWindow(60_000, 10, 0.2);
    for (let i = 0; i < 9; i++) window.record(t0, true);
    expect(window.allowsRemoval(t0)).toBe(true);
    window.record(t0, true);
    expect(window.allowsRemoval(t0)).toBe(false);
  });

  it('allows removals when the refusals are a small share of the answers', () => {
    const window = new TokenRefusalWindow(60_000, 10, 0.2);
    for (let i = 0; i < 100; i++) window.record(t0, i % 10 === 0);
    expect(window.counts(t0)).toEqual({ answers: 100, ambiguous: 10 });
    expect(window.allowsRemoval(t0)).toBe(true);
  });

  it('opens again once acceptances dilute the refusals, or the window has passed them', () => {
    const window = new TokenRefusalWindow(60_000, 10, 0.2);
    for (let i = 0; i < 20; i++) window.record(t0, true);
    expect(window.allowsRemoval(t0)).toBe(false);
    for (let i = 0; i < 80; i++) window.record(t0 + 1000, false);
    expect(window.allowsRemoval(t0 + 1000)).toBe(true);
    const later = new TokenRefusalWindow(60_000, 10, 0.2);
    for (let i = 0; i < 20; i++) later.record(t0, true);
    expect(later.allowsRemoval(t0 + 60_000)).toBe(true);
    expect(later.counts(t0 + 60_000)).toEqual({ answers: 0, ambiguous: 0 });
  });
});
