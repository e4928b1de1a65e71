import { serveTasks } from '../../../lib/concurrency/worker-pool';
import { chooseEmbedder } from '../domain/embedder-choice';
import { Embedder } from '../domain/embedder';
import { PlatformEmbedder } from '../domain/platform-embedder';
import { inferUsers, InferenceUser } from './raw-histories';

/** What `JourneyInferenceService` asks of an inference thread. */
export type InferenceMessage =
  | { kind: 'model'; version: string; json: string }
  | { kind: 'forget'; version: string }
  | { kind: 'infer'; version: string; now: number; raw: ArrayBuffer; users: InferenceUser[] };

/** Embedders by model version, as the service chose them from the same stored model. */
const embedders = new Map<string, Embedder>();

serveTasks((message) => {
  const m = message as InferenceMessage;
  switch (m.kind) {
    case 'model':
      embedders.set(m.version, chooseEmbedder(PlatformEmbedder.fromJSON(JSON.parse(m.json))).embedder);
      return { result: true };
    case 'forget':
      embedders.delete(m.version);
      return { result: true };
    case 'infer': {
      const embedder = embedders.get(m.version);
      if (!embedder) throw new Error(`platform embedder ${m.version} was not sent to this inference thread`);
      return { result: inferUsers(new Uint8Array(m.raw), m.users, embedder, new Date(m.now)) };
    }
  }
});
