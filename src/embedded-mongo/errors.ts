/** Server error codes the driver and mongoose react to, with MongoDB's names. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  UnsupportedOpQueryCommand: 352,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  ChangeStreamNotSupported: 40573,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

const NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** A command failure that becomes `{ ok: 0, code, codeName, errmsg }` on the wire. */
export class ServerError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get codeName(): string {
    return NAMES.get(this.code) ?? 'UnknownError';
  }

  /** The document shape used both for command errors and for entries in `writeErrors`. */
  toDocument(): Record<string, unknown> {
    return { code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

/** Maps anything thrown while executing a command to a ServerError; mingo errors mean a malformed query. */
export function toServerError(error: unknown): ServerError {
  if (error instanceof ServerError) return error;
  if (error instanceof Error && error.constructor.name === 'MingoError') {
    if (error.message.includes("immutable field '_id'")) {
      return new ServerError(ErrorCode.ImmutableField, error.message);
    }
    return new ServerError(ErrorCode.BadValue, error.message);
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new ServerError(ErrorCode.BadValue, 'document or expression nested too deeply');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ServerError(ErrorCode.InternalError, message);
}

/** Error 2 BadValue, MongoDB's answer to malformed queries and arguments. */
export function badValue(message: string): ServerError {
  return new ServerError(ErrorCode.BadValue, message);
}
