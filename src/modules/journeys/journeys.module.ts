import { BullModule } from '@nestjs/bull';
import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { AudienceModule } from '../audience/audience.module';
import { RankingModule } from '../ranking/ranking.module';
import { ErasedDuringBuild } from './erased-during-build';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { ModelStoreModule } from '../../common/model-store/model-store.module';
import { Settings } from '../../config/settings';
import { IngestModule } from '../ingest/ingest.module';
import { LlmModule } from '../llm/llm.module';
import { JOURNEYS_QUEUE, JourneysProducer } from './jobs/journeys.queue';
import { JourneyBuildLedgerRepository } from './journey-build-ledger.repository';
import {
  JourneyBuildLedgerRecord,
  JourneyBuildLedgerSchema,
  JourneyBuildRunRecord,
  JourneyBuildRunSchema,
} from './journey-build-run.schema';
import { JourneyBuildRunRepository } from './journey-build-run.repository';
import { JourneyBatchBuilderService } from './journey-batch-builder.service';
import { JourneyInferenceService } from './inference/journey-inference.service';
import { JourneyBuilderService } from './journey-builder.service';
import { JourneyBuildMetrics } from './journey-build.metrics';
import { JourneyExpansionRecord, JourneyExpansionSchema } from './journey-expansion.schema';
import { JourneyExpansionRepository } from './journey-expansion.repository';
import { JourneyExpansionService } from './journey-expansion.service';
import { JourneyNameRecord, JourneyNameSchema } from './journey-name.schema';
import { JourneyNameRepository } from './journey-name.repository';
import { JourneyNamingService } from './journey-naming.service';
import { JOURNEY_POLICY, journeyPolicyOf } from './journey-policy';
import { JourneyRunsService } from './journey-runs.service';
import { JourneysService } from './journeys.service';
import { PlatformEmbedderService } from './platform-embedder.service';
import { StrandedRuns } from './stranded-runs';
import { UserJourneysRecord, UserJourneysSchema } from './user-journeys.schema';
import { UserJourneysRepository } from './user-journeys.repository';

/** The journeys queue, with lock and stall timings from configuration (short ones in crash tests). */
const journeysQueue = BullModule.registerQueueAsync({
  name: JOURNEYS_QUEUE,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Settings, true>) => {
    const journeys = config.get('journeys', { infer: true });
    return {
      settings: {
        lockDuration: journeys.lockDurationMs,
        stalledInterval: journeys.stalledIntervalMs,
        maxStalledCount: journeys.maxStalledCount,
      },
    };
  },
});

/**
 * Journeys as a service, without transport: storage, the per-user builder, runs and the queue producer.
 * The HTTP controller, the Bull processor and the schedules live in the role modules that import this one.
 */
@Module({
  imports: [
    AudienceModule,
    IngestModule,
    ModelStoreModule,
    LlmModule,
    RankingModule,
    MongooseModule.forFeature([
      { name: UserJourneysRecord.name, schema: UserJourneysSchema },
      { name: JourneyBuildRunRecord.name, schema: JourneyBuildRunSchema },
      { name: JourneyBuildLedgerRecord.name, schema: JourneyBuildLedgerSchema },
      { name: JourneyExpansionRecord.name, schema: JourneyExpansionSchema },
      { name: JourneyNameRecord.name, schema: JourneyNameSchema },
    ]),
    journeysQueue,
  ],
  providers: [
    {
      provide: JOURNEY_POLICY,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => journeyPolicyOf(config.get('journeys', { infer: true })),
    },
    UserJourneysRepository,
    JourneyBuildRunRepository,
    JourneyBuildLedgerRepository,
    JourneyExpansionRepository,
    JourneyNameRepository,
    PlatformEmbedderService,
    JourneyNamingService,
    JourneyExpansionService,
    JourneyBuilderService,
    ErasedDuringBuild,
    JourneyBatchBuilderService,
    JourneyInferenceService,
    JourneyRunsService,
    JourneysService,
    JourneysProducer,
    JourneyBuildMetrics,
    StrandedRuns,
  ],
  exports: [
    journeysQueue,
    JOURNEY_POLICY,
    JourneyExpansionService,
    JourneysService,
    JourneyRunsService,
    JourneysProducer,
    UserJourneysRepository,
    PlatformEmbedderService,
    StrandedRuns,
  ],
})
export class JourneysModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly userJourneys: UserJourneysRepository,
    private readonly ledger: JourneyBuildLedgerRepository,
    private readonly names: JourneyNameRepository,
    private readonly expansions: JourneyExpansionRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register({
      name: 'journeys',
      erase: async (userId) =>
        (await this.userJourneys.deleteByUserId(userId)) +
        (await this.ledger.deleteByUserId(userId)) +
        (await this.names.deleteByUserId(userId)) +
        (await this.expansions.deleteByUserId(userId)),
    });
  }
}
