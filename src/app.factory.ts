import { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppLogger } from './common/logging/app-logger';
import { Settings } from './config/settings';
import { AppModule } from './app.module';

/** Largest accepted request body (a batch of 1000 events fits comfortably). */
export const BODY_LIMIT = '1mb';

export function createLogger(settings: Settings): LoggerService {
  return new AppLogger({ json: settings.app.logFormat === 'json', level: settings.app.logLevel });
}

type BodyError = Error & { status?: number; type?: string };

/** Body-parser errors happen before Nest routing; answer them in the API's JSON shape, not HTML. */
function jsonBodyErrors(error: BodyError, _req: IncomingMessage, res: ServerResponse, next: (e?: unknown) => void) {
  if (!error.status || error.status < 400 || error.status >= 500 || res.headersSent) return next(error);
  const tooLarge = error.type === 'entity.too.large';
  const body = {
    statusCode: error.status,
    error: tooLarge ? 'Payload Too Large' : 'Bad Request',
    message: tooLarge
      ? `Request body exceeds ${BODY_LIMIT.replace('mb', ' MiB')}`
      : `Malformed request body: ${error.message}`,
  };
  res.writeHead(error.status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The HTTP application (API role, or all roles) with body limits, Swagger at /docs and JSON errors. */
export async function createApp(settings: Settings, logger: LoggerService | false = createLogger(settings)) {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
    bodyParser: false,
    logger,
  });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(jsonBodyErrors);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Journeycast')
      .setDescription('Journey-aware notification campaigns: ingest users and activity events.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: jc_...' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app as INestApplication;
}

/** A process without HTTP (worker or scheduler role). */
export function createContext(settings: Settings, logger: LoggerService | false = createLogger(settings)) {
  return NestFactory.createApplicationContext(AppModule.forRoot(settings), {
    logger,
  }) as Promise<INestApplicationContext>;
}
