import { Db, MongoClient, MongoClientOptions } from 'mongodb';
import { EmbeddedMongo } from '../../src/embedded-mongo';

/** A private in-memory embedded MongoDB-compatible server on a random port, one per test file. */
export function startTestMongo(): Promise<EmbeddedMongo> {
  return EmbeddedMongo.start();
}

/** What a test file talks to through the official driver. */
export interface DriverClient {
  server: EmbeddedMongo;
  client: MongoClient;
  db: Db;
}

/**
 * Starts a private server and connects the official driver for the enclosing describe block
 * (beforeAll / afterAll); the fields are set once the block's tests run.
 */
export function useDriverClient(database: string, options: MongoClientOptions = {}): DriverClient {
  const harness = {} as DriverClient;
  beforeAll(async () => {
    harness.server = await startTestMongo();
    harness.client = await MongoClient.connect(harness.server.uri, options);
    harness.db = harness.client.db(database);
  });
  afterAll(async () => {
    await harness.client?.close();
    await harness.server?.stop();
  });
  return harness;
}
