import { createHash } from 'node:crypto';

/**
 * Ids handed to providers, derived only from the notification id: a retry after a crash sends the
 * same ids again, which is what lets a provider or device recognise the second copy.
 */

function digest(notificationId: string): Buffer {
  return createHash('sha256').update(`journeycast:${notificationId}`).digest();
}

/** A notification id as it may appear in a header or file name: kept when plain, hashed otherwise. */
export function safeId(notificationId: string): string {
  return /^[A-Za-z0-9_-]{1,64}$/.test(notificationId) ? notificationId : digest(notificationId).toString('hex');
}

/** RFC 5322 Message-ID in angle brackets, on the sender's domain. */
export function emailMessageId(notificationId: string, fromAddress: string): string {
  const domain = fromAddress.split('@').pop() || 'localhost';
  return `<${safeId(notificationId)}.jc@${domain}>`;
}

/** An `apns-id`: a UUID (version 5 layout) derived from the notification id. */
export function apnsId(notificationId: string): string {
  const bytes = digest(notificationId).subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toUpperCase();
}

/**
 * A 32-character URL-safe tag: fits a Web Push `Topic` (at most 32 base64url characters), an
 * `apns-collapse-id` (at most 64 bytes) and an Android notification tag. Two copies of the same
 * notification carry the same tag, so the second replaces the first instead of showing twice.
 */
export function collapseTag(notificationId: string): string {
  return digest(notificationId).subarray(0, 24).toString('base64url');
}
