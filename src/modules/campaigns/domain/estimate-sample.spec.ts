import { tallyBreakdown } from '../../audience/domain/audience-breakdown';
import { figureText, scaleFigure, wilsonInterval } from './estimate-sample';

describe('sampled estimates', () => {
  it('gives the Wilson score interval (reference values), sound at 0 and at n', () => {
    const { low, high } = wilsonInterval(50, 100);
    expect(low).toBeCloseTo(0.4038, 4);
    expect(high).toBeCloseTo(0.5962, 4);
    expect(wilsonInterval(0, 100).low).toBe(0);
    expect(wilsonInterval(0, 100).high).toBeCloseTo(0.037, 3);
    expect(wilsonInterval(100, 100).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('scales a sample figure to the population, interval rounded outwards', () => {
    expect(scaleFigure(50, 100, 10_000)).toEqual({ value: 5000, interval: { low: 4038, high: 5962 } });
    expect(scaleFigure(0, 0, 10)).toEqual({ value: 0, interval: { low: 0, high: 10 } });
  });

  it('reads "about N (± M)" only when sampled', () => {
    expect(figureText(1200)).toBe('1200');
    expect(figureText(5000, { low: 4038, high: 5962 })).toBe('about 5000 (± 962)');
  });

  it('adds grouped rows up: consent and unsubscribes split the audience, locales count reachable users only', () => {
    const rows = [
      { consented: true, unsubscribed: false, locale: 'fr', users: 3 },
      { consented: true, unsubscribed: false, locale: null, users: 3 },
      { consented: false, unsubscribed: false, locale: 'fr', users: 4 },
      { consented: false, unsubscribed: true, locale: 'fr', users: 1 },
      { consented: true, unsubscribed: true, locale: 'it', users: 2 },
      { consented: true, unsubscribed: false, locale: 'de', users: 5 },
    ];
    expect(tallyBreakdown(rows, 'total')).toEqual({
      total: 11,
      withoutConsent: 5,
      unsubscribed: 2,
      ongoing: 11,
      byLocale: [
        { locale: 'de', users: 5 },
        { locale: 'fr', users: 3 },
        { locale: null, users: 3 },
      ],
    });
    expect(tallyBreakdown(rows, 2).ongoing).toBe(2);
  });
});
