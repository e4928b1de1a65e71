import { classifyApnsError, classifyFcmError, classifyWebPushError } from './push-failures';

const fcmError = (code: number, status: string, errorCode?: string, extra: object[] = [], message = 'x') => ({
  error: {
    code,
    message,
    status,
    details: [
      ...(errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : []),
      ...extra,
    ],
  },
});
const tokenViolation = {
  '@type': 'type.googleapis.com/google.rpc.BadRequest',
  fieldViolations: [{ field: 'message.token', description: 'Invalid registration token' }],
};

describe('classifyFcmError', () => {
  it.each([
    [404, fcmError(404, 'NOT_FOUND', 'UNREGISTERED'), 'delivery.invalid-token', 'UNREGISTERED'],
    [403, fcmError(403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH'), 'delivery.misconfigured', 'SENDER_ID_MISMATCH'],
    [
      400,
      fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', [tokenViolation]),
      'delivery.invalid-token',
      'INVALID_ARGUMENT',
    ],
    [
      400,
      fcmError(
        400,
        'INVALID_ARGUMENT',
        'INVALID_ARGUMENT',
        [],
        'The registration token is not a valid FCM registration token',
      ),
      'delivery.invalid-token',
      'INVALID_ARGUMENT',
    ],
    [
      400,
      fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', [], 'Invalid value at message.data[0].value'),
      'delivery.rejected',
      'INVALID_ARGUMENT',
    ],
    [429, fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), 'delivery.throttled', 'QUOTA_EXCEEDED'],
    [503, fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE'), 'delivery.unavailable', 'UNAVAILABLE'],
    [500, fcmError(500, 'INTERNAL', 'INTERNAL'), 'delivery.unavailable', 'INTERNAL'],
    [401, fcmError(401, 'UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR'), 'delivery.auth', 'THIRD_PARTY_AUTH_ERROR'],
    [401, fcmError(401, 'UNAUTHENTICATED'), 'delivery.auth', 'UNAUTHENTICATED'],
    [502, '<html>bad gateway</html>', 'delivery.unavailable', undefined],
  ])('HTTP %i %j is %s', (status, body, code, providerCode) => {
    expect(classifyFcmError(status, body, 1000)).toMatchObject({
      code,
      details: { status, providerCode, retryAfterMs: 1000 },
    });
  });
});

describe('classifyApnsError', () => {
  it.each([
    [410, 'Unregistered', 'delivery.invalid-token'],
    [410, 'ExpiredToken', 'delivery.invalid-token'],
    [400, 'BadDeviceToken', 'delivery.invalid-token'],
    [400, 'DeviceTokenNotForTopic', 'delivery.misconfigured'],
    [403, 'ExpiredProviderToken', 'delivery.auth'],
    [403, 'InvalidProviderToken', 'delivery.auth'],
    [429, 'TooManyRequests', 'delivery.throttled'],
    [500, 'InternalServerError', 'delivery.unavailable'],
    [503, 'Shutdown', 'delivery.unavailable'],
    [413, 'PayloadTooLarge', 'delivery.rejected'],
    [400, 'BadCollapseId', 'delivery.rejected'],
    [400, 'MissingTopic', 'delivery.rejected'],
    [502, undefined, 'delivery.unavailable'],
  ])('HTTP %i %s is %s', (status, reason, code) => {
    expect(classifyApnsError(status, reason)).toMatchObject({ code, details: { status, providerCode: reason } });
  });

  it('names the setting a refusal may be ours for, and marks BadDeviceToken as ambiguous between token and setting', () => {
    expect(classifyApnsError(400, 'DeviceTokenNotForTopic').details).toMatchObject({ setting: 'APNS_BUNDLE_ID' });
    expect(classifyApnsError(400, 'BadDeviceToken').details).toMatchObject({
      setting: 'APNS_URL',
      ambiguousToken: true,
    });
    expect(classifyApnsError(410, 'Unregistered').details).not.toHaveProperty('ambiguousToken');
    expect(classifyFcmError(403, fcmError(403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH')).details).toMatchObject({
      setting: 'FCM_SERVICE_ACCOUNT_FILE',
    });
  });

  it('keeps the time a 410 says the token became invalid, and nothing from another status or a timestamp not a number', () => {
    const at = Date.UTC(2026, 0, 5, 10, 30);
    expect(classifyApnsError(410, 'Unregistered', undefined, at).details.tokenInvalidSince).toEqual(new Date(at));
    expect(classifyApnsError(410, 'Unregistered', undefined, String(at)).details).not.toHaveProperty(
      'tokenInvalidSince',
    );
    expect(classifyApnsError(410, 'Unregistered', undefined, 1e300).details).not.toHaveProperty('tokenInvalidSince');
    expect(classifyApnsError(400, 'BadDeviceToken', undefined, at).details).not.toHaveProperty('tokenInvalidSince');
  });
});

describe('classifyWebPushError', () => {
  it.each([
    [404, 'delivery.invalid-token'],
    [410, 'delivery.invalid-token'],
    [413, 'delivery.rejected'],
    [400, 'delivery.rejected'],
    [401, 'delivery.auth'],
    [403, 'delivery.auth'],
    [429, 'delivery.throttled'],
    [500, 'delivery.unavailable'],
    [503, 'delivery.unavailable'],
  ])('HTTP %i is %s', (status, code) => {
    expect(classifyWebPushError(status, 'push service says no')).toMatchObject({ code, details: { status } });
  });
});
