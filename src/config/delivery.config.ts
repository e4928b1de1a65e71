import { withDefault } from './llm.config';
import { ConfigError, cron, decimal, integer, oneOf, optional, Parser, text, url } from './parsers';
import { defineNamespace, NamespaceValues, setting } from './setting';

/** A bare email address (display names go in their own setting). */
function emailAddress(): Parser<string> {
  return (raw, variable) => {
    const value = text()(raw, variable).trim();
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(value)) {
      throw new ConfigError(`Invalid configuration: ${variable} must be an email address`);
    }
    return value;
  };
}

/**
 * The most tries DELIVERY_MAX_ATTEMPTS may allow. A notification's attempt log keeps this many, since the log's
 * length is how many tries were made.
 */
export const MAX_DELIVERY_ATTEMPTS = 50;

/** Messages per second; 0 turns the limit off, fractions allow one message every few seconds. */
const rate = (variable: string, fallback: number, what: string) =>
  setting(
    variable,
    withDefault(decimal(0, 1_000_000), fallback),
    `Messages per second ${what}, shared by all workers; 0 = no limit.`,
  );

/** Channels and providers: where messages go, with which credentials, how fast, and how often retried. */
export const deliveryNamespace = defineNamespace('delivery', {
  emailChannel: setting(
    'DELIVERY_EMAIL_CHANNEL',
    optional(oneOf(['outbox', 'smtp'])),
    'Where email goes: outbox files or SMTP. Unset: smtp when SMTP_URL is set, else outbox.',
  ),
  pushChannel: setting(
    'DELIVERY_PUSH_CHANNEL',
    withDefault(oneOf(['outbox', 'providers']), 'outbox'),
    'Where push goes: outbox files, or FCM / APNs / Web Push by the token platform.',
  ),
  webhookChannel: setting(
    'DELIVERY_WEBHOOK_CHANNEL',
    withDefault(oneOf(['outbox', 'http']), 'outbox'),
    'Where webhook messages go: outbox files, or a signed POST to the campaign URL.',
  ),
  outboxDir: setting('DELIVERY_OUTBOX_DIR', withDefault(text(), './data/outbox'), 'Folder of the outbox channel.'),
  timeoutMs: setting(
    'DELIVERY_TIMEOUT_MS',
    withDefault(integer(100, 600_000), 10_000),
    'Timeout of one provider request.',
  ),
  maxAttempts: setting(
    'DELIVERY_MAX_ATTEMPTS',
    withDefault(integer(1, MAX_DELIVERY_ATTEMPTS), 8),
    'Tries of a message (the first included) before it fails.',
  ),
  retryBaseMs: setting(
    'DELIVERY_RETRY_BASE_MS',
    withDefault(integer(10, 3_600_000), 2000),
    'Ceiling of the first retry delay; doubles per attempt, full jitter.',
  ),
  retryMaxMs: setting(
    'DELIVERY_RETRY_MAX_MS',
    withDefault(integer(10, 86_400_000), 3_600_000),
    'Ceiling of any retry delay (a provider Retry-After may ask for more).',
  ),
  concurrency: setting(
    'DELIVERY_CONCURRENCY',
    withDefault(integer(1, 500), 20),
    'Delivery jobs one worker process runs at once.',
  ),
  batchSize: setting(
    'DELIVERY_BATCH_SIZE',
    withDefault(integer(1, 1000), 50),
    'Notifications one delivery job carries at most, claimed and recorded in bulk.',
  ),
  acceptedWriteDelayMs: setting(
    'DELIVERY_ACCEPTED_WRITE_DELAY_MS',
    withDefault(integer(0, 1000), 5),
    "How long a provider's acceptance waits for others to share its write; it widens the crash window by as much.",
  ),
  leaseMs: setting(
    'DELIVERY_LEASE_MS',
    withDefault(integer(1000, 600_000), 15_000),
    "How long an attempt holds a notification without renewing; a dead worker's attempt is taken over after it.",
  ),
  jobAttempts: setting(
    'DELIVERY_JOB_ATTEMPTS',
    withDefault(integer(1, 50), 10),
    'Tries of a delivery job after unexpected errors (a database outage), not provider failures.',
  ),
  lockDurationMs: setting(
    'DELIVERY_LOCK_DURATION_MS',
    withDefault(integer(500, 3_600_000), 30_000),
    'How long a worker holds a delivery job lock between renewals.',
  ),
  stalledIntervalMs: setting(
    'DELIVERY_STALLED_INTERVAL_MS',
    withDefault(integer(500, 3_600_000), 30_000),
    'How often workers look for delivery jobs whose lock lapsed (stalled by a crash).',
  ),
  strandedAfterMs: setting(
    'DELIVERY_STRANDED_AFTER_MS',
    withDefault(integer(1000, 86_400_000), 600_000),
    'How long a queued message may be overdue (or its lapsed attempt untaken) before the sweep gives it a delivery job again.',
  ),
  strandedCron: setting(
    'DELIVERY_STRANDED_CRON',
    withDefault(cron(), '* * * * *'),
    'When the scheduled sweep looks for messages whose delivery job was lost (Redis data lost, a job given up on).',
  ),
  rateSmtp: rate('DELIVERY_RATE_SMTP', 50, 'through the SMTP relay'),
  rateFcm: rate('DELIVERY_RATE_FCM', 500, 'to FCM'),
  rateApns: rate('DELIVERY_RATE_APNS', 500, 'to APNs'),
  rateWebpush: rate('DELIVERY_RATE_WEBPUSH', 200, 'to Web Push services'),
  rateWebhook: rate('DELIVERY_RATE_WEBHOOK', 50, 'to webhook endpoints'),
  rateCampaign: rate('DELIVERY_RATE_CAMPAIGN', 0, 'of one campaign (a campaign may set its own)'),
  smtpUrl: setting(
    'SMTP_URL',
    optional(url(['smtp:', 'smtps:'])),
    'SMTP relay, e.g. smtps://user:pass@smtp.example.com:465 (smtp:// upgrades with STARTTLS).',
  ),
  smtpPoolSize: setting('SMTP_POOL_SIZE', withDefault(integer(1, 100), 5), 'SMTP connections one process keeps open.'),
  emailFromAddress: setting(
    'EMAIL_FROM_ADDRESS',
    withDefault(emailAddress(), 'notifications@localhost'),
    'Sender address of every email; its domain is the Message-ID domain.',
  ),
  emailFromName: setting('EMAIL_FROM_NAME', withDefault(text(), 'Journeycast'), 'Sender display name.'),
  emailReplyTo: setting('EMAIL_REPLY_TO', optional(emailAddress()), 'Reply-To address; unset: none.'),
  emailUnsubscribeMailto: setting(
    'EMAIL_UNSUBSCRIBE_MAILTO',
    optional(emailAddress()),
    'Mailbox added to List-Unsubscribe as a mailto: next to the https link; unset: https only.',
  ),
  fcmServiceAccountFile: setting(
    'FCM_SERVICE_ACCOUNT_FILE',
    optional(text()),
    'Path of the Firebase service-account JSON key; unset: FCM is off.',
  ),
  fcmApiUrl: setting(
    'FCM_API_URL',
    withDefault(url(['https:', 'http:']), 'https://fcm.googleapis.com'),
    'FCM HTTP v1 endpoint.',
  ),
  fcmTokenUrl: setting(
    'FCM_TOKEN_URL',
    optional(url(['https:', 'http:'])),
    "OAuth2 token endpoint; unset: the key file's token_uri.",
  ),
  apnsKeyFile: setting('APNS_KEY_FILE', optional(text()), 'Path of the APNs auth key (.p8); unset: APNs is off.'),
  apnsKeyId: setting('APNS_KEY_ID', optional(text()), 'Key ID of the .p8 key.'),
  apnsTeamId: setting('APNS_TEAM_ID', optional(text()), 'Apple developer Team ID.'),
  apnsBundleId: setting('APNS_BUNDLE_ID', optional(text()), "The app's bundle id (the apns-topic)."),
  apnsUrl: setting(
    'APNS_URL',
    withDefault(url(['https:']), 'https://api.push.apple.com'),
    'APNs endpoint; https://api.sandbox.push.apple.com for development builds.',
  ),
  vapidPublicKey: setting(
    'VAPID_PUBLIC_KEY',
    optional(text()),
    'Web Push VAPID public key (base64url); unset: Web Push is off.',
  ),
  vapidPrivateKey: setting('VAPID_PRIVATE_KEY', optional(text()), 'Web Push VAPID private key (base64url).'),
  vapidSubject: setting(
    'VAPID_SUBJECT',
    optional(url(['mailto:', 'https:'])),
    'Contact push services can reach: mailto:ops@example.com or an https URL.',
  ),
  webhookSecret: setting(
    'WEBHOOK_SIGNING_SECRET',
    optional(text()),
    'HMAC-SHA256 secret of the Journeycast-Signature header of webhook messages.',
  ),
});

export type DeliverySettings = NamespaceValues<typeof deliveryNamespace.specs>;

function requireTogether(delivery: DeliverySettings, keys: Array<keyof DeliverySettings>, names: string[]): void {
  const set = keys.filter((key) => delivery[key] !== undefined);
  if (set.length > 0 && set.length < keys.length) {
    throw new ConfigError(`Invalid configuration: ${names.join(', ')} must be set together`);
  }
}

/** Settings that only make sense together; throws a ConfigError naming the variables. */
export function checkDeliverySettings(delivery: DeliverySettings): void {
  if (delivery.emailChannel === 'smtp' && !delivery.smtpUrl) {
    throw new ConfigError('Invalid configuration: SMTP_URL is required when DELIVERY_EMAIL_CHANNEL=smtp');
  }
  requireTogether(
    delivery,
    ['apnsKeyFile', 'apnsKeyId', 'apnsTeamId', 'apnsBundleId'],
    ['APNS_KEY_FILE', 'APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_BUNDLE_ID'],
  );
  requireTogether(
    delivery,
    ['vapidPublicKey', 'vapidPrivateKey', 'vapidSubject'],
    ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'],
  );
  if (delivery.webhookChannel === 'http' && !delivery.webhookSecret) {
    throw new ConfigError(
      'Invalid configuration: WEBHOOK_SIGNING_SECRET is required when DELIVERY_WEBHOOK_CHANNEL=http',
    );
  }
  if (
    delivery.pushChannel === 'providers' &&
    !delivery.fcmServiceAccountFile &&
    !delivery.apnsKeyFile &&
    !delivery.vapidPublicKey
  ) {
    throw new ConfigError(
      'Invalid configuration: DELIVERY_PUSH_CHANNEL=providers needs FCM_SERVICE_ACCOUNT_FILE, APNS_KEY_FILE or VAPID_PUBLIC_KEY',
    );
  }
}
