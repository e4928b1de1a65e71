import { Model, mongo } from 'mongoose';

/** Whether a write failed on a unique index (E11000): another writer got there first. */
export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof mongo.MongoServerError && error.code === 11000;
}

/** Inserts a record unless one with the same unique key exists; false when another writer got there first. */
export async function insertUnlessDuplicate<T>(model: Model<T>, record: T): Promise<boolean> {
  try {
    await model.create(record);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
