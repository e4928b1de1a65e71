import { Command, InvalidArgumentError } from 'commander';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DEFAULT_ATTRIBUTION_WINDOW_HOURS } from '../../ranking/domain/notification-outcome';
import { DEFAULT_TRAINING, trainRankingModel } from '../../ranking/domain/training';
import { parseAnnotationsCsv, parseTrainingExample, TrainingExample } from '../../ranking/domain/training-example';
import { formatTrainingReport } from '../../ranking/domain/training-report';
import { withCommandContext } from '../../../common/cli/command-context';
import { RankerTrainingService } from '../../ranking/ranker-training.service';
import { RankingModule } from '../../ranking/ranking.module';
import { requireReadableFile, requireWritableFile } from '../command-files';
import { instantOption } from '../option-values';
import { group } from '../program';

interface TrainOptions {
  examples: string;
  out: string;
  annotations?: string;
  l2: number;
  attributionHours: number;
  now?: Date;
  modelVersion?: string;
  publish?: boolean;
  force?: boolean;
  aucTolerance: number;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
  return n;
}

async function readExamples(path: string, attributionHours: number): Promise<TrainingExample[]> {
  const examples: TrainingExample[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    line++;
    if (text.trim().length === 0) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`${path} line ${line}: not valid JSON`);
    }
    examples.push(parseTrainingExample(raw, `${path} line ${line}`, attributionHours));
  }
  return examples;
}

/** `journeycast ranker train`: fits the journey ranker from labelled examples and prints its report. */
export function registerTrainRankerCommand(program: Command): void {
  group(program, 'ranker')
    .command('train')
    .description('Train the journey ranker from labelled examples (JSONL) and write the model as JSON')
    .requiredOption(
      '--examples <file.jsonl>',
      'one example per line: {userId, journeyName, at, features, label | openedAt/clickedAt}',
    )
    .requiredOption('--out <model.json>', 'where to write the trained model')
    .option('--annotations <file.csv>', 'human labels: CSV with userId,journeyName,label')
    .option('--l2 <lambda>', 'L2 regularisation strength', positiveNumber, DEFAULT_TRAINING.l2)
    .option(
      '--attribution-hours <hours>',
      'open/click window that makes an outcome positive',
      positiveNumber,
      DEFAULT_ATTRIBUTION_WINDOW_HOURS,
    )
    .option(
      '--now <ISO-8601>',
      'training time recorded in the model, with its time zone (default: the current time)',
      instantOption('--now'),
    )
    .option('--model-version <version>', 'version string of the model (default: lr-<training time>)')
    .option(
      '--publish',
      'also store the model in MongoDB; builds use it if it ranks the latest examples at least as well as the model in use',
    )
    .option('--force', 'with --publish: make it the model in use without the comparison')
    .option(
      '--auc-tolerance <delta>',
      'with --publish: how much lower a validation AUC may be and still be promoted',
      positiveNumber,
      0.005,
    )
    .action(async (options: TrainOptions) => {
      requireReadableFile(options.examples, '--examples');
      requireReadableFile(options.annotations, '--annotations');
      requireWritableFile(options.out, '--out');
      const now = options.now ?? new Date();
      const examples = await readExamples(options.examples, options.attributionHours);
      const annotations = options.annotations ? parseAnnotationsCsv(await readFile(options.annotations, 'utf8')) : [];
      const model = trainRankingModel(examples, { now, l2: options.l2, version: options.modelVersion }, annotations);
      await writeFile(options.out, `${JSON.stringify(model, null, 2)}\n`);
      console.log(formatTrainingReport(model.version, model.report!));
      if (annotations.length > model.report!.examples.annotations) {
        console.log(
          `${annotations.length - model.report!.examples.annotations} annotations matched no training example and were skipped`,
        );
      }
      console.log(`wrote ${options.out}`);
      if (options.publish) {
        const outcome = await withCommandContext([RankingModule], (context) =>
          context
            .get(RankerTrainingService)
            .publish(model, examples, { aucTolerance: options.aucTolerance, force: options.force }),
        );
        if (outcome.status === 'skipped') throw new Error(outcome.reason);
        console.log(
          outcome.status === 'promoted'
            ? `published ${model.version}: journey builds use it from now on`
            : `stored ${model.version} as a candidate only: the model in use ranks the latest examples better (AUC ${outcome.currentAuc.toFixed(3)})`,
        );
      }
    });
}
