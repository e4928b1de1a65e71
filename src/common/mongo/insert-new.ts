import { Model } from 'mongoose';
import { insertManyReportingDuplicates } from './insert-many';

/**
 * Inserts documents in one unordered batch; those whose unique key is already taken (a repeated
 * selection, a re-delivered job) are left as they are. Returns how many were new. Any other write
 * error is thrown.
 */
export async function insertNew<T>(model: Model<T>, docs: readonly object[]): Promise<number> {
  return docs.length - (await insertManyReportingDuplicates(model, docs)).size;
}
