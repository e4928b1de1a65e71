import { Injectable, Logger } from '@nestjs/common';
import { Annotation, modelProbability, RankingError, RankingModel, trainRankingModel, TrainingExample } from './domain';
import { auc } from './domain/metrics';
import { RankerModelService } from './ranker-model.service';
import { RankingExampleRepository } from './ranking-example.repository';

export interface RetrainPolicy {
  /** How far back examples are used. */
  lookbackDays: number;
  /** Fewer labelled examples than this (or no positives or no negatives) means no retrain. */
  minExamples: number;
  attributionWindowHours: number;
  /** A candidate is promoted only if its validation AUC is at least the current model's minus this. */
  aucTolerance: number;
}

export type RetrainOutcome =
  | { status: 'skipped'; reason: string; examples: number }
  | { status: 'promoted' | 'rejected'; model: RankingModel; currentAuc: number; examples: number };

/** What a retrain reports, to Bull and the CLI (the model itself is in MongoDB). */
export type RetrainSummary =
  | { status: 'skipped'; reason: string; examples: number }
  | { status: 'promoted' | 'rejected'; version: string; examples: number; validationAuc?: number; currentAuc: number };

export function retrainSummary(outcome: RetrainOutcome): RetrainSummary {
  if (outcome.status === 'skipped') return outcome;
  return {
    status: outcome.status,
    version: outcome.model.version,
    examples: outcome.examples,
    validationAuc: outcome.model.report?.validation.auc,
    currentAuc: outcome.currentAuc,
  };
}

/**
 * Retrains the journey ranker from logged notification outcomes (plus annotations) and promotes the
 * candidate only when it ranks the held-out latest examples at least as well as the model in use.
 */
@Injectable()
export class RankerTrainingService {
  private readonly logger = new Logger(RankerTrainingService.name);

  constructor(
    private readonly examples: RankingExampleRepository,
    private readonly models: RankerModelService,
  ) {}

  async retrain(now: Date, policy: RetrainPolicy): Promise<RetrainOutcome> {
    const since = new Date(now.getTime() - policy.lookbackDays * 86_400_000);
    const examples = await this.examples.findLabelled(since, now, policy.attributionWindowHours);
    const annotations = await this.examples.findAnnotations();
    const positives = examples.filter((e) => e.label === 1).length;
    if (examples.length < policy.minExamples || positives === 0 || positives === examples.length) {
      const reason = `${examples.length} labelled examples (${positives} positive); need ${policy.minExamples} with both labels`;
      this.logger.log(`ranker retrain skipped: ${reason}`);
      return { status: 'skipped', reason, examples: examples.length };
    }
    try {
      return await this.trainAndGate(examples, annotations, now, policy);
    } catch (error) {
      // Both labels overall, but not in every split (say, none of the latest examples opened): keep the model.
      if (!(error instanceof RankingError) || error.code !== 'ranking.insufficient-data') throw error;
      this.logger.log(`ranker retrain skipped: ${error.message}`);
      return { status: 'skipped', reason: error.message, examples: examples.length };
    }
  }

  /** Trains on the given examples and publishes the candidate through the promotion gate. */
  async trainAndGate(
    examples: readonly TrainingExample[],
    annotations: readonly Annotation[],
    now: Date,
    policy: Pick<RetrainPolicy, 'aucTolerance'>,
  ): Promise<RetrainOutcome> {
    return this.publish(trainRankingModel(examples, { now }, annotations), examples, policy);
  }

  /**
   * Stores a trained model as a candidate, or as the model builds use when it ranks the latest examples
   * (its validation split) at least as well as the model in use; `force` skips that comparison.
   */
  async publish(
    model: RankingModel,
    examples: readonly TrainingExample[],
    policy: Pick<RetrainPolicy, 'aucTolerance'> & { force?: boolean },
  ): Promise<RetrainOutcome> {
    const current = await this.models.current();
    const currentAuc = aucOnValidationSplit(current, model, examples);
    const better = model.report !== undefined && model.report.validation.auc >= currentAuc - policy.aucTolerance;
    const promote = policy.force === true || better;
    await this.models.save(model, promote);
    this.logger.log(
      `ranker ${model.version} ${promote ? 'promoted' : 'rejected'}: validation AUC ${model.report?.validation.auc.toFixed(3)} against ${currentAuc.toFixed(3)} in use`,
    );
    return { status: promote ? 'promoted' : 'rejected', model, currentAuc, examples: examples.length };
  }
}

/** AUC of a model on the candidate's validation split (the latest examples), so both are judged alike. */
function aucOnValidationSplit(
  model: RankingModel,
  candidate: RankingModel,
  examples: readonly TrainingExample[],
): number {
  if (!candidate.report) return 0;
  const from = Date.parse(candidate.report.splitAt[1]);
  const validation = examples.filter((e) => e.at.getTime() >= from);
  const scores = validation.map((e) =>
    modelProbability(
      model,
      model.featureNames.map((name) => e.features[name] ?? 0),
    ),
  );
  return auc(
    scores,
    validation.map((e) => e.label),
  );
}
