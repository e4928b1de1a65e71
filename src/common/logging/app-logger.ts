import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { redact, redactText } from './redact';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface AppLoggerOptions {
  json: boolean;
  /** The most verbose level printed. */
  level: Exclude<LogLevel, 'fatal'>;
}

/** Nest's console logger (JSON lines in production) with emails and tokens removed from every message. */
export class AppLogger extends ConsoleLogger {
  constructor(options: AppLoggerOptions) {
    super({ json: options.json, colors: !options.json, logLevels: LEVELS.slice(0, LEVELS.indexOf(options.level) + 1) });
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    const stack = typeof errorStack === 'string' ? redactText(errorStack) : errorStack;
    super.printMessages(
      messages.map((message) => redact(message)),
      context,
      logLevel,
      writeStreamType,
      stack,
    );
  }
}
