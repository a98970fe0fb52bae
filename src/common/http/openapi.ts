import { RequestMethod, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';
import type { ErrorBody } from '../errors/all-exceptions.filter';
import { openApi30Types } from './zod-dto';

/** Routes served outside the API prefix (`/api/v1`): the health checks and Prometheus' `/metrics`. */
export const OUTSIDE_API_PREFIX = [
  { path: 'health', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  // Prometheus scrapes /metrics (docs/system.md), guarded by METRICS_TOKEN
  { path: 'metrics', method: RequestMethod.GET },
];

/** The one error body of the API (`AllExceptionsFilter`), published once as `ErrorResponse`. */
export const errorResponseSchema = z
  .object({
    statusCode: z.number().int().describe('The HTTP status, repeated'),
    code: z.string().describe('Stable machine-readable code, e.g. NOT_FOUND, VALIDATION_FAILED'),
    message: z.string().describe('What went wrong, for people'),
    details: z.unknown().optional().describe('More about it: the fields at fault, the record type…'),
    requestId: z.string().optional().describe('The X-Request-Id of the request, for support'),
  })
  .meta({
    example: {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Not found',
      details: { type: 'contract' },
      requestId: 'c0a8012e-6b1f-4c3e-9d53-0f7a1e2b3c4d',
    },
  }) satisfies z.ZodType<ErrorBody>;

export const ERROR_RESPONSE_SCHEMA = 'ErrorResponse';

/** The OpenAPI document the app serves at /docs-json (and `npm run admin:api` turns into the portal's types). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('WestWallet API')
      .setDescription(
        'Money and paperwork for Swedish households, families, associations and small companies. ' +
          `Errors always have the shape {statusCode, code, message, details?, requestId} (\`${ERROR_RESPONSE_SCHEMA}\`).`,
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  return finishOpenApiDocument(document);
}

/**
 * nestjs-zod's cleanup, then the house rules: every error response (4xx/5xx) without a body of its own refers to
 * the one `ErrorResponse` schema, and no type list is left anywhere (OpenAPI 3.0 has none; see zod-dto.ts).
 */
export function finishOpenApiDocument(raw: OpenAPIObject): OpenAPIObject {
  const document = openApi30Types(cleanupOpenApiDoc(raw));
  const errorSchema = openApi30Types(z.toJSONSchema(errorResponseSchema, { target: 'openapi-3.0' }));
  delete (errorSchema as { $schema?: string }).$schema;
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [ERROR_RESPONSE_SCHEMA]: errorSchema as object },
  };
  const ref = { $ref: `#/components/schemas/${ERROR_RESPONSE_SCHEMA}` };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, unknown>)) {
      const responses = (operation as { responses?: Record<string, { content?: unknown }> }).responses;
      if (!responses || typeof responses !== 'object') continue;
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]\d\d$/.test(status) || response.content) continue;
        response.content = { 'application/json': { schema: ref } };
      }
    }
  }
  return document;
}
