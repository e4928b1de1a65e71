import { FEATURE_NAMES } from './features';
import { RankingError } from './ranking.errors';
import { featureRecord, parseAnnotationsCsv, parseTrainingExample } from './training-example';

const base = {
  userId: 'u1',
  journeyName: 'kitchen renovation',
  at: '2026-03-01T10:00:00Z',
  features: { events_log: 1.5 },
};

describe('parseTrainingExample', () => {
  it.each([
    ['an explicit label', { label: 1 }, 1],
    ['an open within the window', { openedAt: '2026-03-02T10:00:00Z' }, 1],
    ['a click after the window', { clickedAt: '2026-03-09T10:00:00Z' }, 0],
    ['no outcome at all', {}, 0],
  ])('labels %s', (_name, fields, label) => {
    expect(parseTrainingExample({ ...base, ...fields }, 'line 1', 72).label).toBe(label);
  });

  it.each([
    [{ ...base, userId: '' }, 'userId'],
    [{ ...base, at: 'yesterday' }, 'at'],
    [{ ...base, at: undefined }, 'at'],
    [{ ...base, features: [] }, 'features'],
    [{ ...base, features: { events_log: 'many' } }, 'features.events_log'],
    [{ ...base, label: 2 }, 'label'],
    [{ ...base, openedAt: 'soon' }, 'openedAt'],
  ])('rejects %p naming %s', (raw, field) => {
    expect(() => parseTrainingExample(raw, 'line 3')).toThrow(
      expect.objectContaining({ code: 'ranking.invalid-example', field }) as RankingError,
    );
    expect(() => parseTrainingExample(raw, 'line 3')).toThrow(/^line 3: /);
  });
});

describe('featureRecord', () => {
  it('names every value of a feature vector', () => {
    const record = featureRecord(FEATURE_NAMES.map((_, i) => i));
    expect(Object.keys(record)).toEqual([...FEATURE_NAMES]);
    expect(record.events_log).toBe(0);
  });
});

describe('parseAnnotationsCsv', () => {
  it('reads rows by header name, with quoted cells', () => {
    const csv = 'label,userId,journeyName\n1,u1,"Kitchen Renovation"\n0,u2,"Wedding, ""Boho"" Style"\n\n';
    expect(parseAnnotationsCsv(csv)).toEqual([
      { userId: 'u1', journeyName: 'Kitchen Renovation', label: 1 },
      { userId: 'u2', journeyName: 'Wedding, "Boho" Style', label: 0 },
    ]);
  });

  it.each([
    ['userId,journey,label\nu1,j,1', 'journeyName'],
    ['userId,journeyName,label\nu1,j,yes', 'label'],
    ['userId,journeyName,label\n,j,1', 'userId'],
  ])('rejects %p naming %s', (csv, field) => {
    expect(() => parseAnnotationsCsv(csv)).toThrow(
      expect.objectContaining({ code: 'ranking.invalid-annotation', field }) as RankingError,
    );
  });
});
