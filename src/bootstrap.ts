import { type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ClsMiddleware } from 'nestjs-cls';
import { API_PREFIX, type RawBodyRequest } from './common/http/api';
import { bodyParserErrorMiddleware, requestIdMiddleware } from './common/http/http.middleware';
import { createOpenApiDocument, OUTSIDE_API_PREFIX } from './common/http/openapi';
import { clsSetup } from './common/context/request-context';
import { hasApi, type AppConfig } from './config/app-config';

/** Builds the HTTP application exactly as production runs it (used by main.ts and by every e2e test). */
export async function createHttpApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  app.use(requestIdMiddleware);
  // The raw bytes are kept for signature checks of incoming webhooks (Stripe-Signature is over the exact body).
  app.use(
    express.json({
      limit: config.http.bodyLimit,
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).rawBody = buf;
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: config.http.bodyLimit }));
  app.use(bodyParserErrorMiddleware);
  app.use(new ClsMiddleware({ setup: clsSetup }).use);
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_API_PREFIX });
  if (config.http.docsEnabled) setupDocs(app);
  return app;
}

function setupDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/** The worker role has no HTTP server: only the queue processors and schedulers. */
export async function createApp(config: AppConfig): Promise<INestApplicationContext> {
  if (hasApi(config.role)) return createHttpApp(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}
