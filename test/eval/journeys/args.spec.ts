import { EVALUATION_NOW, jsonOption, numberOption, option, populationNow, USAGE, UsageError, wantsHelp } from './args';

describe('eval:journeys arguments', () => {
  const today = new Date('2026-12-05T10:00:00Z');
  const clock = () => today;

  it('stamps a written events file at the current time, so its users are active today', () => {
    expect(populationNow(['--users', '2000', '--write-events', '/tmp/events.jsonl'], clock)).toEqual(today);
  });

  it('keeps the fixed time for the evaluation itself, so its scores do not move with the clock', () => {
    expect(populationNow(['--users', '800'], clock)).toEqual(new Date(EVALUATION_NOW));
    expect(populationNow([], clock)).toEqual(new Date('2026-03-01T12:00:00Z'));
  });

  it('takes --now over either default', () => {
    const now = '2025-06-01T08:00:00Z';
    expect(populationNow(['--write-events', 'f.jsonl', '--now', now], clock)).toEqual(new Date(now));
    expect(populationNow(['--now', now], clock)).toEqual(new Date(now));
    expect(() => populationNow(['--now', 'yesterday'], clock)).toThrow(UsageError);
    expect(() => populationNow(['--now', 'yesterday'], clock)).toThrow('--now yesterday is not a date');
  });

  it('reads numbers and JSON objects, and names the option when a value is neither', () => {
    expect(numberOption(['--users', '800'], 'users', 400)).toBe(800);
    expect(numberOption([], 'users', 400)).toBe(400);
    expect(() => numberOption(['--users', 'many'], 'users', 400)).toThrow(
      new UsageError('--users many is not a number'),
    );
    expect(jsonOption(['--params', '{"minJourneyEvents":3}'], 'params')).toEqual({ minJourneyEvents: 3 });
    expect(jsonOption([], 'params')).toEqual({});
    expect(() => jsonOption(['--params', '{x'], 'params')).toThrow(/^--params is not JSON: /);
    expect(() => jsonOption(['--embedder', '[1]'], 'embedder')).toThrow('--embedder must be a JSON object');
  });

  it('reads option values and asks for help with --help or -h', () => {
    expect(option(['--users', '5', '--hard'], 'users', '400')).toBe('5');
    expect(option(['--users'], 'users', '400')).toBe('400');
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--users', '5'])).toBe(false);
    expect(USAGE).toContain('--write-events FILE');
    expect(USAGE).toContain(`${EVALUATION_NOW} for the evaluation`);
  });
});
