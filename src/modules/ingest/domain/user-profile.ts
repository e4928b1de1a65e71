/** A user's profile as the product sends it; consent is per channel and absent consent means no. */
export const PUSH_PLATFORMS = ['fcm', 'apns', 'webpush'] as const;
export type PushPlatform = (typeof PUSH_PLATFORMS)[number];

export interface PushToken {
  platform: PushPlatform;
  token: string;
}

export type AttributeValue = string | number | boolean | null;

export interface ChannelConsent {
  email: boolean;
  push: boolean;
}

export interface UserProfile {
  userId: string;
  email?: string;
  pushTokens: PushToken[];
  locale?: string;
  timeZone?: string;
  attributes: Record<string, AttributeValue>;
  consent: ChannelConsent;
  createdAt: Date;
  updatedAt: Date;
}

export const USER_LIMITS = {
  attributes: 100,
  attributeKeyLength: 64,
  attributeValueLength: 1024,
  pushTokens: 20,
} as const;

/** Why an attributes object is not a flat map of scalars, or undefined when it is. */
export function attributesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
  const entries = Object.entries(value);
  if (entries.length > USER_LIMITS.attributes) return `must have at most ${USER_LIMITS.attributes} keys`;
  for (const [key, entry] of entries) {
    if (key.length === 0 || key.length > USER_LIMITS.attributeKeyLength || key.startsWith('$') || key.includes('.')) {
      return `key ${JSON.stringify(key.slice(0, 80))} must be 1-${USER_LIMITS.attributeKeyLength} characters without "$" or "."`;
    }
    const scalar = entry === null || ['string', 'number', 'boolean'].includes(typeof entry);
    if (!scalar) return `${key} must be a string, number, boolean or null`;
    if (typeof entry === 'string' && entry.length > USER_LIMITS.attributeValueLength) {
      return `${key} must be at most ${USER_LIMITS.attributeValueLength} characters`;
    }
  }
  return undefined;
}
