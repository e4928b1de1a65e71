import { Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/auth.decorator';
import { JourneyModelResponse, RetrainAcceptedResponse, toJourneyModelResponse } from './dto/journey-model.dto';
import { JourneysProducer } from './jobs/journeys.queue';
import { PlatformEmbedderService } from './platform-embedder.service';

/** The platform embedder journeys are clustered with: which one is current, and retraining it on demand. */
@ApiTags('journeys')
@Controller('v1')
export class JourneyModelsController {
  constructor(
    private readonly embedders: PlatformEmbedderService,
    private readonly producer: JourneysProducer,
  ) {}

  @Get('journey-models/current')
  @Auth('admin')
  @ApiOkResponse({ type: JourneyModelResponse })
  @ApiNotFoundResponse({ description: 'No model trained yet (the first build trains one)' })
  async current(): Promise<JourneyModelResponse> {
    const status = await this.embedders.status();
    if (!status) throw new NotFoundException('no journey model trained yet');
    return toJourneyModelResponse(status);
  }

  // Express 5 (path-to-regexp 8) reads an unescaped ':' as a parameter; the custom method needs `\\:`.
  @Post('journey-models\\:retrain')
  @HttpCode(202)
  @Auth('admin')
  @ApiAcceptedResponse({
    type: RetrainAcceptedResponse,
    description: 'Queued for the workers; a changed model starts a full build run',
  })
  async retrain(): Promise<RetrainAcceptedResponse> {
    return { jobId: await this.producer.enqueueRetrain() };
  }
}
