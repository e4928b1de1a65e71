import { Inject, Injectable } from '@nestjs/common';
import type { KeyRing } from './domain/signing-keys';
import {
  signTrackingToken,
  TrackingClaims,
  TrackingKind,
  verifyTrackingToken,
  VerifyResult,
} from './domain/tracking-token';

export const TRACKING_KEY_RING = Symbol('TRACKING_KEY_RING');

/**
 * Signs and verifies tracking tokens with this deployment's keys. Links built from these tokens
 * are `<PUBLIC_BASE_URL>/t/o/<token>` (open pixel), `/t/c/<token>` (click; the target comes from the
 * stored message), `/t/u/<token>` (unsubscribe page and one-click POST) and the push-open callback body
 * (see `domain/tracking-urls.ts`).
 */
@Injectable()
export class TrackingTokens {
  constructor(@Inject(TRACKING_KEY_RING) private readonly keys: KeyRing) {}

  /** A token for `claims`, signed with the first configured key; optionally expiring. */
  sign(claims: TrackingClaims, expiresAt?: Date): string {
    return signTrackingToken(claims, this.keys, expiresAt);
  }

  /** Verifies against every configured key; pass `expected` so a token of one kind cannot act as another. */
  verify(token: string, expected?: TrackingKind, now = new Date()): VerifyResult {
    return verifyTrackingToken(token, this.keys, now, expected);
  }
}
