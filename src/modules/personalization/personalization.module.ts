import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { IngestModule } from '../ingest/ingest.module';
import { JourneysModule } from '../journeys/journeys.module';
import { LlmModule } from '../llm/llm.module';
import { RankingModule } from '../ranking/ranking.module';
import { CopyCacheRecord, CopyCacheSchema } from './copy-cache.schema';
import { CopyCacheRepository } from './copy-cache.repository';
import { LlmCopyService } from './llm-copy.service';
import { PersonalizationService } from './personalization.service';

/** What a message is about and its copy: send-time journey ranking, interest keywords, LLM copy with its cache. */
@Module({
  imports: [
    IngestModule,
    JourneysModule,
    RankingModule,
    LlmModule,
    MongooseModule.forFeature([{ name: CopyCacheRecord.name, schema: CopyCacheSchema }]),
  ],
  providers: [CopyCacheRepository, LlmCopyService, PersonalizationService],
  exports: [PersonalizationService, LlmCopyService, CopyCacheRepository],
})
export class PersonalizationModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly copyCache: CopyCacheRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({ name: 'copyCache', erase: (userId) => this.copyCache.deleteByUserId(userId) });
  }
}
