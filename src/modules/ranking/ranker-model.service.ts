import { Injectable, Logger } from '@nestjs/common';
import { ModelRepository } from '../../common/model-store/model.repository';
import { parseRankingModel, priorModel, RankingModel } from './domain';

export const RANKER_MODEL_KIND = 'journey-ranker';
const REFRESH_MS = 60_000;

/**
 * The ranker every journey build uses: the latest promoted model version in MongoDB, or the documented
 * prior before any model is trained. Cached per process and refreshed once a minute, so a retrain on one
 * worker reaches every worker without a restart.
 */
@Injectable()
export class RankerModelService {
  private readonly logger = new Logger(RankerModelService.name);
  private cached?: { model: RankingModel; loadedAt: number };

  constructor(private readonly models: ModelRepository) {}

  async current(now = Date.now()): Promise<RankingModel> {
    if (this.cached && now - this.cached.loadedAt < REFRESH_MS) return this.cached.model;
    const model = await this.loadLatest();
    this.cached = { model, loadedAt: now };
    return model;
  }

  /** Stores a model version; `promote` makes it the one builds use (the latest promoted version wins). */
  async save(model: RankingModel, promote: boolean): Promise<void> {
    const meta: Record<string, unknown> = { promoted: promote };
    if (model.report) {
      meta.validationAuc = model.report.validation.auc;
      meta.validationLogLoss = model.report.validation.logLoss;
      meta.priorValidationAuc = model.report.priorValidation.auc;
      meta.examples = model.report.examples;
    }
    const kind = promote ? RANKER_MODEL_KIND : `${RANKER_MODEL_KIND}.candidate`;
    await this.models.save(kind, model.version, Buffer.from(JSON.stringify(model)), meta);
    if (promote) this.cached = undefined;
  }

  private async loadLatest(): Promise<RankingModel> {
    const stored = await this.models.findLatest(RANKER_MODEL_KIND);
    if (!stored) return priorModel();
    try {
      return parseRankingModel(JSON.parse(stored.payload.toString('utf8')));
    } catch (error) {
      this.logger.error(`stored ranker ${stored.version} is unusable, using the prior: ${(error as Error).message}`);
      return priorModel();
    }
  }
}
