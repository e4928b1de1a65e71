import { EmbeddedMongo } from '../../src/embedded-mongo';

/** A private in-memory embedded MongoDB-compatible server on a random port, one per test file. */
export function startTestMongo(): Promise<EmbeddedMongo> {
  return EmbeddedMongo.start();
}
