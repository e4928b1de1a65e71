import { Model, mongo, QueryFilter, UpdateQuery } from 'mongoose';

const DUPLICATE_KEY = 11000;

/** Whether `error` is MongoDB's duplicate-key error (a unique index refused the write). */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * Inserts `doc` unless a document matches `filter` (which a unique index covers); true when it was
 * inserted. Concurrent callers race on the index: one inserts, the others get false.
 */
export async function insertOnce<T extends object>(model: Model<T>, filter: QueryFilter<T>, doc: T): Promise<boolean> {
  try {
    const result = await model.updateOne(
      filter,
      { $setOnInsert: doc as UpdateQuery<T>['$setOnInsert'] },
      { upsert: true },
    );
    return result.upsertedCount > 0;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
