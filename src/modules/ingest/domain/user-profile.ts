import { FreeFormRules } from '../../../lib/validation/free-form';

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

/** Attributes are a flat map of scalars stored inside the user document (level 2). */
export const ATTRIBUTE_RULES: FreeFormRules = {
  level: 2,
  nested: false,
  maxKeys: USER_LIMITS.attributes,
  maxKeyLength: USER_LIMITS.attributeKeyLength,
  maxStringLength: USER_LIMITS.attributeValueLength,
  maxSize: USER_LIMITS.attributes * (USER_LIMITS.attributeKeyLength + USER_LIMITS.attributeValueLength),
};
