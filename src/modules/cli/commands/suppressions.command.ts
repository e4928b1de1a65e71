import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { withCommandContext } from '../../../common/cli/command-context';
import { FieldError } from '../../../lib/validation/field-error';
import {
  checkAddress,
  checkReason,
  MAX_IMPORTED_ADDRESSES,
  OPERATOR_SUPPRESSION_REASONS,
  parseSuppressionFile,
} from '../../tracking/domain/suppression-request';
import { RecipientPreferencesService } from '../../tracking/recipient-preferences.service';
import { TrackingModule } from '../../tracking/tracking.module';
import { requireReadableFile } from '../command-files';
import { EXIT_REFUSED } from '../exit-codes';
import { group } from '../program';

/** The address as given, or an error naming what is wrong with it (exit code 1). */
function addressArgument(raw: string): string {
  const errors: FieldError[] = [];
  const address = checkAddress(errors, 'address', raw);
  if (!address) throw new Error(errors[0].message);
  return address;
}

const withPreferences = <T>(work: (preferences: RecipientPreferencesService) => Promise<T>): Promise<T> =>
  withCommandContext([TrackingModule], (context) => work(context.get(RecipientPreferencesService)));

/**
 * `journeycast suppressions add|remove|show|import`: the suppression list delivery checks before every email,
 * as `/v1/suppressions` manages it over HTTP.
 */
export function registerSuppressionCommands(program: Command): void {
  const suppressions = group(program, 'suppressions');
  const addressCommand = (name: string, description: string) =>
    suppressions.command(name).description(description).argument('<address>', 'the email address (any case)');
  addressCommand('add', 'List an address: no email goes to it from the next send')
    .option('--reason <reason>', `why: ${OPERATOR_SUPPRESSION_REASONS.join(', ')}`, 'manual')
    .action(async (raw: string, options: { reason: string }) => {
      const address = addressArgument(raw);
      const errors: FieldError[] = [];
      const reason = checkReason(errors, '--reason', options.reason);
      if (!reason) throw new Error(errors[0].message);
      const added = await withPreferences((p) => p.suppress(address, reason, new Date()));
      console.error(added ? `Listed ${address} (${reason})` : `${address} was listed already (its first reason stays)`);
    });
  addressCommand('remove', 'Lift an address: the next send reaches it again').action(async (raw: string) => {
    const address = addressArgument(raw);
    if (!(await withPreferences((p) => p.lift(address)))) {
      throw new Error(`${address} is not on the suppression list`);
    }
    console.error(`Lifted ${address}`);
  });
  addressCommand('show', 'Whether an address is listed, why and since when (exit code 1 when it is not)').action(
    async (raw: string) => {
      const address = addressArgument(raw);
      const listing = await withPreferences((p) => p.listing(address));
      if (!listing) throw new Error(`${address} is not on the suppression list`);
      console.log(`${address}: ${listing.reason} since ${listing.since.toISOString()}`);
    },
  );
  suppressions
    .command('import')
    .description(
      'Import a provider\'s list: one address per line, or CSV "address,reason"; nothing is stored when a line is bad',
    )
    .argument('<file>', 'the list (a header line "address" or "address,reason" is skipped)')
    .action(async (file: string) => {
      requireReadableFile(file);
      const parsed = parseSuppressionFile(readFileSync(file, 'utf8'));
      if (parsed.problems.length > 0) {
        for (const { line, message } of parsed.problems.slice(0, 20)) console.error(`  line ${line}: ${message}`);
        if (parsed.problems.length > 20) console.error(`  ... and ${parsed.problems.length - 20} more bad lines`);
        // A bad input file is refused like rejected event lines or a bad labels file, not as a usage error.
        console.error(`${file}: ${parsed.problems.length} bad lines; nothing was imported`);
        process.exitCode = EXIT_REFUSED;
        return;
      }
      let added = 0;
      await withPreferences(async (p) => {
        for (let i = 0; i < parsed.entries.length; i += MAX_IMPORTED_ADDRESSES) {
          added += await p.suppressMany(parsed.entries.slice(i, i + MAX_IMPORTED_ADDRESSES), new Date());
        }
      });
      const count = parsed.entries.length;
      console.log(
        `${file}: ${count} addresses, ${added} added, ${count - added} already listed, ${parsed.blank} blank (skipped)`,
      );
    });
}
