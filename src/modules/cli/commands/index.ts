import { Command } from 'commander';
import { registerCampaignRunCommands } from './campaign-runs.command';
import { registerCampaignDefinitionCommands } from './campaigns-definitions.command';
import { registerCampaignPreviewCommands } from './campaigns-preview.command';
import { registerCampaignStateCommands } from './campaigns-state.command';
import { registerImportEventsCommand } from './events-import.command';
import { registerExperimentsCommands } from './experiments.command';
import { registerBuildJourneysCommand } from './journeys-build.command';
import { registerJudgeJourneysCommand } from './journeys-judge.command';
import { registerCreateKeyCommand } from './keys-create.command';
import { registerListKeysCommand } from './keys-list.command';
import { registerRevokeKeyCommand } from './keys-revoke.command';
import { registerTrainRankerCommand } from './ranker-train.command';
import { registerRebuildJourneysCommand } from './journeys-rebuild.command';
import { registerRetrainJourneysCommand } from './journeys-retrain.command';

/** Every CLI command registers itself here; one line per command file. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerTrainRankerCommand,
  registerImportEventsCommand,
  registerCreateKeyCommand,
  registerListKeysCommand,
  registerRevokeKeyCommand,
  registerBuildJourneysCommand,
  registerRebuildJourneysCommand,
  registerRetrainJourneysCommand,
  registerJudgeJourneysCommand,
  registerCampaignDefinitionCommands,
  registerCampaignStateCommands,
  registerCampaignPreviewCommands,
  registerExperimentsCommands,
  registerCampaignRunCommands,
];
