import { INestApplicationContext } from '@nestjs/common';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import {
  DeliveryOutcome,
  NotificationDeliveryService,
} from '../../../src/modules/delivery/notification-delivery.service';
import { NotificationLifecycle } from '../../../src/modules/delivery/notification-lifecycle';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { SmtpSink } from '../../setup/smtp-sink';
import { queuedDigestRun, startDigestSending } from './sending-harness';

const users = ['ana', 'ben'];

/**
 * A retry's backoff against a duplicate job: the job read the notification queued, and before it claims it
 * another attempt sends, is told to try later and queues it again with a "not before". The claim is a
 * conditional write on the record as it is now, so the duplicate sends nothing before that time.
 */
describe("a retry's backoff and a job that read the notification before it", () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // A retry comes back within the hour: far later than the test, whatever the jitter draws (bar a few ms).
    ({ app, sink, stop } = await startDigestSending('retry-backoff', users, {
      DELIVERY_RETRY_BASE_MS: '3600000',
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    ['a one-by-one job', (id: string) => app.get(NotificationDeliveryService).deliver(id)],
    ['a batch job', (id: string) => app.get(NotificationBatchDelivery).deliverMany([id])],
  ])('holds against %s', async (_, job) => {
    const { ids } = await queuedDigestRun(app, users.length);
    const anaId = ids.get('ana')!;
    const before = sink.messages.length;
    const lifecycle = app.get(NotificationLifecycle);
    const gate = lifecycle.gate.bind(lifecycle);
    let retry: DeliveryOutcome | undefined;
    // While the job asks whether the run is open (after its read, before its claim), another attempt sends,
    // is told to try later, and queues the notification again.
    jest.spyOn(lifecycle, 'gate').mockImplementationOnce(async (runId) => {
      sink.replyToNextData(451, '4.3.0 Temporary failure, try again later');
      retry = await app.get(NotificationDeliveryService).deliver(anaId);
      return gate(runId);
    });
    await job(anaId);
    expect(retry).toMatchObject({ kind: 'again', why: 'delivery.unavailable' });
    const after = await app.get(NotificationRepository).findById(anaId);
    expect(after).toMatchObject({ state: 'queued', attempts: [{ outcome: 'retry' }] });
    expect(after!.notBefore!.getTime()).toBeGreaterThan(Date.now());
    expect(sink.messages.length).toBe(before);
  });
});
