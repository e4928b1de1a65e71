import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { UserErasureRegistry } from '../../common/erasure/user-erasure.registry';
import { TimeZoneChanges } from '../../common/users/time-zone-changes';
import { canonicalTimeZone } from '../../lib/time/zoned-time';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { canonicalLocale } from '../templates/domain/locale-chain';
import { distinctPushTokens } from './domain/push-token-format';
import { UserProfile } from './domain/user-profile';
import { PutUserDto } from './dto/put-user.dto';
import { EventRepository } from './event.repository';
import { UserRepository } from './user.repository';

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    private readonly users: UserRepository,
    private readonly events: EventRepository,
    private readonly erasure: UserErasureRegistry,
    private readonly audienceFacts: AudienceFactsRepository,
    private readonly timeZones: TimeZoneChanges,
  ) {}

  onModuleInit(): void {
    // Before the journeys and audience facts a build writes from them (see ErasedDuringBuild).
    this.erasure.register({ name: 'events', phase: 'events', erase: (userId) => this.events.deleteByUser(userId) });
  }

  async putUser(userId: string, dto: PutUserDto): Promise<{ user: UserProfile; created: boolean }> {
    // A field sent as null is cleared like a field left out; a device listed twice is kept once.
    const { previousTimeZone, ...result } = await this.users.upsert(userId, {
      email: dto.email ?? undefined,
      pushTokens: distinctPushTokens(dto.pushTokens ?? []).map(({ platform, token }) => ({ platform, token })),
      // Stored as spelt canonically (validation has checked both), so `fr_fr` and `fr-FR` are one locale.
      locale: dto.locale == null ? undefined : (canonicalLocale(dto.locale) ?? dto.locale),
      timeZone: dto.timeZone == null ? undefined : (canonicalTimeZone(dto.timeZone) ?? dto.timeZone),
      attributes: dto.attributes ?? {},
      consent: { email: dto.consent?.email ?? false, push: dto.consent?.push ?? false },
    });
    // Campaign audiences count on these facts; a failure here fails the request so a retry restores them. A profile
    // being erased (or erased since the write) keeps none: the erasure may have removed its own already, and the
    // profile goes (or went) with it.
    if (await this.recordFacts(result.user)) await this.audienceFacts.deleteByUserId(userId);
    // Work timed by the zone the user was in (a message waiting for its local send time, or out their night)
    // is judged again where they are now.
    if (!result.created && previousTimeZone !== result.user.timeZone) {
      await this.timeZones.changed(userId, result.user.timeZone);
    }
    return result;
  }

  /**
   * Forgets a push token a provider reported as dead, keeping the audience facts in step (a user whose
   * last token went is no longer reachable by push), as a profile update does: of the two at once, the facts
   * are the stored profile's. With `invalidSince` (when the provider found it invalid), a token a profile update
   * listed after that stays. Idempotent; says whether it went.
   */
  async removePushToken(userId: string, token: string, invalidSince?: Date): Promise<boolean> {
    const user = await this.users.removePushToken(userId, token, invalidSince);
    if (user && (await this.recordFacts(user))) await this.audienceFacts.deleteByUserId(userId);
    return user !== undefined;
  }

  /** The current addresses on `channel` of those of `userIds` who consent to it at this moment. */
  contactsAmong(userIds: readonly string[], channel: 'email' | 'push'): Promise<Map<string, Set<string>>> {
    return this.users.contactsAmong([...new Set(userIds)], channel);
  }

  /** The time zone on the profile of each of `userIds` that has a profile (undefined: none given). */
  timeZonesOf(userIds: readonly string[]): Promise<Map<string, string | undefined>> {
    return this.users.timeZonesOf([...new Set(userIds)]);
  }

  /** Those of `userIds` whose profile is being erased or is not stored (see UserRepository.findErasingOrGone). */
  erasingOrGone(userIds: readonly string[]): Promise<Map<string, 'erasing' | 'gone'>> {
    return this.users.findErasingOrGone([...new Set(userIds)]);
  }

  /**
   * Of `userIds`, found without a profile after facts were recorded for them from a write of their own (events, an
   * unsubscribe): one with no event left either was erased wholly after that write and before its facts, which then
   * went on a record of their own, and go. A user with events and no profile yet keeps theirs. A new user of the id may store
   * a profile or events between the look and the delete: their facts are recorded again from what is stored, and
   * looked at again, as an erasure may as well run wholly meanwhile.
   */
  async forgetActivityOfErased(userIds: readonly string[]): Promise<void> {
    for (let unsure = [...new Set(userIds)]; unsure.length > 0;) {
      const active = await this.events.findLastOccurredAmong(unsure);
      const left = unsure.filter((userId) => !active.has(userId));
      for (const userId of left) await this.audienceFacts.deleteByUserId(userId);
      const [latest, profiles] = await Promise.all([
        this.events.findLastOccurredAmong(left),
        this.users.findByUserIds(left),
      ]);
      for (const user of profiles) {
        if (await this.recordFacts(user)) await this.audienceFacts.deleteByUserId(user.userId);
      }
      await this.audienceFacts.recordActivity(latest);
      unsure = [...latest.keys()];
    }
  }

  async getUser(userId: string): Promise<UserProfile> {
    const user = await this.users.findByUserId(userId);
    if (!user) throw new NotFoundException(`user ${userId} not found`);
    return user;
  }

  /**
   * Whether Journeycast has heard of the user: a profile or at least one event. Events may come before the
   * profile, so a user with events and no profile is known (and skipped as `no-profile` by campaigns).
   */
  async isKnown(userId: string): Promise<boolean> {
    return (await this.users.findByUserId(userId)) !== undefined || this.events.existsForUser(userId);
  }

  /**
   * Erases everything derived from the user (every registered eraser), then the profile itself,
   * so a failed erasure can simply be retried. Idempotent: erasing twice reports zeros. The profile's
   * consent goes first: a message whose record is erased after a batch claimed it is asked about at its
   * turn, and finds the user no longer consenting while the other erasers run, not a profile still saying yes.
   * The same write marks the profile as being erased, which an ordinary withdrawal of consent does not: a
   * campaign run that wrote for the user after reading them finds the mark (or no profile) and takes its
   * writes back (see ErasedDuringFanOut).
   */
  async eraseUser(userId: string): Promise<Record<string, number>> {
    await this.users.markErasing(userId, new Date());
    const derived = await this.erasure.eraseAll(userId);
    const users = await this.users.deleteByUserId(userId);
    // An event stored after the events phase and looked for once the profile was gone found no mark to take it
    // back by (see EventsService): its events, and the activity they recorded, go now. A profile written since the
    // profile went is a new user's, whose facts are recorded again.
    const events = await this.events.deleteByUser(userId);
    const audienceFacts = await this.audienceFacts.deleteByUserId(userId);
    // So do the records of later modules that take theirs back the same way (conversions).
    const again = await this.erasure.eraseAgainAfterProfile(userId);
    const since = await this.users.findByUserId(userId);
    if (since) await this.recordFacts(since);
    const counts = { ...derived };
    for (const [name, count] of Object.entries({ ...again, events, audienceFacts })) {
      counts[name] = (counts[name] ?? 0) + count;
    }
    return { ...counts, users };
  }

  /**
   * Records the audience facts of `user`, then of the stored profile again until it is the one they came from: of
   * two updates at once, the one whose facts land last may have read its profile before the other stored its own.
   * True when the profile, read after the facts were written, is being erased or gone: its facts must not stay.
   */
  private async recordFacts(user: UserProfile): Promise<boolean> {
    for (let recorded = user; ;) {
      await this.audienceFacts.recordProfile(recorded);
      const stored = await this.users.findWithErasure(recorded.userId);
      if (!stored || stored.erasing) return true;
      if (isDeepStrictEqual(stored.user, recorded)) return false;
      recorded = stored.user;
    }
  }
}
