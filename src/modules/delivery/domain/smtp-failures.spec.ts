import { DeliveryError } from './delivery-error';
import { classifyTransportError, classifyWebhookStatus } from './http-failures';
import { classifySmtpError } from './smtp-failures';

describe('classifySmtpError', () => {
  it.each([
    [
      { responseCode: 550, response: '550 5.1.1 <x@y>: user unknown', command: 'RCPT TO' },
      'delivery.hard-bounce',
      '5.1.1',
    ],
    [{ responseCode: 550, response: '550 mailbox unavailable', command: 'RCPT TO' }, 'delivery.hard-bounce', undefined],
    [
      { responseCode: 553, response: '553 5.1.3 bad address syntax', command: 'RCPT TO' },
      'delivery.hard-bounce',
      '5.1.3',
    ],
    [
      { responseCode: 550, response: '550 5.2.1 mailbox disabled', command: 'RCPT TO' },
      'delivery.hard-bounce',
      '5.2.1',
    ],
    [{ responseCode: 552, response: '552 5.2.2 mailbox full', command: 'RCPT TO' }, 'delivery.rejected', '5.2.2'],
    [{ responseCode: 553, response: '553 5.1.8 sender rejected', command: 'RCPT TO' }, 'delivery.rejected', '5.1.8'],
    [{ responseCode: 501, response: '501 5.1.7 bad sender', command: 'MAIL FROM' }, 'delivery.rejected', '5.1.7'],
    [
      { responseCode: 550, response: '550 5.7.1 message refused as spam', command: 'DATA' },
      'delivery.rejected',
      '5.7.1',
    ],
    [{ responseCode: 554, response: '554 transaction failed', command: 'DATA' }, 'delivery.rejected', undefined],
    [{ responseCode: 552, response: '552 5.3.4 message too big', command: 'DATA' }, 'delivery.rejected', '5.3.4'],
    [{ responseCode: 450, response: '450 4.2.1 try later', command: 'RCPT TO' }, 'delivery.unavailable', '4.2.1'],
    [{ responseCode: 421, response: '421 service shutting down', command: 'CONN' }, 'delivery.unavailable', undefined],
    [{ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials' }, 'delivery.auth', '5.7.8'],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'delivery.network', 'ECONNECTION'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'delivery.timeout', 'ETIMEDOUT'],
    [{ code: 'EENVELOPE', message: 'No recipients defined' }, 'delivery.rejected', 'EENVELOPE'],
    [{ code: 'EMESSAGE', message: 'Message size larger than allowed 1000' }, 'delivery.rejected', 'EMESSAGE'],
    [
      { code: 'EPROTOCOL', responseCode: 554, response: '554 no SMTP service here', command: 'CONN' },
      'delivery.rejected',
      'EPROTOCOL',
    ],
  ])('%j is %s', (error, code, providerCode) => {
    expect(classifySmtpError(error)).toMatchObject({ code, details: { providerCode } });
  });

  // Our own socket (mailer.ts) rejects with Node's error codes; nodemailer wraps later ones as ESOCKET.
  it.each([
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ESOCKET',
    'EDNS',
    'ETLS',
    'EMAXLIMIT',
  ])('calls %s, a failure with no SMTP reply, a retryable network failure', (providerCode) => {
    const failure = classifySmtpError({ code: providerCode, message: `connect ${providerCode} relay.example.com` });
    expect(failure).toEqual({
      code: 'delivery.network',
      message: `connect ${providerCode} relay.example.com`,
      details: { providerCode },
    });
    expect(new DeliveryError(failure.code, 'smtp', failure.message).retryable).toBe(true);
  });

  it('calls a failure with neither an SMTP reply nor a code a network failure', () => {
    expect(classifySmtpError(new Error('socket hang up'))).toMatchObject({ code: 'delivery.network' });
  });
});

describe('classifyTransportError', () => {
  it('reads the socket error fetch wraps in `cause`', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyTransportError(refused)).toMatchObject({
      code: 'delivery.network',
      details: { providerCode: 'ECONNREFUSED' },
    });
  });

  it('calls an abort by timeout a timeout', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyTransportError(timeout).code).toBe('delivery.timeout');
    expect(classifyTransportError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })).code).toBe(
      'delivery.timeout',
    );
  });
});

describe('classifyWebhookStatus', () => {
  it.each([
    [500, 'delivery.unavailable'],
    [429, 'delivery.throttled'],
    [408, 'delivery.unavailable'],
    [410, 'delivery.rejected'],
    [404, 'delivery.rejected'],
    [401, 'delivery.rejected'],
    [422, 'delivery.rejected'],
  ])('HTTP %i is %s', (status, code) => {
    expect(classifyWebhookStatus(status).code).toBe(code);
  });
});

describe(DeliveryError.name, () => {
  it('derives retryability and the recipient action from its code', () => {
    const cases = [
      ['delivery.invalid-token', false, 'remove-token'],
      ['delivery.hard-bounce', false, 'suppress-address'],
      ['delivery.rejected', false, 'none'],
      ['delivery.not-configured', false, 'none'],
      ['delivery.misconfigured', false, 'none'],
      ['delivery.throttled', true, 'none'],
      ['delivery.unavailable', true, 'none'],
      ['delivery.network', true, 'none'],
      ['delivery.timeout', true, 'none'],
      ['delivery.auth', true, 'none'],
    ] as const;
    for (const [code, retryable, action] of cases) {
      const error = new DeliveryError(code, 'smtp', 'x');
      expect({ code, retryable: error.retryable, action: error.action }).toEqual({ code, retryable, action });
    }
    expect(new DeliveryError('delivery.throttled', 'fcm', 'slow down', { retryAfterMs: 5 }).toJSON()).toMatchObject({
      code: 'delivery.throttled',
      provider: 'fcm',
      retryAfterMs: 5,
      retryable: true,
    });
    const since = new Date('2026-03-01T10:00:00Z');
    const gone = new DeliveryError('delivery.invalid-token', 'apns', 'APNs 410 Unregistered', {
      tokenInvalidSince: since,
    });
    expect(gone.toJSON()).toMatchObject({ action: 'remove-token', tokenInvalidSince: '2026-03-01T10:00:00.000Z' });
    expect(new DeliveryError('delivery.invalid-token', 'fcm', 'gone').toJSON()).not.toHaveProperty('tokenInvalidSince');
  });
});
