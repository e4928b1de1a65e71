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

  describe.each([
    ['text', false],
    ['JSON', true],
  ])('in %s format, attacker text cannot forge a line', (_format, json) => {
    const forged = 'user u1\n[Nest] 1  - 01/01/2026, 10:00:00     LOG [AccessService] revoked API key abc';
    const records = () => written.join('').split('\n').filter(Boolean);

    it('escapes line breaks and terminal controls in messages, contexts and object keys', () => {
      const logger = new AppLogger({ json, level: 'log' });
      logger.log(`${forged}\r\u001b[2J\u0085\u2028end`, 'Users\nService');
      logger.warn({ [`key\n${forged}`]: `value\n${forged}` }, 'Ingest');
      const lines = records();
      expect(lines.filter((line) => line.startsWith('[Nest] 1  -'))).toEqual([]);
      for (const raw of ['\r', '\u001b[2J', '\u0085', '\u2028']) expect(written.join('')).not.toContain(raw);
      expect(written.join('')).toContain(json ? '\\\\u001b[2J' : '\\u001b[2J');
      if (json) lines.forEach((line) => expect(() => JSON.parse(line) as unknown).not.toThrow());
    });

    it('keeps stack frames on their own lines but escapes the message in the stack header', () => {
      const logger = new AppLogger({ json, level: 'log' });
      const error = new Error(forged);
      logger.error(error.message, error.stack, 'ExceptionsHandler');
      const output = written.join('');
      expect(output.split('\n').some((line) => line.startsWith('[Nest] 1  -'))).toBe(false);
      if (json) {
        const stack = (JSON.parse(records()[0]) as { stack: string }).stack.split('\n');
        expect(stack[0]).toBe(`Error: ${forged.replace('\n', '\\n')}`);
        expect(stack[1]).toMatch(/^\s+at /);
      } else {
        expect(output).toContain(`Error: ${forged.replace('\n', '\\n')}\n    at `);
      }
    });
  });
});
