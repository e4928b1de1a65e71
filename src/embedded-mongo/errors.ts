/** Server error codes the driver and mongoose react to, with MongoDB's names. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  Overflow: 15,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  InvalidPipelineOperator: 168,
  InvalidIndexSpecificationOption: 197,
  NotImplemented: 238,
  NoQueryExecutionPlans: 291,
  UnsupportedOpQueryCommand: 352,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  PositionalProjectionMismatch: 51246,
  DistinctTooBig: 17217,
  SizeNotArray: 17124,
  ExpressionArgumentCount: 16020,
  SetIsSubsetSecondNotArray: 17042,
  SetUnionNotArray: 17043,
  SetEqualsNotArray: 17044,
  SetIsSubsetFirstNotArray: 17046,
  SetIntersectionNotArray: 17047,
  SetDifferenceFirstNotArray: 17048,
  SetDifferenceSecondNotArray: 17049,
  InArgumentNotArray: 40081,
  SwitchNoMatch: 40066,
  ProjectionPathCollision: 31250,
  ProjectionExclusionInInclusion: 31254,
  ProjectionInclusionInExclusion: 31253,
  SliceLimitNotPositive: 28724,
  UnrecognizedPipelineStage: 40324,
  MissingCollationLocale: 40414,
  UnknownCollationField: 40415,
  ChangeStreamNotSupported: 40573,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes MongoDB raises at one place in its source carry the name `Location<code>`. */
const LOCATION_CODES = new Set<number>([
  16020, 17042, 17043, 17044, 17046, 17047, 17048, 17049, 40066, 40081, 17124, 17217, 51246, 31250, 31253, 31254, 28724,
  40324, 40414, 40415,
]);

const NAMES = new Map<number, string>(
  Object.entries(ErrorCode).map(([name, code]) => [code, LOCATION_CODES.has(code) ? `Location${code}` : name]),
);

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

/** Maps anything thrown while executing a command to a ServerError; mingo errors mean a malformed expression or stage. */
export function toServerError(error: unknown): ServerError {
  if (error instanceof ServerError) return error;
  if (error instanceof Error && error.constructor.name === 'MingoError') {
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
