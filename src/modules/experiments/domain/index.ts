/** Public surface of the experiments domain, for the experiments service, the campaigns fan-out, the CLI and the demo. */
export { assign, createAssigner, inGlobalControl, GLOBAL_CONTROL_ARM, HOLDOUT_ARM } from './assignment/assign';
export type {
  Assignment,
  AssignmentDesign,
  AssignOptions,
  GlobalControlGroup,
  StoredAssignment,
} from './assignment/assign';
export { hash } from './assignment/hash';
export type { HashVersion } from './assignment/hash';
export { chooseVariation, getBucketRanges, getEqualWeights, inNamespace } from './assignment/bucket-ranges';
export type { BucketRange, Namespace } from './assignment/bucket-ranges';
export { fnv1a32 } from './assignment/fnv1a';
export {
  DEFAULT_ANALYSIS,
  DEFAULT_ATTRIBUTION_WINDOW_HOURS,
  DEFAULT_MINIMUM_SAMPLE,
  assignmentDesign,
  parseExperimentDefinition,
} from './experiment-definition';
export type { AnalysisSettings, ExperimentDefinition, ExperimentVariant } from './experiment-definition';
export { METRICS, METRIC_IDS, isMetricId } from './metrics';
export type { MetricId, MetricSpec } from './metrics';
export { ExperimentError } from './experiments.errors';
export type { ExperimentErrorCode, FieldProblem } from './experiments.errors';
export { addStats, armMoments, statsOfValues, EMPTY_STATS } from './statistics/sufficient-stats';
export type { MetricKind, SufficientStats } from './statistics/sufficient-stats';
export { compareArms } from './statistics/canonical-test';
export type { Comparison, TestSettings } from './statistics/canonical-test';
export { sampleRatioMismatch, expectedCounts, SRM_THRESHOLD } from './statistics/srm';
export { requiredSampleSize, minimumDetectableLift } from './statistics/power';
export { buildExperimentReport } from './report/build-report';
export { REPORT_FORMAT } from './report/report-model';
export type { AllocationPeriod, ArmDayCount, ExperimentReport, MetricArmDay, ReportInput } from './report/report-model';
export { renderCsv } from './render/csv';
export { renderHtml } from './render/html';
export { renderJson } from './render/json';
export { renderMarkdown } from './render/markdown';

/** The output formats of `experiments report --format`. */
export const REPORT_FORMATS = ['md', 'html', 'csv', 'json'] as const;
export type ReportFormatName = (typeof REPORT_FORMATS)[number];
export { definitionFromCampaign, experimentIdOf } from './campaign-experiment';
export type { CampaignExperimentBlock } from './campaign-experiment';
export { metricsMovedBy, statsIncrement, utcDay, windowStarts, withinWindow } from './outcomes';
export type { ExperimentChannel, OutcomeKind } from './outcomes';
export { leftOutNotes, reportInputFromStatistics } from './report/stored-statistics';
export type { ArmDayStatistics, LeftOutArm } from './report/stored-statistics';
export { statisticsFromRecords } from './report/statistics-as-of';
export { allocationOf, splitKey, splitOf } from './report/splits';
export { definitionAsOf, definitionChangeNotes } from './report/revisions';
export type { DefinitionRevision } from './report/revisions';
export type { ArmDayCounts, AssignedUser, CountedOutcome } from './report/statistics-as-of';
