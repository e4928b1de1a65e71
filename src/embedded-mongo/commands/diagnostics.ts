import { hostname } from 'node:os';
import { realpathSync } from 'node:fs';
import { ErrorCode, ServerError } from '../errors';
import { isPlainObject } from '../storage/bson-values';
import { Doc } from '../storage/documents';
import { CommandHandler } from './context';
import { SERVER_VERSION } from './handshake';

const MIB = 1024 * 1024;
/** Command fields that are not parameter names. */
const NOT_PARAMETERS = new Set([
  'getParameter',
  'setParameter',
  '$db',
  'lsid',
  '$clusterTime',
  'comment',
  '$readPreference',
]);

/** serverStatus: real figures for this process (uptime, connections, opcounters, memory, network). */
const serverStatus: CommandHandler = (_cmd, ctx) => {
  const { stats, startedAt } = ctx.server;
  const uptimeMillis = Date.now() - startedAt.getTime();
  const memory = process.memoryUsage();
  return {
    host: `${hostname()}:${ctx.server.port}`,
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis,
    uptimeEstimate: Math.floor(uptimeMillis / 1000),
    localTime: new Date(),
    asserts: { regular: 0, warning: 0, msg: 0, user: stats.userAsserts, rollovers: 0 },
    connections: {
      current: stats.connections.current,
      available: Math.max(0, 1_000_000 - stats.connections.current),
      totalCreated: stats.connections.totalCreated,
      active: stats.connections.active,
      threaded: stats.connections.current,
    },
    mem: { bits: 64, resident: Math.round(memory.rss / MIB), virtual: Math.round(memory.rss / MIB), supported: true },
    network: {
      bytesIn: stats.network.bytesIn,
      bytesOut: stats.network.bytesOut,
      physicalBytesIn: stats.network.bytesIn,
      physicalBytesOut: stats.network.bytesOut,
      numRequests: stats.network.numRequests,
    },
    opcounters: { ...stats.opcounters },
    storageEngine: {
      name: 'journeycast-embedded',
      supportsCommittedReads: false,
      persistent: ctx.server.dataDir !== null,
    },
    ok: 1,
  };
};

/** getCmdLineOpts: how this server was started, including its data directory (which clients use to identify it). */
const getCmdLineOpts: CommandHandler = (_cmd, ctx) => {
  const parsed: Doc = { net: { bindIp: ctx.server.host, port: ctx.server.port } };
  if (ctx.server.dataDir) parsed.storage = { dbPath: realpathSync(ctx.server.dataDir) };
  return { argv: ['journeycast-embedded-mongo'], parsed, ok: 1 };
};

const getParameter: CommandHandler = (cmd, ctx) => {
  const { parameters } = ctx.server;
  const options = isPlainObject(cmd.getParameter) ? cmd.getParameter : {};
  const all = cmd.getParameter === '*' || options.allParameters === true;
  const names = all ? parameters.names() : Object.keys(cmd).filter((n) => !NOT_PARAMETERS.has(n) && parameters.has(n));
  if (names.length === 0) throw new ServerError(ErrorCode.InvalidOptions, 'no option found to get');
  const reply: Doc = {};
  for (const name of names) {
    reply[name] = options.showDetails === true ? parameters.details(name) : parameters.get(name);
  }
  return { ...reply, ok: 1 };
};

const setParameter: CommandHandler = (cmd, ctx) => {
  const names = Object.keys(cmd).filter((n) => !NOT_PARAMETERS.has(n));
  if (names.length === 0) {
    throw new ServerError(ErrorCode.InvalidOptions, 'no option found to set, use help:true to see options');
  }
  let was: unknown;
  for (const name of names) was = ctx.server.parameters.set(name, cmd[name]);
  return { was, ok: 1 };
};

export const diagnosticCommands: Record<string, CommandHandler> = {
  serverStatus,
  getCmdLineOpts,
  getParameter,
  setParameter,
};
