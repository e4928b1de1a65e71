import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ModelRepository } from '../../common/model-store/model.repository';
import { Auth } from '../access/auth.decorator';
import { RankerModelResponse, RankerRetrainAcceptedResponse, toRankerVersion } from './dto/ranking-model.dto';
import { RankingProducer } from './jobs/ranking.queue';
import { RANKER_MODEL_KIND } from './ranker-model.service';
import { priorModel } from './domain';

/** The journey ranker: which version journey builds use, and retraining it from logged outcomes on demand. */
@ApiTags('journeys')
@Controller('v1')
export class RankingModelsController {
  constructor(
    private readonly models: ModelRepository,
    private readonly producer: RankingProducer,
  ) {}

  @Get('ranking-models/current')
  @Auth('admin')
  @ApiOkResponse({ type: RankerModelResponse })
  async current(): Promise<RankerModelResponse> {
    const [[promoted], [candidate]] = await Promise.all([
      this.models.listVersions(RANKER_MODEL_KIND, 1),
      this.models.listVersions(`${RANKER_MODEL_KIND}.candidate`, 1),
    ]);
    const rejectedSince =
      candidate && (!promoted || candidate.createdAt > promoted.createdAt) ? toRankerVersion(candidate) : undefined;
    return {
      ...(promoted ? { ...toRankerVersion(promoted), prior: false } : { version: priorModel().version, prior: true }),
      ...(rejectedSince && { rejectedSince }),
    };
  }

  // Express 5 (path-to-regexp 8) reads an unescaped ':' as a parameter; the custom method needs `\\:`.
  @Post('ranking-models\\:retrain')
  @HttpCode(202)
  @Auth('admin')
  @ApiAcceptedResponse({
    type: RankerRetrainAcceptedResponse,
    description:
      'Queued for the workers: trains on the outcomes of the lookback window and promotes the model if it ranks the latest examples at least as well',
  })
  async retrain(): Promise<RankerRetrainAcceptedResponse> {
    return { jobId: await this.producer.enqueueRetrain() };
  }
}
