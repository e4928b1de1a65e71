import { Command } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { AccessService } from '../../access/access.service';
import { ApiKeysModule } from '../../access/api-keys.module';
import { group } from '../program';

/** `journeycast keys revoke <keyId>`: the key stops authenticating at once, on every replica. */
export function registerRevokeKeyCommand(program: Command): void {
  group(program, 'keys')
    .command('revoke')
    .description('Revoke an API key by its id (see keys list)')
    .argument('<keyId>', 'the key id, the part after jc_ in the key')
    .action(async (keyId: string) => {
      await withCommandContext([ApiKeysModule], (context) => context.get(AccessService).revokeKey(keyId));
      console.error(`Revoked key ${keyId}`);
    });
}
