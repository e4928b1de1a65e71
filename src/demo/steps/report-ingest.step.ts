import { EventsService } from '../../modules/ingest/events.service';
import { UserRepository } from '../../modules/ingest/user.repository';
import { DemoStep } from '../demo-context';
import { callApi } from '../http-client';

/** Reads back what was stored: events per type, users, and one profile through the admin API. */
export const reportIngestStep: DemoStep = {
  title: 'What was stored',
  async run(context) {
    const byType = await context.app.get(EventsService).countByType();
    const users = await context.app.get(UserRepository).count();
    const stored = Object.values(byType).reduce((sum, n) => sum + n, 0);
    const sample = await callApi<{ userId: string; locale: string; timeZone: string }>(
      context.baseUrl,
      context.tokens.admin,
      'GET',
      `/v1/users/${context.userIds[0]}`,
    );
    context.report.stored = { users, events: stored, eventsByType: byType };
    context.log(`users: ${users}, events: ${stored}`);
    for (const [type, n] of Object.entries(byType)) context.log(`  ${type.padEnd(9)} ${n}`);
    context.log(`sample profile ${sample.userId}: ${sample.locale}, ${sample.timeZone}`);
  },
};
