import { Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { ExperimentAssignmentRepository } from './experiment-assignment.repository';
import { ExperimentAssignmentRecord, ExperimentAssignmentSchema } from './experiment-assignment.schema';
import { ExperimentAssignmentsService } from './experiment-assignments.service';
import { ExperimentOutcomeRepository } from './experiment-outcome.repository';
import { ExperimentOutcomeRecord, ExperimentOutcomeSchema } from './experiment-outcome.schema';
import { ExperimentOutcomesService } from './experiment-outcomes.service';
import { ExperimentAssignments, ExperimentOutcomes } from './experiment-ports';
import { ExperimentRegistry } from './experiment-registry.service';
import { ExperimentReportWriter } from './experiment-report-writer.service';
import { ExperimentReportsService } from './experiment-reports.service';
import { ExperimentStatisticsRepository } from './experiment-statistics.repository';
import { ExperimentStatisticsRecord, ExperimentStatisticsSchema } from './experiment-statistics.schema';
import { ExperimentRepository } from './experiment.repository';
import { ExperimentRecord, ExperimentSchema } from './experiment.schema';

/**
 * Experiments in service, on MongoDB alone: sticky recorded assignment (`ExperimentAssignments`, for the
 * send fan-out), outcome attribution (`ExperimentOutcomes`, for tracking), the sufficient statistics
 * both keep, and reports built from those statistics.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ExperimentRecord.name, schema: ExperimentSchema },
      { name: ExperimentAssignmentRecord.name, schema: ExperimentAssignmentSchema },
      { name: ExperimentStatisticsRecord.name, schema: ExperimentStatisticsSchema },
      { name: ExperimentOutcomeRecord.name, schema: ExperimentOutcomeSchema },
    ]),
  ],
  providers: [
    ExperimentRepository,
    ExperimentAssignmentRepository,
    ExperimentStatisticsRepository,
    ExperimentOutcomeRepository,
    ExperimentRegistry,
    ExperimentReportsService,
    ExperimentReportWriter,
    { provide: ExperimentAssignments, useClass: ExperimentAssignmentsService },
    { provide: ExperimentOutcomes, useClass: ExperimentOutcomesService },
  ],
  exports: [ExperimentAssignments, ExperimentOutcomes, ExperimentReportsService, ExperimentReportWriter],
})
export class ExperimentsModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly assignments: ExperimentAssignmentRepository,
    private readonly outcomes: ExperimentOutcomeRepository,
  ) {}

  /** Erasing a user removes their assignments and outcomes; the anonymous sums of their arm stay. */
  onModuleInit(): void {
    this.erasure.register({ name: 'experimentAssignments', erase: (id) => this.assignments.deleteByUser(id) });
    this.erasure.register({ name: 'experimentOutcomes', erase: (id) => this.outcomes.deleteByUser(id) });
  }
}
