import { Command, InvalidArgumentError } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { withCommandContext } from '../../../common/cli/command-context';
import { HumanLabel, parseHumanLabels } from '../../journey-judge/domain/grading-sheet';
import { JudgeError } from '../../journey-judge/domain/judge.errors';
import { renderAgreementMarkdown, renderAgreementText } from '../../journey-judge/domain/render-agreement';
import { renderJudgementMarkdown, renderJudgementText } from '../../journey-judge/domain/render-judgement';
import { JourneyJudgeModule } from '../../journey-judge/journey-judge.module';
import { JourneyJudgeService } from '../../journey-judge/journey-judge.service';
import { JudgeAgreementService } from '../../journey-judge/judge-agreement.service';
import { requireReadableFile, requireWritableFile } from '../command-files';
import { exitCodeOf } from '../exit-codes';
import { group } from '../program';
import { nonNegativeInteger, positiveInteger } from '../option-values';
import { progressBar } from './journeys-build.command';

interface JudgeOptions {
  sample?: number;
  users?: string;
  run?: string;
  labels?: string;
  exportSample?: number;
  seed?: string;
  maxTokens?: number;
  format: 'text' | 'json' | 'md';
  out?: string;
}

/** Exit code when the judged run is below the alert threshold, so a pipeline can stop on it. */
const ALERT_EXIT_CODE = 3;

function format(value: string): JudgeOptions['format'] {
  if (value !== 'text' && value !== 'json' && value !== 'md') {
    throw new InvalidArgumentError('must be text, json or md');
  }
  return value;
}

/** User ids, one a line; blank lines and lines starting with # are ignored. */
async function readUserIds(path: string): Promise<string[]> {
  const ids = (await readFile(path, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (ids.length === 0) throw new Error(`${path} lists no user ids`);
  return ids;
}

async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, text.endsWith('\n') ? text : `${text}\n`);
  else console.log(text);
}

async function judge(
  options: JudgeOptions,
  userIds: string[] | undefined,
  service: JourneyJudgeService,
): Promise<string> {
  const bar = progressBar('judging users', options.sample ?? userIds?.length ?? 0);
  const report = await service.judgeRun({
    buildRunId: options.run,
    sampleSize: options.sample ?? userIds?.length ?? Number.MAX_SAFE_INTEGER,
    seed: options.seed,
    userIds,
    trigger: 'manual',
    maxTokens: options.maxTokens,
    onProgress: (done, total) => {
      bar?.setTotal(total);
      bar?.update(done);
    },
  });
  bar?.stop();
  if (report.alert.triggered) process.exitCode = ALERT_EXIT_CODE;
  if (options.format === 'json') return JSON.stringify(report, null, 2);
  return options.format === 'md' ? renderJudgementMarkdown(report) : renderJudgementText(report);
}

async function agreement(options: JudgeOptions, labels: HumanLabel[], service: JudgeAgreementService): Promise<string> {
  const result = await service.agreement(labels, options.maxTokens);
  if (options.format === 'json') return JSON.stringify(result, null, 2);
  const render = options.format === 'md' ? renderAgreementMarkdown : renderAgreementText;
  return render(result.report, result.unmatched.length);
}

/**
 * `journeycast journeys judge`: grades a sample of a build run's journeys with the LLM judge and reports on
 * them (`--sample`), measures the judge's agreement with human grades (`--labels`), or writes a sheet for
 * people to grade (`--export-sample`).
 */
export function registerJudgeJourneysCommand(program: Command): void {
  group(program, 'journeys')
    .command('judge')
    .description("Grade journeys with the LLM judge, check it against people's grades, or export a sheet to grade")
    .option('--sample <n>', 'judge the top journeys of n sampled users (default JUDGE_SAMPLE_SIZE)', positiveInteger)
    .option('--users <file>', 'judge these users (one id a line) instead of a sample')
    .option('--run <buildRunId>', 'the build run to judge (default: the latest completed full rebuild)')
    .option('--labels <grades.csv>', "instead: agreement with people's grades (CSV: userId, journeyName, grade)")
    .option('--export-sample <n>', 'instead: write a grading sheet (CSV) of n sampled users', positiveInteger)
    .option('--seed <seed>', 'sampling seed (the same seed samples the same users)')
    .option('--max-tokens <n>', 'token budget of this run (default JUDGE_MAX_TOKENS_PER_RUN)', nonNegativeInteger)
    .option('--format <format>', 'text, json or md', format, 'text')
    .option('--out <file>', 'write the report or sheet to a file instead of stdout')
    .action(async (options: JudgeOptions) => {
      const modes = [options.labels, options.exportSample].filter((m) => m !== undefined).length;
      if (modes > 1 || (modes === 1 && (options.sample !== undefined || options.users !== undefined))) {
        throw new Error('give one of --sample/--users, --labels or --export-sample');
      }
      requireReadableFile(options.users, '--users');
      requireReadableFile(options.labels, '--labels');
      requireWritableFile(options.out, '--out');
      try {
        // Input files are read before connecting, so a bad file fails at once.
        const labels = options.labels ? parseHumanLabels(await readFile(options.labels, 'utf8')) : undefined;
        const userIds = options.users ? await readUserIds(options.users) : undefined;
        const output = await withCommandContext(
          [JourneyJudgeModule],
          async (context) => {
            if (labels) return agreement(options, labels, context.get(JudgeAgreementService));
            if (options.exportSample === undefined) return judge(options, userIds, context.get(JourneyJudgeService));
            const sheet = await context
              .get(JudgeAgreementService)
              .exportSample(options.exportSample, { buildRunId: options.run, seed: options.seed });
            console.error(`${sheet.journeys} journeys of ${sheet.users} users of run ${sheet.buildRunId} to grade`);
            return sheet.csv;
          },
          { redis: true },
        );
        await emit(output, options.out);
      } catch (error) {
        if (!(error instanceof JudgeError)) throw error;
        console.error(error.message);
        process.exitCode = exitCodeOf(error);
      }
    });
}
