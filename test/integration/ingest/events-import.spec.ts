import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErasureModule } from '../../../src/common/erasure/erasure.module';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { DatabaseModule } from '../../../src/common/mongo/database.module';
import { settingsModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { EventsImportService } from '../../../src/modules/ingest/events-import.service';
import { IngestModule } from '../../../src/modules/ingest/ingest.module';
import { buildEvent, buildEvents } from '../../factories/event.factory';
import { startTestMongo } from '../../setup/mongo';

@Module({})
class ImportTestModule {}

describe(EventsImportService.name, () => {
  let mongo: EmbeddedMongo;
  let context: INestApplicationContext;
  let sut: EventsImportService;
  const dir = mkdtempSync(join(tmpdir(), 'jc-import-'));
  const events = () => context.get<Connection>(getConnectionToken()).collection('events');

  const writeJsonl = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };

  beforeAll(async () => {
    mongo = await startTestMongo();
    const settings = loadConfig({ NODE_ENV: 'test', MONGODB_URI: `${mongo.uri}import` });
    context = await NestFactory.createApplicationContext(
      {
        module: ImportTestModule,
        imports: [settingsModule(settings), MetricsModule, ErasureModule, DatabaseModule, IngestModule],
      },
      { logger: false, abortOnError: false },
    );
    sut = context.get(EventsImportService);
  });
  afterAll(async () => {
    await context?.close();
    await mongo?.stop();
  });
  beforeEach(async () => {
    await events().deleteMany({});
  });

  it('imports valid lines in batches and lists rejected lines by number and reason', async () => {
    const good = buildEvents(2500);
    const lines = good.map((e) => JSON.stringify(e));
    lines.splice(10, 0, '{"id": "broken"'); // line 11
    lines.splice(20, 0, ''); // line 21, blank: skipped, not rejected
    lines.splice(30, 0, JSON.stringify(buildEvent({ item: { id: 'i', title: 'x'.repeat(600) }, type: 'view' }))); // line 31
    const progress: number[] = [];
    const summary = await sut.importFile(writeJsonl('mixed.jsonl', lines), {
      batchSize: 1000,
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(summary).toEqual({
      lines: 2503,
      blank: 1,
      accepted: 2500,
      duplicates: 0,
      rejected: 2,
      rejections: [
        { line: 11, reason: 'not valid JSON' },
        { line: 31, reason: 'item.title: item.title must be at most 512 characters' },
      ],
    });
    expect(progress).toHaveLength(3);
    expect(await events().countDocuments()).toBe(2500);
  });

  it('counts a re-import as duplicates and stores nothing twice', async () => {
    const path = writeJsonl(
      'replay.jsonl',
      buildEvents(300).map((e) => JSON.stringify(e)),
    );
    await sut.importFile(path, { batchSize: 128 });
    const replay = await sut.importFile(path, { batchSize: 128 });
    expect(replay).toMatchObject({ accepted: 0, duplicates: 300, rejected: 0 });
    expect(await events().countDocuments()).toBe(300);
  });

  it('caps the listed rejections but counts them all', async () => {
    const path = writeJsonl(
      'bad.jsonl',
      Array.from({ length: 40 }, () => 'nope'),
    );
    const summary = await sut.importFile(path, { maxRejectionsListed: 5 });
    expect(summary.rejected).toBe(40);
    expect(summary.rejections.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });
});
