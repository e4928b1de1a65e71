import { readFileSync } from 'node:fs';
import { fileErrorReason } from '../lib/files/file-errors';
import {
  checkSigningKey,
  checkVapidPrivateKey,
  checkVapidPublicKey,
  parseServiceAccount,
  PushCredentialError,
  ServiceAccount,
} from '../modules/delivery/domain/push-credentials';
import type { DeliverySettings } from './delivery.config';
import { ConfigError } from './parsers';

/** The push providers' keys, read and checked. */
export interface PushCredentials {
  fcm?: ServiceAccount;
  /** The PEM text of APNS_KEY_FILE. */
  apnsKey?: string;
  vapid?: { publicKey: string; privateKey: string; subject: string };
}

/** Runs `check`, turning a PushCredentialError into a ConfigError about `subject` (a variable, and its file). */
function checked<T>(subject: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof PushCredentialError)) throw error;
    throw new ConfigError(`Invalid configuration: ${subject} ${error.message}`);
  }
}

function readKeyFile<T>(variable: string, path: string, parse: (text: string) => T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = fileErrorReason(error) ?? (error as Error).message;
    throw new ConfigError(`Invalid configuration: ${variable} ${path} cannot be read: ${reason}`);
  }
  return checked(`${variable} ${path}`, () => parse(text));
}

/**
 * Reads and checks the keys of the push providers that have credentials, when push goes to the providers
 * (nothing otherwise). A missing, unreadable or malformed key file, or an unusable VAPID key, throws a
 * ConfigError naming the variable (and the file), never quoting a key.
 */
export function readPushCredentials(delivery: DeliverySettings): PushCredentials {
  if (delivery.pushChannel !== 'providers') return {};
  const credentials: PushCredentials = {};
  if (delivery.fcmServiceAccountFile) {
    credentials.fcm = readKeyFile('FCM_SERVICE_ACCOUNT_FILE', delivery.fcmServiceAccountFile, parseServiceAccount);
  }
  if (delivery.apnsKeyFile) {
    credentials.apnsKey = readKeyFile('APNS_KEY_FILE', delivery.apnsKeyFile, (pem) => {
      checkSigningKey(pem, 'ES256');
      return pem;
    });
  }
  const { vapidPublicKey: publicKey, vapidPrivateKey: privateKey, vapidSubject: subject } = delivery;
  if (publicKey && privateKey && subject) {
    checked('VAPID_PUBLIC_KEY', () => checkVapidPublicKey(publicKey));
    checked('VAPID_PRIVATE_KEY', () => checkVapidPrivateKey(privateKey));
    credentials.vapid = { publicKey, privateKey, subject };
  }
  return credentials;
}
