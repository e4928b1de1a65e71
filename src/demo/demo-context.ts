import { INestApplication } from '@nestjs/common';
import { PlantedJourney, RawEvent } from '../lib/synthetic/population';

/** What the demo steps share: the running app, its URL, keys, the synthetic data and the report. */
export interface DemoContext {
  app: INestApplication;
  baseUrl: string;
  now: Date;
  seed: number;
  tokens: { admin: string; ingest: string };
  events: RawEvent[];
  /** The journeys planted in the synthetic population, to set beside what Journeycast infers. */
  truth: PlantedJourney[];
  userIds: string[];
  /** Numbers the final step prints; later steps add their own sections. */
  report: Record<string, Record<string, unknown>>;
  log(line: string): void;
}

/** One step of the demo; steps run in order and may read what earlier steps stored in the context. */
export interface DemoStep {
  title: string;
  run(context: DemoContext): Promise<void>;
}
