import { INestApplication } from '@nestjs/common';
import { PlantedJourney, RawEvent } from '../lib/synthetic/population';
import { DemoEnvironment } from './infrastructure/demo-environment';
import type { ExperimentReport } from '../modules/experiments/domain/report/report-model';
import type { ExperimentSummaryResponse } from '../modules/experiments/dto/experiment-report.dto';
import type { Engagement } from './steps/engage.step';

/** One experiment of the demo with its report as the API served it. */
export interface DemoExperiment {
  summary: ExperimentSummaryResponse;
  report: ExperimentReport;
  htmlFile: string;
}

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
  /** The LLM, mail server, data folder and settings the app runs with. */
  environment: DemoEnvironment;
  /** Users per arm from which the experiments' results are read (their minimum sample). */
  minimumSample: number;
  /** The campaigns the demo set up, once it has. */
  campaignIds: string[];
  /** What the simulated people did with each message they received. */
  engagements: Engagement[];
  experiments: DemoExperiment[];
  /** Numbers the final step prints; later steps add their own sections. */
  report: Record<string, Record<string, unknown>>;
  log(line: string): void;
}

/** One step of the demo; steps run in order and may read what earlier steps stored in the context. */
export interface DemoStep {
  title: string;
  run(context: DemoContext): Promise<void>;
}

/** Thrown by a step whose product capability this build lacks: the demo ends there, saying so, without pretending. */
export class DemoStopped extends Error {}
