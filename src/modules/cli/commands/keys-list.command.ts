import { Command } from 'commander';
import { withCommandContext } from '../../../common/cli/command-context';
import { AccessService } from '../../access/access.service';
import { ApiKeysModule } from '../../access/api-keys.module';
import { KeyResponse, toKeyResponse } from '../../access/dto/key-response.dto';
import { alignedTable } from '../aligned-table';
import { group } from '../program';

const COLUMNS: Array<[string, (key: KeyResponse) => string]> = [
  ['KEY ID', (k) => k.keyId],
  ['NAME', (k) => k.name],
  ['SCOPES', (k) => k.scopes.join(',')],
  ['STATUS', (k) => k.status],
  ['CREATED', (k) => k.createdAt],
  ['EXPIRES', (k) => k.expiresAt ?? 'never'],
  ['LAST USED', (k) => k.lastUsedAt ?? 'never'],
];

/** One aligned row per key; names are printed with control characters escaped, as JSON strings would be. */
function table(keys: KeyResponse[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...keys.map((k) => COLUMNS.map(([, cell]) => cell(k)))].map((row) =>
    row.map((cell) => JSON.stringify(cell).slice(1, -1)),
  );
  return alignedTable(rows);
}

/** `journeycast keys list`: every key with its status, expiry and last use; never a secret. */
export function registerListKeysCommand(program: Command): void {
  group(program, 'keys')
    .command('list')
    .description('List API keys: status (active, revoked, expired), expiry and last use')
    .option('--json', 'one JSON object per line instead of a table')
    .action(async (options: { json?: boolean }) => {
      const keys = await withCommandContext([ApiKeysModule], (context) => context.get(AccessService).listKeys());
      const now = new Date();
      const rows = keys.map((key) => toKeyResponse(key, now));
      console.log(options.json ? rows.map((row) => JSON.stringify(row)).join('\n') : table(rows));
    });
}
