/**
 * Options for every mingo call. Server-side JavaScript ($where, $function, $accumulator) is off:
 * any TCP client could otherwise run code inside this process.
 */
export const MINGO_OPTIONS = { scriptEnabled: false } as const;
