import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { escapeControl, escapeStack } from './escape';
import { redact, redactText } from './redact';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export interface AppLoggerOptions {
  json: boolean;
  /** The most verbose level printed. */
  level: Exclude<LogLevel, 'fatal'>;
  /** Every level to stderr, so a CLI command's stdout carries only its output. */
  stderr?: boolean;
}

function safeStack(stack: unknown): unknown {
  return typeof stack === 'string' ? escapeStack(redactText(stack)) : stack;
}

/**
 * Nest's console logger (JSON lines in production) with emails and tokens removed and control
 * characters escaped in every message, context and stack: one record never spans forged lines.
 */
export class AppLogger extends ConsoleLogger {
  private readonly toStderr: boolean;

  constructor(options: AppLoggerOptions) {
    super({ json: options.json, colors: !options.json, logLevels: LEVELS.slice(0, LEVELS.indexOf(options.level) + 1) });
    this.toStderr = options.stderr === true;
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
      this.toStderr ? 'stderr' : writeStreamType,
      safeStack(errorStack),
    );
  }

  /** Text format prints the stack on its own lines after the message. */
  protected override printStackTrace(stack: string): void {
    super.printStackTrace(safeStack(stack) as string);
  }
}
