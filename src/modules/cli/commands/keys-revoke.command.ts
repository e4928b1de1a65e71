import { Command } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { AccessService } from '../../access/access.service';
import { ApiKeysModule } from '../../access/api-keys.module';
import { KEY_ID_PATTERN } from '../../access/domain/api-key';
import { group } from '../program';

/** `journeycast keys revoke <keyId>`: the key stops authenticating at once, on every replica. */
export function registerRevokeKeyCommand(program: Command): void {
  group(program, 'keys')
    .command('revoke')
    .description('Revoke an API key by its id (see keys list)')
    .argument('<keyId>', 'the key id, the part after jc_ in the key')
    .action(async (keyId: string) => {
      // Never repeated when it is not an id: a whole key pasted in its place would print its secret.
      if (!KEY_ID_PATTERN.test(keyId)) {
        throw new Error('keyId must be the 12 lower-case letters and digits after jc_ in a key (see keys list).');
      }
      await withCommandContext([ApiKeysModule], (context) => context.get(AccessService).revokeKey(keyId));
      console.error(`Revoked key ${keyId}`);
    });
}
