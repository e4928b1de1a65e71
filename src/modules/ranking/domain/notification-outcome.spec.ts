import { isAboutJourney, NotificationOutcome, outcomeLabel } from './notification-outcome';

const SENT = new Date('2026-03-01T10:00:00Z');
const hoursLater = (h: number) => new Date(SENT.getTime() + h * 3_600_000);
const base: NotificationOutcome = { userId: 'u1', journeyName: 'kitchen renovation', sentAt: SENT };

describe('outcomeLabel', () => {
  it.each([
    ['no engagement', {}, 0],
    ['opened within the window', { openedAt: hoursLater(5) }, 1],
    ['clicked within the window', { clickedAt: hoursLater(71) }, 1],
    ['opened after the window', { openedAt: hoursLater(73) }, 0],
    ['clicked before sending (clock skew) does not count', { clickedAt: hoursLater(-1) }, 0],
    ['null timestamps', { openedAt: null, clickedAt: null }, 0],
  ])('%s', (_name, fields, expected) => {
    expect(outcomeLabel({ ...base, ...fields }, 72)).toBe(expected);
  });

  it('uses the window it is given', () => {
    expect(outcomeLabel({ ...base, openedAt: hoursLater(30) }, 24)).toBe(0);
    expect(outcomeLabel({ ...base, openedAt: hoursLater(30) }, 48)).toBe(1);
  });
});

describe('isAboutJourney', () => {
  const journey = { id: 'j1', name: 'kitchen renovation' };
  it.each([
    ['name only, same name', { journeyName: 'kitchen renovation' }, true],
    ['name only, other name', { journeyName: 'marathon training' }, false],
    ['same id', { journeyId: 'j1', journeyName: 'renamed' }, true],
    ['other id but same name', { journeyId: 'j0', journeyName: 'kitchen renovation' }, true],
    ['other id and name', { journeyId: 'j0', journeyName: 'marathon training' }, false],
  ])('%s', (_name, fields, expected) => {
    expect(isAboutJourney({ ...base, ...fields }, journey)).toBe(expected);
  });
});
