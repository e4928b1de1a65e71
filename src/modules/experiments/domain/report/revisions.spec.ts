import { pushExperiment } from '../testing/report.fixture';
import { DefinitionRevision, definitionAsOf, definitionChangeNotes } from './revisions';

const first = pushExperiment();
const second = pushExperiment({
  metrics: {
    primary: 'push-open-rate',
    secondary: ['click-rate', 'conversion-rate'],
    guardrails: ['unsubscribe-rate', 'conversions-per-user'],
  },
  attributionWindowHours: 24,
  analysis: { correction: 'benjamini-hochberg', sequential: { tuning: 20000 } },
});
const revisions: DefinitionRevision[] = [
  { from: new Date('2026-03-01T10:00:00Z'), definitionHash: 'h1', definition: first },
  { from: new Date('2026-03-04T08:30:00Z'), definitionHash: 'h2', definition: second },
];

describe(definitionAsOf.name, () => {
  it('answers the revision registered last by the instant', () => {
    expect(definitionAsOf(second, revisions, new Date('2026-03-04T08:29:59Z'))).toBe(first);
    expect(definitionAsOf(second, revisions, new Date('2026-03-04T08:30:00Z'))).toBe(second);
  });

  it('answers the first revision before the experiment existed, and the current definition with none kept', () => {
    expect(definitionAsOf(second, revisions, new Date('2026-02-01T00:00:00Z'))).toBe(first);
    expect(definitionAsOf(second, [], new Date('2026-02-01T00:00:00Z'))).toBe(second);
  });
});

describe(definitionChangeNotes.name, () => {
  it('says nothing before a change, and for one revision', () => {
    expect(definitionChangeNotes(revisions, new Date('2026-03-03T00:00:00Z'))).toEqual([]);
    expect(definitionChangeNotes(revisions.slice(0, 1), new Date('2026-03-09T00:00:00Z'))).toEqual([]);
  });

  it('names each change of how results are read, with when it took effect', () => {
    expect(definitionChangeNotes(revisions, new Date('2026-03-09T00:00:00Z'))).toEqual([
      'The primary metric changed from click-rate to push-open-rate on 2026-03-04 08:30 UTC. A primary metric chosen after the data came in makes a false positive more likely; decide on the one set before the experiment started when you can.',
      'Secondary metrics changed on 2026-03-04 08:30 UTC: added click-rate; removed push-open-rate, conversions-per-user. Every metric is counted from the start, so their numbers cover the whole experiment.',
      'Guardrail metrics changed on 2026-03-04 08:30 UTC: added conversions-per-user. Every metric is counted from the start, so their numbers cover the whole experiment.',
      'The attribution window changed from 72 h to 24 h on 2026-03-04 08:30 UTC: outcomes before then were counted within the old window, later ones within the new.',
      'The analysis settings changed on 2026-03-04 08:30 UTC: correction holm → benjamini-hochberg, sequential off → tuning 20000.',
    ]);
  });

  it('says nothing of a revision that changed only weights (allocations have notes of their own)', () => {
    const reweighed = pushExperiment({
      variants: [
        { key: 'interest', name: 'Interest', weight: 20, copyVariant: 'interest' },
        { key: 'journey-llm', name: 'Journey LLM', weight: 80, copyVariant: 'journey-llm' },
      ],
    });
    const history = [revisions[0], { ...revisions[1], definition: reweighed }];
    expect(definitionChangeNotes(history, new Date('2026-03-09T00:00:00Z'))).toEqual([]);
  });
});
