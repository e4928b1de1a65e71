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
import { CampaignDefinitionsService } from '../../campaigns/campaign-definitions.service';
import { campaignJsonSchema } from '../../campaigns/domain/campaign-definition';
import { formatProblem } from '../../campaigns/domain/load-definition';
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
      const checked = await withDefinitions(async (context) => {
        const definitions = context.get(CampaignDefinitionsService);
        return definitions.checkFiles(files.length > 0 ? files : await definitions.listFiles());
      });
      let problems = 0;
      for (const file of checked) {
        for (const problem of file.problems) console.log(formatProblem(problem));
        problems += file.problems.length;
      }
      console.error(`${checked.length} file(s), ${problems} problem(s)`);
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
