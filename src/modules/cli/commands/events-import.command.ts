import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { statSync } from 'node:fs';
import { withCommandContext } from '../../../common/cli/command-context';
import { EventsImportService, ImportSummary } from '../../ingest/events-import.service';
import { IngestModule } from '../../ingest/ingest.module';
import { requireReadableFile } from '../command-files';
import { wholeNumberBetween } from '../option-values';
import { group } from '../program';

const MAX_BATCH_SIZE = 10_000;

/** `--batch-size`: a whole number of events from 1 to {@link MAX_BATCH_SIZE}; anything else is refused. */
export const batchSize = wholeNumberBetween(1, MAX_BATCH_SIZE);

function printSummary(file: string, summary: ImportSummary): void {
  console.log(
    `${file}: ${summary.lines} lines, ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected, ${summary.blank} blank (skipped)${summary.erased > 0 ? `, ${summary.erased} erased with their user` : ''}`,
  );
  for (const { line, reason } of summary.rejections) console.log(`  line ${line}: ${reason}`);
  const unlisted = summary.rejected - summary.rejections.length;
  if (unlisted > 0) console.log(`  ... and ${unlisted} more rejected lines`);
}

/**
 * `journeycast events import <file.jsonl>`: streams any size of file in constant memory with the
 * validation and idempotency of POST /v1/events. Exit code 2 when some lines were rejected.
 */
export function registerImportEventsCommand(program: Command): void {
  group(program, 'events')
    .command('import <file>')
    .description('Import a JSONL file of events (one event per line); replays are counted as duplicates')
    .option('--batch-size <n>', `events per bulk insert (1 to ${MAX_BATCH_SIZE})`, batchSize, 1000)
    .action(async (file: string, options: { batchSize: number }) => {
      requireReadableFile(file);
      const size = statSync(file).size;
      const bar = process.stderr.isTTY
        ? new SingleBar({
            format:
              'importing [{bar}] {percentage}% | {accepted} accepted | {duplicates} duplicates | {rejected} rejected',
            stream: process.stderr,
          })
        : undefined;
      bar?.start(size, 0, { accepted: 0, duplicates: 0, rejected: 0 });
      const summary = await withCommandContext([IngestModule], (context) =>
        context.get(EventsImportService).importFile(file, {
          batchSize: options.batchSize,
          onProgress: (bytes, s) =>
            bar?.update(bytes, { accepted: s.accepted, duplicates: s.duplicates, rejected: s.rejected }),
        }),
      );
      bar?.update(size);
      bar?.stop();
      printSummary(file, summary);
      if (summary.rejected > 0) process.exitCode = 2;
    });
}
