import { Injectable, Logger } from '@nestjs/common';

/** Acts on a user's new time zone (undefined: the profile gives none now). */
export interface TimeZoneListener {
  /** Named in the log when it fails, e.g. `waiting-messages`. */
  name: string;
  changed(userId: string, timeZone: string | undefined): Promise<void>;
}

/**
 * Modules whose stored work depends on a user's time zone register here (in their onModuleInit), so a
 * profile's new zone reaches them without ingest importing those modules. A listener's failure is logged and
 * does not fail the profile's write: listeners only re-time work to the new zone (what a rule judges by the zone,
 * such as quiet hours, is judged again by its owner when it is due), so a missed call costs timeliness, never a rule.
 */
@Injectable()
export class TimeZoneChanges {
  private readonly logger = new Logger(TimeZoneChanges.name);
  private readonly listeners = new Map<string, TimeZoneListener>();

  register(listener: TimeZoneListener): void {
    if (this.listeners.has(listener.name)) {
      throw new Error(`a time-zone listener named ${listener.name} is already registered`);
    }
    this.listeners.set(listener.name, listener);
  }

  /** Tells every listener that `userId`'s time zone is now `timeZone`. */
  async changed(userId: string, timeZone: string | undefined): Promise<void> {
    for (const listener of this.listeners.values()) {
      try {
        await listener.changed(userId, timeZone);
      } catch (error) {
        this.logger.warn({
          message: `time-zone listener ${listener.name} failed: ${(error as Error).message}`,
          userId,
        });
      }
    }
  }
}
