import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BULL_BOARD_INSTANCE, BullBoardInstance, BullBoardModule } from '@bull-board/nestjs';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import Bull from 'bull';
import { ConsoleSessionReader } from '../session/console-auth.guard';
import { ConsoleSessionModule } from '../session/console-session.module';
import { SessionCookies } from '../session/session-cookies';
import { queueBoardGate } from './queue-board.middleware';

export const QUEUE_BOARD_ROUTE = '/console/queues';

/** Bull Board's Express router at /console/queues, gated by the console session. */
export const queueBoardModule = BullBoardModule.forRootAsync({
  imports: [ConsoleSessionModule],
  inject: [ConsoleSessionReader, SessionCookies],
  useFactory: (reader: ConsoleSessionReader, cookies: SessionCookies) => ({
    route: QUEUE_BOARD_ROUTE,
    adapter: ExpressAdapter,
    middleware: queueBoardGate(reader, cookies),
    boardOptions: { uiConfig: { boardTitle: 'Journeycast queues' } },
  }),
});

/**
 * Shows every Bull queue this process registered, whichever module owns it: queues are found among
 * the providers at bootstrap, so a new module's queue appears without a change here.
 */
@Injectable()
export class QueueBoardRegistrar implements OnApplicationBootstrap {
  private readonly logger = new Logger(QueueBoardRegistrar.name);

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(BULL_BOARD_INSTANCE) private readonly board: BullBoardInstance,
  ) {}

  onApplicationBootstrap(): void {
    const queues = new Map<string, Bull.Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Bull && !queues.has(instance.name)) queues.set(instance.name, instance);
    }
    for (const queue of queues.values()) this.board.addQueue(new BullAdapter(queue));
    this.logger.log(`queue board shows ${[...queues.keys()].sort().join(', ') || 'no queues'}`);
  }
}
