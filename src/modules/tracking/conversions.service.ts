import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { FieldValidationException } from '../../common/http/field-errors';
import { Settings } from '../../config/settings';
import { attributionStart, Conversion, validateConversion } from './domain/conversion';
import { ConversionRecord } from './conversion.schema';
import { ConversionRepository } from './conversion.repository';
import { EngagementOutcomes } from './engagement-outcomes.service';
import { ErasedMeanwhile } from './erased-meanwhile.service';
import { TrackedNotificationRepository } from './tracked-notification.repository';
import { TrackingEventRepository } from './tracking-event.repository';

/** A report in progress is left alone: only conversions pending this long after they were received are swept. */
const PENDING_GRACE_MS = 5 * 60_000;
/** Conversions one sweep finishes at most, oldest first; the next sweep takes the rest. */
const PENDING_PER_SWEEP = 500;

/** What one sweep of pending conversions did. */
export interface PendingSweep {
  settled: number;
  failed: number;
}

export interface ConversionResult {
  record: ConversionRecord;
  /** The id was reported before (with the same fields): nothing changed. */
  duplicate: boolean;
  /** Its user was being erased as it was reported: the conversion was taken back, and nothing of it is kept. */
  erased: boolean;
}

/** Whether a replay reports the same conversion (same user, time and value) as the one stored. */
function sameConversion(stored: ConversionRecord, reported: Conversion): boolean {
  return (
    stored.userId === reported.userId &&
    stored.occurredAt.getTime() === reported.occurredAt.getTime() &&
    stored.value === reported.value &&
    stored.reportedCampaignId === reported.campaignId
  );
}

/**
 * Conversions reported by the product's backend, idempotent on their id and attributed to the user's
 * last notification sent within TRACKING_CONVERSION_WINDOW_HOURS before the conversion (of the named
 * campaign, when one is named). Unattributed conversions are kept too, for later analysis. A report
 * that failed after the conversion was stored leaves it pending: its retry finishes it, and so does the
 * scheduled sweep, for a backend that never retries.
 */
@Injectable()
export class ConversionsService {
  private readonly logger = new Logger(ConversionsService.name);
  private readonly windowHours: number;

  constructor(
    private readonly conversions: ConversionRepository,
    private readonly notifications: TrackedNotificationRepository,
    private readonly events: TrackingEventRepository,
    private readonly outcomes: EngagementOutcomes,
    private readonly erasedMeanwhile: ErasedMeanwhile,
    config: ConfigService<Settings, true>,
  ) {
    this.windowHours = config.get('tracking', { infer: true }).conversionWindowHours;
  }

  /** Validates (400 naming each bad field, nothing stored), then stores and attributes once. */
  async report(body: unknown, now = new Date()): Promise<ConversionResult> {
    const validation = validateConversion(body, now);
    if (!validation.ok) throw new FieldValidationException(validation.errors);
    const conversion = validation.conversion;
    const known = await this.conversions.find(conversion.id);
    if (known) return this.replay(known, conversion);
    const { userId, occurredAt, value } = conversion;
    const from = attributionStart(occurredAt, this.windowHours);
    const notification = await this.notifications.findLastSent(userId, from, occurredAt, conversion.campaignId);
    const record: ConversionRecord = {
      conversionId: conversion.id,
      userId,
      occurredAt,
      ...(value !== undefined && { value }),
      ...(conversion.campaignId !== undefined && { reportedCampaignId: conversion.campaignId }),
      ...(notification && { notificationId: notification.notificationId, campaignId: notification.campaignId }),
      receivedAt: now,
      pending: true,
    };
    // Two reports of one id at once: the unique index keeps one, the other is a replay.
    if (!(await this.conversions.add(record))) {
      return this.replay((await this.conversions.find(record.conversionId))!, conversion);
    }
    return { record, duplicate: false, erased: await this.settle(record) };
  }

  /**
   * Finishes the conversions still pending PENDING_GRACE_MS after they were received, oldest first. Settling
   * is idempotent, so a sweep that meets the report's own retry counts the conversion once; one that fails
   * again is logged and stays pending for the next sweep.
   */
  async settlePending(now = new Date()): Promise<PendingSweep> {
    const due = new Date(now.getTime() - PENDING_GRACE_MS);
    const sweep: PendingSweep = { settled: 0, failed: 0 };
    for (const record of await this.conversions.findPending(due, PENDING_PER_SWEEP)) {
      try {
        await this.settle(record);
        sweep.settled += 1;
      } catch (error) {
        sweep.failed += 1;
        this.logger.warn({
          message: `pending conversion not settled: ${(error as Error).message}`,
          conversionId: record.conversionId,
          userId: record.userId,
        });
      }
    }
    return sweep;
  }

  /**
   * Writes the conversion's event (when attributed) and passes it to experiments, then marks it settled.
   * Each step counts once however often it runs, so a replay can finish a report that failed midway. What
   * it wrote for a user erased meanwhile it takes back; true when it took the conversion back.
   */
  private async settle(record: ConversionRecord): Promise<boolean> {
    const { conversionId, userId, occurredAt, value, notificationId, campaignId } = record;
    if (notificationId !== undefined && campaignId !== undefined) {
      await this.events.append({
        notificationId,
        userId,
        campaignId,
        kind: 'conversion',
        at: occurredAt,
        repeat: false,
        conversionId,
        ...(value !== undefined && { value }),
      });
    }
    // Experiments count the conversion whatever was sent: held-out and suppressed users convert too.
    await this.outcomes.converted(
      {
        conversionId,
        userId,
        ...(record.reportedCampaignId !== undefined && { campaignId: record.reportedCampaignId }),
        ...(notificationId !== undefined && { notificationId }),
      },
      occurredAt,
      value,
    );
    const stillStored = await this.conversions.markSettled(conversionId);
    // Its user may have been erased since the conversion or its notification was read.
    const erased = await this.erasedMeanwhile.afterConversion(record, stillStored);
    // Or it may be being erased past its conversions, with no notification to tell.
    return (await this.erasedMeanwhile.ofMarkedUser(record)) || erased;
  }

  /** The same conversion again: finishes what a failed report left undone; another one with its id is a 409. */
  private async replay(stored: ConversionRecord, reported: Conversion): Promise<ConversionResult> {
    if (!sameConversion(stored, reported)) {
      throw new ConflictException(`conversion ${reported.id} was already reported with other fields; nothing changed`);
    }
    const erased = stored.pending === true && (await this.settle(stored));
    return { record: stored, duplicate: true, erased };
  }
}
