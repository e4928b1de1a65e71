import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createApp, createContext, createLogger, createOpsApp } from './app.factory';
import { sendsMessages, servesHttp, servesOps } from './app.roles';
import { provisionServers } from './common/infrastructure/provision';
import { installGracefulShutdown } from './common/lifecycle/graceful-shutdown';
import { loadConfig, processEnvironment } from './config';
import { readPushCredentials } from './config/push-credentials';

async function main(): Promise<void> {
  const settings = loadConfig(processEnvironment());
  // Read here, before anything starts, so that a missing or broken key file stops the process with one line.
  if (sendsMessages(settings.app.role)) readPushCredentials(settings.delivery);
  const logger = createLogger(settings);
  Logger.overrideLogger(logger);
  const servers = await provisionServers(settings);
  const { role, host, port, opsPort } = servers.settings.app;
  if (servesHttp(role)) {
    const app = await createApp(servers.settings, logger);
    installGracefulShutdown(app, servers, settings.app.shutdownTimeoutMs);
    await app.listen(port, host);
    const { port: bound } = app.getHttpServer().address() as AddressInfo;
    new Logger('Main').log(`Journeycast (${role}) listening on http://${host}:${bound} - API docs at /docs`);
  } else if (servesOps(servers.settings.app)) {
    const app = await createOpsApp(servers.settings, logger);
    installGracefulShutdown(app, servers, settings.app.shutdownTimeoutMs);
    await app.listen(opsPort, host);
    new Logger('Main').log(
      `Journeycast (${role}) started; /health and /metrics listening on http://${host}:${opsPort}`,
    );
  } else {
    const app = await createContext(servers.settings, logger);
    installGracefulShutdown(app, servers, settings.app.shutdownTimeoutMs);
    await app.init();
    new Logger('Main').log(`Journeycast (${role}) started`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
