import { Model, mongo } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Inserts documents in one unordered batch and returns the positions of those a unique index refused
 * (their key was already taken); every other document is stored. Any other write error is thrown.
 */
export async function insertManyReportingDuplicates<T>(model: Model<T>, docs: readonly object[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await model.collection.insertMany(docs as mongo.OptionalId<mongo.BSON.Document>[], { ordered: false });
    return new Set();
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return new Set(writeErrors.map((e) => e.index));
  }
}
