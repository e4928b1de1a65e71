import { ErrorCode, ServerError } from '../errors';
import { Doc } from '../storage/documents';
import { isPlainObject } from '../storage/key-encoding';
import { runFind } from '../storage/query-executor';
import { scan } from '../storage/plan-reader';
import { CommandHandler, collectionName } from './context';

/** Where each explainable command keeps its filter. */
const FILTER_FIELD: Record<string, (cmd: Doc) => unknown> = {
  find: (cmd) => cmd.filter,
  count: (cmd) => cmd.query,
  distinct: (cmd) => cmd.query,
  findAndModify: (cmd) => cmd.query,
  aggregate: (cmd) =>
    Array.isArray(cmd.pipeline) && isPlainObject(cmd.pipeline[0]) ? cmd.pipeline[0].$match : undefined,
};

/** explain: reports the index (IXSCAN) or collection scan (COLLSCAN) a command's filter would use. */
const explain: CommandHandler = (cmd, ctx) => {
  const inner = cmd.explain;
  if (!isPlainObject(inner)) throw new ServerError(ErrorCode.BadValue, 'explain requires a command document');
  const command = Object.keys(inner)[0];
  const filterOf = FILTER_FIELD[command];
  if (!filterOf) {
    throw new ServerError(ErrorCode.NotImplemented, `explain is not supported for ${command} by the embedded server`);
  }
  const name = collectionName(inner, command);
  const rawFilter = filterOf(inner);
  const filter = isPlainObject(rawFilter) ? rawFilter : {};
  const collection = ctx.store.collection(ctx.db, name);
  const result = collection
    ? scan(collection, filter, { hint: inner.hint })
    : { docs: [], indexName: null, keysExamined: 0 };
  const index = result.indexName ? collection?.indexes.get(result.indexName) : undefined;
  const input = index
    ? { stage: 'IXSCAN', indexName: index.spec.name, keyPattern: index.spec.key, isMultiKey: index.multikey }
    : { stage: 'COLLSCAN', filter };
  const nReturned =
    command === 'find' && collection ? runFind(collection, { filter, hint: inner.hint }).length : result.docs.length;
  return {
    queryPlanner: {
      namespace: `${ctx.db}.${name}`,
      parsedQuery: filter,
      winningPlan: index ? { stage: 'FETCH', inputStage: input } : input,
      rejectedPlans: [],
    },
    executionStats: { nReturned, totalKeysExamined: result.keysExamined, totalDocsExamined: result.docs.length },
    serverInfo: { host: 'localhost', version: '7.0.0' },
    ok: 1,
  };
};

export const explainCommands: Record<string, CommandHandler> = { explain };
