import { Type } from '@nestjs/common';
import { AppRole } from './config/app.config';
import { ErasureModule } from './common/erasure/erasure.module';
import { MetricsModule } from './common/metrics/metrics.module';
import { DatabaseModule } from './common/mongo/database.module';
import { QueueModule } from './common/queue/queue.module';
import { RedisModule } from './common/redis/redis.module';
import { AccessModule } from './modules/access/access.module';
import { AudienceJobsModule } from './modules/audience/audience-jobs.module';
import { CampaignsHttpModule } from './modules/campaigns/campaigns-http.module';
import { ExperimentsJobsModule } from './modules/experiments/jobs/experiments-jobs.module';
import { ExperimentsHttpModule } from './modules/experiments/experiments-http.module';
import { CampaignRunsHttpModule } from './modules/campaigns/runs/campaign-runs-http.module';
import { CampaignRunsJobsModule } from './modules/campaigns/runs/jobs/campaign-runs-jobs.module';
import { ConsoleModule } from './modules/console/console.module';
import { IngestApiModule } from './modules/ingest/ingest-api.module';
import { JourneysJobsModule } from './modules/journeys/jobs/journeys-jobs.module';
import { JourneysHttpModule } from './modules/journeys/journeys-http.module';
import { JourneyJudgeJobsModule } from './modules/journey-judge/jobs/journey-judge-jobs.module';
import { JourneyJudgeHttpModule } from './modules/journey-judge/journey-judge-http.module';
import { OperationsModule } from './modules/operations/operations.module';
import { RankingHttpModule } from './modules/ranking/ranking-http.module';
import { RankingJobsModule } from './modules/ranking/ranking-jobs.module';
import { SchedulingModule } from './modules/scheduling/scheduling.module';
import { PreferenceGuardsModule } from './modules/tracking/preference-guards.module';
import { TrackingHttpModule } from './modules/tracking/tracking-http.module';
import { TrackingJobsModule } from './modules/tracking/jobs/tracking-jobs.module';

/** Modules every role needs: configuration comes separately from AppModule.forRoot. */
const CORE: Type[] = [MetricsModule, ErasureModule, DatabaseModule, RedisModule, QueueModule, AccessModule];

/**
 * What each APP_ROLE runs. A feature module lands in `api` when it has controllers, in `worker` when
 * it has Bull processors, in `scheduler` when it has cron triggers; `all` is the union.
 */
export const ROLE_MODULES: Record<Exclude<AppRole, 'all'>, Type[]> = {
  api: [
    IngestApiModule,
    OperationsModule,
    JourneysHttpModule,
    RankingHttpModule,
    JourneyJudgeHttpModule,
    CampaignsHttpModule,
    CampaignRunsHttpModule,
    PreferenceGuardsModule,
    TrackingHttpModule,
    ExperimentsHttpModule,
    ConsoleModule,
  ],
  worker: [
    AudienceJobsModule,
    JourneysJobsModule,
    RankingJobsModule,
    JourneyJudgeJobsModule,
    CampaignRunsJobsModule,
    PreferenceGuardsModule,
    ExperimentsJobsModule,
    TrackingJobsModule,
  ],
  scheduler: [SchedulingModule],
};

/** The modules of a role; `opsEndpoints` adds /health and /metrics to a role without an API. */
export function modulesForRole(role: AppRole, opsEndpoints = false): Type[] {
  const roles = role === 'all' ? (['api', 'worker', 'scheduler'] as const) : [role];
  const ops = opsEndpoints ? [OperationsModule] : [];
  return [...new Set([...CORE, ...roles.flatMap((r) => ROLE_MODULES[r]), ...ops])];
}

/** Roles that send messages: their processes build the delivery channels, and so read the push providers' keys. */
export function sendsMessages(role: AppRole): boolean {
  return role === 'worker' || role === 'all';
}

/** Only roles that serve HTTP listen on a port. */
export function servesHttp(role: AppRole): boolean {
  return role === 'api' || role === 'all';
}

/** Worker and scheduler processes serve only /health and /metrics, and only when OPS_PORT is set. */
export function servesOps(app: { role: AppRole; opsPort: number }): boolean {
  return !servesHttp(app.role) && app.opsPort > 0;
}
