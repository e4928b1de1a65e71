import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { escapeControl, escapeStack } from './escape';
import { redact, redactText } from './redact';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface AppLoggerOptions {
  json: boolean;
  /** The most verbose level printed. */
  level: Exclude<LogLevel, 'fatal'>;
}

function safeStack(stack: unknown): unknown {
  return typeof stack === 'string' ? escapeStack(redactText(stack)) : stack;
}

/**
 * Nest's console logger (JSON lines in production) with emails and tokens removed and control
 * characters escaped in every message, context and stack: one record never spans forged lines.
 */
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
    super.printMessages(
      messages.map((message) => redact(message)),
      context && escapeControl(context),
      logLevel,
      writeStreamType,
      safeStack(errorStack),
    );
  }

  /** Text format prints the stack on its own lines after the message. */
  protected override printStackTrace(stack: string): void {
    super.printStackTrace(safeStack(stack) as string);
  }
}
