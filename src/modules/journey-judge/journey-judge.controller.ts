import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/auth.decorator';
import { RunIdParams } from '../journeys/dto/journey-run.dto';
import { JudgementResponse, toJudgementResponse } from './dto/judgement-response.dto';
import { JourneyJudgeService } from './journey-judge.service';

@ApiTags('journeys')
@Controller('v1')
export class JourneyJudgeController {
  constructor(private readonly judge: JourneyJudgeService) {}

  @Get('journey-runs/:runId/judgement')
  @Auth('admin')
  @ApiOkResponse({ type: JudgementResponse, description: 'The latest judgement of the build run' })
  @ApiNotFoundResponse({ description: 'The run has not been judged' })
  async getJudgement(@Param() { runId }: RunIdParams): Promise<JudgementResponse> {
    const report = await this.judge.latestOfRun(runId);
    if (!report) throw new NotFoundException(`journey run ${runId} has not been judged`);
    return toJudgementResponse(report);
  }
}
