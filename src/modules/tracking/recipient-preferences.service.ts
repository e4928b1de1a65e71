import { Injectable, Logger } from '@nestjs/common';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { addressDomain, addressKey, addressKeys } from './domain/suppression-address';
import { RecipientPreferences } from './notification-tracking';
import { SuppressionRecord, UnsubscribeRecord } from './preferences.schema';
import { SuppressionRepository } from './suppression.repository';
import { UnsubscribeRepository } from './unsubscribe.repository';

export type SuppressionReason = 'hard-bounce' | 'complaint' | 'manual' | 'unsubscribed';

/**
 * Unsubscribes and the suppression list, read straight from MongoDB on every check (no cache), so an
 * unsubscribe is effective for the very next send on every worker.
 */
@Injectable()
export class RecipientPreferencesService extends RecipientPreferences {
  private readonly logger = new Logger(RecipientPreferencesService.name);

  constructor(
    private readonly unsubscribes: UnsubscribeRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly audienceFacts: AudienceFactsRepository,
  ) {
    super();
  }

  isUnsubscribed(userId: string, category: string): Promise<boolean> {
    return this.unsubscribes.isUnsubscribed(userId, category);
  }

  unsubscribedAmong(userIds: readonly string[], category: string): Promise<Set<string>> {
    return userIds.length === 0 ? Promise.resolve(new Set()) : this.unsubscribes.findUnsubscribed(userIds, category);
  }

  async suppressionOf(address: string): Promise<string | undefined> {
    return (await this.suppressions.findFirst(addressKeys(address)))?.reason;
  }

  async suppressionsOf(addresses: readonly string[]): Promise<Map<string, string>> {
    if (addresses.length === 0) return new Map();
    // Spellings of one address share its keys: each is answered, as given, since callers look up what they passed.
    const keyed = addresses.map((address) => [address, addressKeys(address)] as const);
    const listed = await this.suppressions.findListed([...new Set(keyed.flatMap(([, keys]) => keys))]);
    return new Map(
      keyed.flatMap(([address, keys]) => {
        const first = earliest(keys.flatMap((key) => listed.get(key) ?? []));
        return first ? [[address, first.reason]] : [];
      }),
    );
  }

  /** Lists the address; true when it was not listed yet (a listed address keeps its first reason). */
  async suppress(address: string, reason: SuppressionReason, at: Date): Promise<boolean> {
    const record = suppressionRecord(address, reason, at);
    // Listed by an earlier version under another key: listed already, its first reason stays.
    const earlier = addressKeys(address).slice(1);
    if (earlier.length > 0 && (await this.suppressions.findFirst(earlier))) return false;
    const added = await this.suppressions.add(record);
    if (added) this.logger.log(`suppressed an address at ${record.domain ?? 'an unknown domain'} (${reason})`);
    return added;
  }

  /** Lists many addresses at once (an operator's import); how many were not listed yet. */
  async suppressMany(
    entries: ReadonlyArray<{ address: string; reason: SuppressionReason }>,
    at: Date,
  ): Promise<number> {
    const records = entries.map(({ address, reason }) => ({
      record: suppressionRecord(address, reason, at),
      earlier: addressKeys(address).slice(1),
    }));
    // An address an earlier version listed under another key, in any of the spellings given, is listed already.
    const earlierKeys = [...new Set(records.flatMap(({ earlier }) => earlier))];
    const listed = earlierKeys.length > 0 ? await this.suppressions.findListed(earlierKeys) : new Map();
    const listedBefore = new Set(
      records.filter(({ earlier }) => earlier.some((key) => listed.has(key))).map(({ record }) => record.addressKey),
    );
    const added = await this.suppressions.addMany(
      records.filter(({ record }) => !listedBefore.has(record.addressKey)).map(({ record }) => record),
    );
    this.logger.log(`imported ${entries.length} addresses to the suppression list, ${added} new`);
    return added;
  }

  /** The listing of an address: its reason and since when, or undefined when it is not listed. */
  async listing(address: string): Promise<{ reason: string; since: Date } | undefined> {
    const record = await this.suppressions.findFirst(addressKeys(address));
    return record ? { reason: record.reason, since: record.at } : undefined;
  }

  /** Lifts a suppression (an operator's decision); true when the address was listed. */
  lift(address: string): Promise<boolean> {
    return this.suppressions.remove(addressKeys(address));
  }

  /**
   * Records an unsubscribe (category `*` = everything); true when the user had not left it already. Sends read
   * the record; the user's audience facts follow it (also when it was there already), so estimates count them out.
   */
  async unsubscribe(record: UnsubscribeRecord): Promise<boolean> {
    const added = await this.unsubscribes.add(record);
    await this.audienceFacts.recordUnsubscribe(record.userId, record.category, true);
    return added;
  }

  /**
   * Takes a user back into a category they left (`*`: ends their unsubscribe from everything, not the
   * categories they left one by one); true when they had left it. For the product's own preference center,
   * reflecting the user's own choice.
   */
  async resubscribe(userId: string, category: string): Promise<boolean> {
    const removed = await this.unsubscribes.remove(userId, category);
    await this.audienceFacts.recordUnsubscribe(userId, category, false);
    return removed;
  }

  /**
   * Takes back what a request recorded for a user erased meanwhile: the unsubscribe when it added it (`recorded`),
   * and the audience facts it may have written again for them (see AudienceFactsRepository.recordUnsubscribe), also
   * when the user had left the category already and the erasure came between the two writes.
   */
  async forgetUnsubscribe(userId: string, category: string, recorded: boolean): Promise<void> {
    if (recorded) await this.unsubscribes.remove(userId, category);
    await this.audienceFacts.deleteByUserId(userId);
  }

  /**
   * Brings the user's audience facts in line with their stored unsubscribes after `category` went from the records
   * and not from the facts (with the user's erasure): out of the facts, then every category still stored back in.
   */
  async forgetInFacts(userId: string, category: string): Promise<void> {
    await this.audienceFacts.recordUnsubscribe(userId, category, false);
  }

  /** Writes again into the user's audience facts every category they left, as stored. */
  async recordFactsAgain(userId: string): Promise<void> {
    for (const { category } of await this.unsubscribes.findByUser(userId)) {
      await this.audienceFacts.recordUnsubscribe(userId, category, true);
    }
  }

  unsubscribesOf(userId: string): Promise<UnsubscribeRecord[]> {
    return this.unsubscribes.findByUser(userId);
  }
}

/** The listing recorded first, whose reason stays. */
function earliest<T extends { at: Date }>(listings: readonly T[]): T | undefined {
  return listings.reduce<T | undefined>(
    (first, listing) => (first && first.at <= listing.at ? first : listing),
    undefined,
  );
}

/** How the list keeps an address: its hash and domain, never the address itself. */
function suppressionRecord(address: string, reason: SuppressionReason, at: Date): SuppressionRecord {
  return { addressKey: addressKey(address), reason, at, domain: addressDomain(address) };
}
