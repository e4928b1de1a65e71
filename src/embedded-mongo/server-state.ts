import { ErrorCode, ServerError, badValue } from './errors';
import { numericValue } from './storage/bson-values';

/** Counters behind `serverStatus`: operations, connections and bytes, as MongoDB reports them. */
export class ServerStats {
  readonly opcounters = { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 };
  readonly connections = { current: 0, totalCreated: 0, active: 0 };
  readonly network = { bytesIn: 0, bytesOut: 0, numRequests: 0 };
  userAsserts = 0;

  /** Counts one command the way MongoDB's opcounters do: CRUD per statement, everything else as a command. */
  countCommand(name: string, body: Record<string, unknown>): void {
    const length = (field: string) => (Array.isArray(body[field]) ? (body[field] as unknown[]).length : 0);
    switch (name) {
      case 'insert':
        this.opcounters.insert += length('documents');
        break;
      case 'update':
        this.opcounters.update += length('updates');
        break;
      case 'delete':
        this.opcounters.delete += length('deletes');
        break;
      case 'find':
        this.opcounters.query++;
        break;
      case 'getMore':
        this.opcounters.getmore++;
        break;
      default:
        this.opcounters.command++;
    }
  }
}

interface Parameter {
  value: unknown;
  settable: boolean;
  check?: (value: unknown) => unknown;
}

function nonNegativeInteger(name: string) {
  return (value: unknown) => {
    const n = Number(numericValue(value));
    if (!Number.isInteger(n) || n < 0) throw badValue(`${name} must be a non-negative integer`);
    return n;
  };
}

function bool(value: unknown): boolean {
  if (typeof value !== 'boolean') throw badValue('parameter must be a boolean');
  return value;
}

/** The server parameters `getParameter` reads and `setParameter` changes; each one has an effect or is read-only. */
export class ServerParameters {
  private readonly values = new Map<string, Parameter>([
    ['featureCompatibilityVersion', { value: { version: '7.0' }, settable: false }],
    ['authenticationMechanisms', { value: [], settable: false }],
    ['maxBSONObjectSize', { value: 16 * 1024 * 1024, settable: false }],
    ['logLevel', { value: 0, settable: true, check: nonNegativeInteger('logLevel') }],
    ['quiet', { value: false, settable: true, check: bool }],
    ['cursorTimeoutMillis', { value: 600_000, settable: true, check: nonNegativeInteger('cursorTimeoutMillis') }],
    ['ttlMonitorEnabled', { value: true, settable: true, check: bool }],
    ['ttlMonitorSleepSecs', { value: 1, settable: false }],
  ]);

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): unknown {
    return this.values.get(name)?.value;
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  details(name: string): Record<string, unknown> {
    const p = this.values.get(name)!;
    return { value: p.value, settableAtRuntime: p.settable, settableAtStartup: p.settable };
  }

  /** Sets a parameter and returns its previous value. */
  set(name: string, value: unknown): unknown {
    const p = this.values.get(name);
    if (!p) {
      throw new ServerError(
        ErrorCode.InvalidOptions,
        `attempted to set unrecognized parameter [${name}], use help:true to see options`,
      );
    }
    if (!p.settable) throw badValue(`not allowed to change [${name}] at runtime`);
    const was = p.value;
    p.value = p.check ? p.check(value) : value;
    return was;
  }
}

/** Facts about this server process shared by every connection. */
export class ServerState {
  readonly stats = new ServerStats();
  readonly parameters = new ServerParameters();
  readonly startedAt = new Date();
  host = '127.0.0.1';
  port = 0;

  constructor(readonly dataDir: string | null) {}
}
