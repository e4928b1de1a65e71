import { DEMO_USAGE, DemoUsageError, parseDemoOptions } from './demo-options';

describe('parseDemoOptions', () => {
  it('reads the size, seed and folder, with defaults for what is left out', () => {
    expect(parseDemoOptions([])).toEqual({ help: false, users: 300, seed: 7 });
    expect(parseDemoOptions(['--users', '1000', '--seed=3', '--data', 'tmp/demo'])).toEqual({
      help: false,
      users: 1000,
      seed: 3,
      data: 'tmp/demo',
    });
    expect(parseDemoOptions(['-h']).help).toBe(true);
  });

  it.each([
    [['--user', '1000'], "Unknown option '--user'"],
    [['--users'], "Option '--users <value>' argument missing"],
    [['1000'], "Unexpected argument '1000'"],
  ])('refuses %j with the usage instead of running at the default size', (args, problem) => {
    const attempt = () => parseDemoOptions(args);
    expect(attempt).toThrow(DemoUsageError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(DEMO_USAGE);
  });

  it.each([
    ['--users', '0'],
    ['--seed', '2.5'],
    ['--users', 'many'],
  ])('refuses %s %s', (name, value) => {
    expect(() => parseDemoOptions([name, value])).toThrow(new DemoUsageError(`${name} must be a positive integer`));
  });
});
