import { Command, Option } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { AccessService } from '../../access/access.service';
import { ApiKeysModule } from '../../access/api-keys.module';
import { SCOPES, Scope } from '../../access/domain/api-key';
import { resolveExpiry } from '../../access/domain/key-lifetime';
import { group } from '../program';

interface CreateOptions {
  scope: Scope;
  name: string;
  rateLimit?: number;
  expiresIn?: string;
  expiresAt?: string;
}

/** `journeycast keys create --scope ingest|admin`: prints the new key once; only its hash is stored. */
export function registerCreateKeyCommand(program: Command): void {
  group(program, 'keys')
    .command('create')
    .description('Create an API key and print it (it cannot be shown again)')
    .addOption(new Option('--scope <scope>', 'what the key may do').choices(SCOPES).makeOptionMandatory())
    .option('--name <name>', 'a label for the key', 'cli')
    .option('--rate-limit <n>', 'requests per window for this key (default: RATE_LIMIT_REQUESTS)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error('--rate-limit must be a positive integer');
      return n;
    })
    .addOption(new Option('--expires-in <duration>', 'lifetime, e.g. 12h, 30d or 2w').conflicts('expiresAt'))
    .option('--expires-at <instant>', 'expiry instant, e.g. 2027-01-01T00:00:00Z')
    .action(async (options: CreateOptions) => {
      const expiry = resolveExpiry(options, new Date());
      if (!expiry.ok) {
        throw new Error(
          `--${expiry.error.field === 'expiresIn' ? 'expires-in' : 'expires-at'}: ${expiry.error.message}`,
        );
      }
      const { key, token } = await withCommandContext([ApiKeysModule], (context) =>
        context.get(AccessService).createKey({
          name: options.name,
          scopes: [options.scope],
          rateLimit: options.rateLimit,
          expiresAt: expiry.expiresAt,
        }),
      );
      const expires = key.expiresAt ? `, expires ${key.expiresAt.toISOString()}` : '';
      console.error(
        `Created ${key.scopes.join(',')} key ${key.keyId} (${key.name}${expires}). Store it now; it is not shown again:`,
      );
      console.log(token);
    });
}
