import { INestApplicationContext, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { AppLogger } from '../../../common/logging/app-logger';
import { settingsModule } from '../../../config/config.module';
import { loadConfig } from '../../../config/load-config';
import { processEnvironment } from '../../../config/process-env';
import { CampaignDefinitionsModule } from '../../campaigns/campaign-definitions.module';
import { CampaignDefinitionsService, CheckedFile } from '../../campaigns/campaign-definitions.service';
import { campaignJsonSchema } from '../../campaigns/domain/campaign-definition';
import { formatProblem } from '../../campaigns/domain/load-definition';
import { oncePassed } from '../../campaigns/runs/domain/run-schedule';
import { requireReadableFile, requireWritableFile } from '../command-files';
import { group } from '../program';

@Module({})
class DefinitionsCommandModule {}

/** Who changes campaigns from this machine, for the audit trail. */
export function cliActor(): string {
  return `cli:${userInfo().username}`;
}

/** Validation needs the templates but no database: a context with settings and the definitions module only. */
async function withDefinitions<T>(run: (context: INestApplicationContext) => Promise<T>): Promise<T> {
  const settings = loadConfig(processEnvironment());
  Logger.overrideLogger(new AppLogger({ json: settings.app.logFormat === 'json', level: 'warn' }));
  const context = await NestFactory.createApplicationContext(
    { module: DefinitionsCommandModule, imports: [settingsModule(settings), CampaignDefinitionsModule] },
    { logger: false },
  );
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

/**
 * A valid one-off campaign whose instant has passed: not a problem (a campaign that already ran keeps its
 * file), but activating it is refused, so validate says so where `schedule.at` is written.
 */
async function passedOnceWarning(
  definitions: CampaignDefinitionsService,
  file: CheckedFile,
  now: Date,
): Promise<string | undefined> {
  const schedule = file.definition?.schedule;
  if (file.problems.length > 0 || schedule?.type !== 'once' || !oncePassed(schedule, now)) return undefined;
  const at = await definitions.locate(file.file, ['schedule', 'at']);
  return `${at.file}:${at.line}:${at.column} schedule.at: warning: ${schedule.at} has passed, so activating the campaign is refused; run it now with \`journeycast campaigns run ${file.campaignId}\``;
}

/**
 * `journeycast campaigns validate [files...]` (every file of the campaigns folder by default): one line
 * per problem, `file:line:column path: message`, exit code 2 on any; and `campaigns schema`.
 */
export function registerCampaignDefinitionCommands(program: Command): void {
  const campaigns = group(program, 'campaigns');
  campaigns
    .command('validate [files...]')
    .description('Validate campaign files (YAML, schema, rules, template variables); exit 2 on any problem')
    .action(async (files: string[]) => {
      for (const file of files) requireReadableFile(file);
      const now = new Date();
      const { checked, warnings } = await withDefinitions(async (context) => {
        const definitions = context.get(CampaignDefinitionsService);
        const checked = await definitions.checkFiles(files.length > 0 ? files : await definitions.listFiles());
        const warnings = await Promise.all(checked.map((file) => passedOnceWarning(definitions, file, now)));
        return { checked, warnings };
      });
      let problems = 0;
      checked.forEach((file, i) => {
        for (const problem of file.problems) console.log(formatProblem(problem));
        if (warnings[i]) console.log(warnings[i]);
        problems += file.problems.length;
      });
      const warned = warnings.filter(Boolean).length;
      console.error(`${checked.length} file(s), ${problems} problem(s)${warned > 0 ? `, ${warned} warning(s)` : ''}`);
      if (problems > 0 || checked.length === 0) process.exitCode = 2;
    });
  campaigns
    .command('schema')
    .description('Print the JSON Schema of campaign files (or write it with --out)')
    .option('--out <file>', 'write it to this file, e.g. campaigns/campaign.schema.json')
    .action((options: { out?: string }) => {
      requireWritableFile(options.out, '--out');
      const text = `${JSON.stringify(campaignJsonSchema(), null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
}
