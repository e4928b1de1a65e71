import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { AudienceFactsRecord, AudienceFactsSchema } from './audience-facts.schema';
import { AudienceFactsRepository } from './audience-facts.repository';

/**
 * Audience facts: a leaf that ingest (profiles, activity) and journeys (journey facts) write to and
 * campaigns count on. It imports no feature module, so every writer may depend on it.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: AudienceFactsRecord.name, schema: AudienceFactsSchema }])],
  providers: [AudienceFactsRepository],
  exports: [AudienceFactsRepository],
})
export class AudienceModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly facts: AudienceFactsRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({ name: 'audienceFacts', erase: (userId) => this.facts.deleteByUserId(userId) });
  }
}
