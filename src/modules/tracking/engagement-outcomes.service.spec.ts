import { Logger } from '@nestjs/common';
import { ExperimentOutcomes } from '../experiments/experiment-ports';
import { RankingExampleRepository } from '../ranking/ranking-example.repository';
import { EngagementOutcomes } from './engagement-outcomes.service';

const AT = new Date('2026-03-02T09:00:00Z');
const NOTIFICATION = { notificationId: 'n1', userId: 'u1', campaignId: 'digest' };

/** Records what each port was asked, or fails the way a lost database would. */
function ports(fail = false) {
  const calls: string[] = [];
  const answer = (call: string) =>
    fail ? Promise.reject(new Error('connection lost')) : (calls.push(call), Promise.resolve());
  const experiments = {
    record: (o: { kind: string; machine?: boolean }) => answer(`experiment ${o.kind} ${o.machine ?? ''}`.trim()),
  };
  const ranking = { recordOutcome: (id: string, kind: string) => answer(`ranking ${kind} ${id}`) };
  const service = new EngagementOutcomes(
    experiments as unknown as ExperimentOutcomes,
    ranking as unknown as RankingExampleRepository,
  );
  return { service, calls };
}

describe(EngagementOutcomes.name, () => {
  it('labels ranking examples with human opens and clicks only, and tells experiments everything', async () => {
    const { service, calls } = ports();
    await service.opened(NOTIFICATION, AT, true);
    await service.opened(NOTIFICATION, AT, false);
    await service.clicked(NOTIFICATION, AT);
    await service.converted({ ...NOTIFICATION, conversionId: 'c1' }, AT, 12);
    await service.unsubscribed(NOTIFICATION, AT);
    expect(calls).toEqual([
      'experiment open true',
      'experiment open false',
      'ranking open n1',
      'experiment click',
      'ranking click n1',
      'experiment conversion',
      'experiment unsubscribe',
    ]);
  });

  it('names the experiment each engagement counts in: the one its notification was sent under, or none', async () => {
    const recorded: Array<{ kind: string; experimentId?: string | null }> = [];
    const experiments = { record: (o: { kind: string; experimentId?: string | null }) => recorded.push(o) };
    const ranking = { recordOutcome: () => Promise.resolve() };
    const service = new EngagementOutcomes(
      experiments as unknown as ExperimentOutcomes,
      ranking as unknown as RankingExampleRepository,
    );
    await service.opened({ ...NOTIFICATION, experimentId: 'digest.v2' }, AT, false);
    await service.clicked(NOTIFICATION, AT);
    await service.converted({ ...NOTIFICATION, conversionId: 'c1' }, AT, undefined);
    expect(recorded.map(({ kind, experimentId }) => ({ kind, experimentId }))).toEqual([
      { kind: 'open', experimentId: 'digest.v2' },
      { kind: 'click', experimentId: null },
      // A conversion counts in every experiment of its campaign.
      { kind: 'conversion', experimentId: undefined },
    ]);
  });

  it("logs a failure with the notification's ids and never fails the recipient's request", async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { service } = ports(true);
    await expect(service.clicked(NOTIFICATION, AT)).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('click of notification n1 (user u1)'));
    error.mockRestore();
  });
});
