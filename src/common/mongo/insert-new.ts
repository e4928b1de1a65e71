import { Model, mongo } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Inserts documents in one unordered batch; those whose unique key is already taken (a repeated
 * selection, a re-delivered job) are left as they are. Returns how many were new. Any other write
 * error is thrown.
 */
export async function insertNew<T>(model: Model<T>, docs: readonly object[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const result = await model.collection.insertMany(docs as mongo.OptionalId<mongo.BSON.Document>[], {
      ordered: false,
    });
    return result.insertedCount;
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return error.result.insertedCount;
  }
}
