import { Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ActivityEvent } from '../../lib/events/activity-event';
import { parseEventLine } from './domain/event-batch';
import { describeConflict } from './domain/event-replays';
import { EventsService } from './events.service';

export interface RejectedLine {
  line: number;
  reason: string;
}

export interface ImportSummary {
  lines: number;
  /** Empty or whitespace-only lines: skipped, neither accepted nor rejected. */
  blank: number;
  accepted: number;
  duplicates: number;
  /** Events of users whose profile was being erased: not kept (see EventsService). */
  erased: number;
  rejected: number;
  /** The first `maxRejectionsListed` rejected lines; `rejected` counts all of them. */
  rejections: RejectedLine[];
}

export interface ImportOptions {
  batchSize?: number;
  maxRejectionsListed?: number;
  /** Called after each stored batch with bytes read so far. */
  onProgress?: (bytesRead: number, summary: ImportSummary) => void;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BOM = '\ufeff';

/** A line read as latin1, as the UTF-8 text its bytes spell (without the byte order mark a file may begin with). */
function utf8Line(bytes: string, first: boolean): string | undefined {
  let text: string;
  try {
    text = UTF8.decode(Buffer.from(bytes, 'latin1'));
  } catch {
    return undefined;
  }
  return first && text.startsWith(BOM) ? text.slice(1) : text;
}

/**
 * Streams a JSONL file of events into the store in constant memory: one batch in flight, the same
 * validation and idempotency as POST /v1/events, line by line: a bad line, or one whose id is already used
 * (stored, or on an earlier line) with other content, is rejected and the others are imported. Blank lines
 * are skipped.
 */
@Injectable()
export class EventsImportService {
  private readonly logger = new Logger(EventsImportService.name);

  constructor(private readonly events: EventsService) {}

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const { batchSize = 1000, maxRejectionsListed = 100, onProgress } = options;
    const summary: ImportSummary = {
      lines: 0,
      blank: 0,
      accepted: 0,
      duplicates: 0,
      erased: 0,
      rejected: 0,
      rejections: [],
    };
    // Read byte for byte (latin1 keeps each byte as one character, and line breaks are the same bytes in UTF-8),
    // then each line decoded strictly: a lenient decoder would store U+FFFD for bytes that are not UTF-8 (a file
    // saved in Latin-1), and the same file re-imported once fixed would conflict with it.
    const stream = createReadStream(path, { encoding: 'latin1' });
    // Lines whose id conflicts are known only when their batch is stored, after later invalid lines: keep the
    // listed rejections in line order.
    const reject = (line: number, reason: string) => {
      summary.rejected += 1;
      const listed = summary.rejections;
      const last = listed.at(-1);
      if (listed.length >= maxRejectionsListed && (!last || line > last.line)) return;
      listed.push({ line, reason });
      listed.sort((a, b) => a.line - b.line);
      if (listed.length > maxRejectionsListed) listed.pop();
    };
    let batch: ActivityEvent[] = [];
    let batchLines: number[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await this.events.store(batch);
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      summary.erased += result.erased;
      for (const c of result.conflicts) {
        reject(batchLines[c.index], `id: ${describeConflict(batch[c.index].id, c, (i) => `line ${batchLines[i]}`)}`);
      }
      batch = [];
      batchLines = [];
      onProgress?.(stream.bytesRead, summary);
    };
    for await (const bytes of createInterface({ input: stream, crlfDelay: Infinity })) {
      summary.lines += 1;
      const line = utf8Line(bytes, summary.lines === 1);
      if (line === undefined) {
        reject(summary.lines, 'not valid UTF-8');
        continue;
      }
      if (line.trim() === '') {
        summary.blank += 1;
        continue;
      }
      const parsed = parseEventLine(line, new Date());
      if (parsed.ok) {
        batch.push(parsed.event);
        batchLines.push(summary.lines);
      } else reject(summary.lines, parsed.reason);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    this.logger.log(
      `imported ${path}: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.erased} erased, ${summary.rejected} rejected, ${summary.blank} blank`,
    );
    return summary;
  }
}
