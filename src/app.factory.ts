import { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { withSharedResponses } from './common/http/api-docs';
import { refuseUndecodablePaths } from './common/http/undecodable-path';
import { TRACKING_ROUTES } from './modules/tracking/domain/tracking-urls';
import { AppLogger } from './common/logging/app-logger';
import { Settings } from './config/settings';
import { AppModule } from './app.module';

export function createLogger(settings: Settings): LoggerService {
  return new AppLogger({ json: settings.app.logFormat === 'json', level: settings.app.logLevel });
}

/**
 * The HTTP application (API role, or all roles) with Swagger at /docs. Bodies are read by
 * JsonBodyInterceptor after authentication, so Nest's body parser stays off.
 */
export async function createApp(settings: Settings, logger: LoggerService | false = createLogger(settings)) {
  const app = await createOpsApp(settings, logger);
  const document = withSharedResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Journeycast')
        .setDescription('Journey-aware notification campaigns: ingest users and activity events.')
        .setVersion('0.1.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: jc_...' })
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}

/** A process without HTTP (worker or scheduler role). */
export function createContext(settings: Settings, logger: LoggerService | false = createLogger(settings)) {
  return NestFactory.createApplicationContext(AppModule.forRoot(settings), {
    logger,
  }) as Promise<INestApplicationContext>;
}

/** An HTTP app without docs: for a worker or scheduler process it serves only /health and /metrics (OPS_PORT). */
export async function createOpsApp(
  settings: Settings,
  logger: LoggerService | false = createLogger(settings),
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
    bodyParser: false,
    logger,
  });
  app.disable('x-powered-by');
  app.use(refuseUndecodablePaths(() => routePaths(app), TRACKING_LINK_PREFIXES));
  return app;
}

/** The tracking links in sent messages: their last part is a signed token, answered as such whatever it is. */
const TRACKING_LINK_PREFIXES = Object.values(TRACKING_ROUTES).map((route) => `/${route}/`);

/** The paths of the routes Express serves, such as `/v1/users/:userId`. */
function routePaths(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path?: unknown } }> } };
  return express.router.stack.flatMap(({ route }) => (typeof route?.path === 'string' ? [route.path] : []));
}
