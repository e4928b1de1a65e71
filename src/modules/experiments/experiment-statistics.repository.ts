import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { ArmDayStatistics, MetricId, SufficientStats } from './domain';
import { ExperimentStatisticsRecord } from './experiment-statistics.schema';

/** Users assigned to and delivered to in one arm of one experiment, with its first and last assignment day. */
export interface ArmTotals {
  experimentId: string;
  arm: string;
  assigned: number;
  delivered: number;
  firstDay: string;
  lastDay: string;
}

/** The (experiment, arm, day) rows of sufficient statistics, moved only by atomic increments. */
@Injectable()
export class ExperimentStatisticsRepository {
  constructor(
    @InjectModel(ExperimentStatisticsRecord.name) private readonly model: Model<ExperimentStatisticsRecord>,
  ) {}

  private increment(key: { experimentId: string; arm: string; day: string }, inc: Record<string, number>) {
    return this.model.updateOne(key, { $inc: inc }, { upsert: true });
  }

  /** One more user of the row, counted under the split their arm was drawn under too. */
  async addAssigned(experimentId: string, arm: string, day: string, split: string | undefined): Promise<void> {
    await this.increment({ experimentId, arm, day }, { assigned: 1, ...(split && { [`splits.${split}`]: 1 }) });
  }

  async addDelivered(experimentId: string, arm: string, day: string, n = 1): Promise<void> {
    await this.increment({ experimentId, arm, day }, { delivered: n });
  }

  /** Moves a metric's sums of the row, and of the split the user was drawn under in the same write. */
  async addToMetric(
    experimentId: string,
    arm: string,
    day: string,
    metric: MetricId,
    by: Omit<SufficientStats, 'n'>,
    split: string | undefined,
  ): Promise<void> {
    await this.increment(
      { experimentId, arm, day },
      {
        [`sums.${metric}.sum`]: by.sum,
        [`sums.${metric}.sumSquares`]: by.sumSquares,
        ...(split && {
          [`splitSums.${split}.${metric}.sum`]: by.sum,
          [`splitSums.${split}.${metric}.sumSquares`]: by.sumSquares,
        }),
      },
    );
  }

  /** Every row of one experiment: arms × days of them, however many users. */
  async findByExperiment(experimentId: string): Promise<ArmDayStatistics[]> {
    const rows = await this.model.find({ experimentId }, { _id: 0 }).sort({ day: 1, arm: 1 }).lean();
    return rows.map((r) => ({
      arm: r.arm,
      day: r.day,
      assigned: r.assigned ?? 0,
      delivered: r.delivered ?? 0,
      sums: r.sums ?? {},
      ...(r.splits && { splits: r.splits }),
      ...(r.splitSums && { splitSums: r.splitSums }),
    }));
  }

  /** Totals per experiment and arm: rows are arms × days per experiment, so this reads no user records. */
  async totalsByArm(): Promise<ArmTotals[]> {
    const rows = await this.model.aggregate<
      Omit<ArmTotals, 'experimentId' | 'arm'> & { _id: { e: string; a: string } }
    >([
      {
        $group: {
          _id: { e: '$experimentId', a: '$arm' },
          assigned: { $sum: '$assigned' },
          delivered: { $sum: '$delivered' },
          firstDay: { $min: '$day' },
          lastDay: { $max: '$day' },
        },
      },
    ]);
    return rows.map(({ _id, ...rest }) => ({ ...rest, experimentId: _id.e, arm: _id.a }));
  }
}
