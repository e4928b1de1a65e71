import { ErrorCode, ServerError, toServerError } from '../errors';
import { Doc } from '../storage/documents';
import { aggregateCommands } from './aggregate';
import { collModCommands } from './coll-mod';
import { collectionCommands } from './collections';
import { CommandContext, CommandHandler } from './context';
import { diagnosticCommands } from './diagnostics';
import { explainCommands } from './explain';
import { findAndModifyCommands } from './find-and-modify';
import { handshakeCommands } from './handshake';
import { indexCommands } from './indexes';
import { insertDeleteCommands } from './insert-delete';
import { readCommands } from './read';
import { updateCommands } from './update';

const HANDLERS = new Map<string, CommandHandler>(
  Object.entries({
    ...handshakeCommands,
    ...diagnosticCommands,
    ...readCommands,
    ...insertDeleteCommands,
    ...updateCommands,
    ...findAndModifyCommands,
    ...aggregateCommands,
    ...indexCommands,
    ...collectionCommands,
    ...collModCommands,
    ...explainCommands,
  }),
);

const TRANSACTION_FIELDS = ['txnNumber', 'startTransaction', 'autocommit'];

/** Handshake and diagnostic commands: they change nothing and show no stored data. */
const WITHOUT_DATA = new Set([...Object.keys(handshakeCommands), ...Object.keys(diagnosticCommands)]);

/**
 * Whether a command's reply shows no stored data, so it may be answered while earlier changes still
 * wait to be journaled (a full disk): a client can then still connect and ping, and is told of the
 * disk by its reads and writes instead of timing out on server selection.
 */
export function showsNoData(body: Doc): boolean {
  return WITHOUT_DATA.has(Object.keys(body)[0]);
}

function failure(error: unknown, ctx: Omit<CommandContext, 'db'>): Doc {
  ctx.server.stats.userAsserts++;
  return { ok: 0, ...toServerError(error).toDocument() };
}

/**
 * Runs one command document and always returns a reply document, `{ ok: 0, ... }` on failure: at
 * once for commands that complete synchronously, as a promise for reads that pause.
 */
export function dispatch(body: Doc, ctx: Omit<CommandContext, 'db'>): Doc | Promise<Doc> {
  try {
    const name = Object.keys(body)[0];
    if (name === undefined) throw new ServerError(ErrorCode.CommandNotFound, 'no such command: (empty document)');
    // Checked first so commitTransaction/abortTransaction get the same answer as a real standalone.
    if (TRANSACTION_FIELDS.some((field) => body[field] !== undefined)) {
      throw new ServerError(
        ErrorCode.IllegalOperation,
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    const handler = HANDLERS.get(name);
    if (!handler) throw new ServerError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
    const db = body.$db;
    if (typeof db !== 'string' || db.length === 0 || /[/\\. "$]/.test(db) || db.includes('\u0000')) {
      throw new ServerError(ErrorCode.InvalidNamespace, `Invalid database name: '${String(db)}'`);
    }
    ctx.server.stats.countCommand(name, body);
    const reply = handler(body, { ...ctx, db });
    return reply instanceof Promise ? reply.catch((error: unknown) => failure(error, ctx)) : reply;
  } catch (error) {
    return failure(error, ctx);
  }
}
