import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { IngestModule } from '../ingest/ingest.module';
import { JourneysModule } from '../journeys/journeys.module';
import { LlmModule } from '../llm/llm.module';
import { JourneyJudgeService } from './journey-judge.service';
import { JudgeAgreementService } from './judge-agreement.service';
import { JudgeCacheRepository } from './judge-cache.repository';
import { JudgeErasure } from './judge-erasure';
import { JudgeSampleService } from './judge-sample.service';
import { JudgedUserRepository } from './judged-user.repository';
import {
  JourneyJudgementRecord,
  JourneyJudgementSchema,
  JudgeCacheRecord,
  JudgeCacheSchema,
  JudgedUserRecord,
  JudgedUserSchema,
} from './judgement.schema';
import { JudgementRepository } from './judgement.repository';
import { UserJudgeService } from './user-judge.service';

/**
 * The LLM judge of journey quality, without transport: judged runs, agreement with human grades and grading
 * sheets. The controller, the processor and the schedule live in the role modules that import this one.
 */
@Module({
  imports: [
    IngestModule,
    JourneysModule,
    LlmModule,
    MongooseModule.forFeature([
      { name: JourneyJudgementRecord.name, schema: JourneyJudgementSchema },
      { name: JudgedUserRecord.name, schema: JudgedUserSchema },
      { name: JudgeCacheRecord.name, schema: JudgeCacheSchema },
    ]),
  ],
  providers: [
    JudgementRepository,
    JudgedUserRepository,
    JudgeCacheRepository,
    JudgeSampleService,
    UserJudgeService,
    JourneyJudgeService,
    JudgeAgreementService,
    JudgeErasure,
  ],
  exports: [JourneyJudgeService, JudgeAgreementService, JudgementRepository],
})
export class JourneyJudgeModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly judge: JudgeErasure,
  ) {}

  onModuleInit(): void {
    // Registered after the journeys eraser (JourneysModule initializes first): see JudgeErasure.
    this.erasure.register({ name: 'journeyJudgements', erase: (userId) => this.judge.erase(userId) });
  }
}
