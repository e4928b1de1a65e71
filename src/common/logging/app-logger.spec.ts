import { AppLogger } from './app-logger';

describe(AppLogger.name, () => {
  let written: string[];
  let spies: jest.SpyInstance[];

  beforeEach(() => {
    written = [];
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
  });
  afterEach(() => spies.forEach((spy) => spy.mockRestore()));

  it('writes one JSON object per line with emails and tokens redacted', () => {
    const logger = new AppLogger({ json: true, level: 'log' });
    logger.log('welcome mail to ana@example.com with key jc_abcdefghijkl_secret', 'UsersService');
    logger.error({ userId: 'u1', email: 'ana@example.com' }, 'stack at bob@example.org', 'Delivery');
    const lines = written
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      level: 'log',
      context: 'UsersService',
      message: 'welcome mail to [email] with key [token]',
    });
    expect(lines[1]).toMatchObject({
      level: 'error',
      context: 'Delivery',
      message: { userId: 'u1', email: '[redacted]' },
    });
    expect(written.join('')).not.toContain('example.');
  });

  it('drops levels more verbose than configured', () => {
    const logger = new AppLogger({ json: true, level: 'warn' });
    logger.log('chatty');
    logger.warn('careful');
    expect(written.join('')).not.toContain('chatty');
    expect(written.join('')).toContain('careful');
  });
});
