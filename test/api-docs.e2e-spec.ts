import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { activatePro } from './helpers/billing';
import { createAdmin, createUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/** Swagger UI and the OpenAPI JSON: on by default, off by default in production (DOCS_ENABLED overrides). */
describe('API docs switch', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  it('NODE_ENV=production serves no /docs and no /docs-json unless DOCS_ENABLED=true', async () => {
    const [prod, prodWithDocs] = await Promise.all([
      startTestApp({ NODE_ENV: 'production' }),
      startTestApp({ NODE_ENV: 'production', DOCS_ENABLED: 'true' }),
    ]);
    apps.push(prod, prodWithDocs);
    expect(prod.config.http.docsEnabled).toBe(false);
    await prod.http.get('/docs').expect(404);
    await prod.http.get('/docs-json').expect(404);
    await prod.http.get('/health').expect(200);

    const doc = await prodWithDocs.http.get('/docs-json').expect(200);
    expect(doc.body).toMatchObject({ openapi: expect.any(String) });
    const ui = await prodWithDocs.http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });
});

/** Where @nestjs/swagger keeps a handler's @Api…Response decorators (DECORATORS.API_RESPONSE, not exported). */
const SWAGGER_RESPONSES = 'swagger/apiResponse';

/** One app for the document's checks below. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The examples the OpenAPI document shows for the household modules are real requests: each one is accepted. */
describe('OpenAPI examples', () => {
  it('every create route of the household modules has an example, and posting it answers 201', async () => {
    const user = await createUser(t);
    await activatePro(t, user.organizationId);
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>
      >;
      components: { schemas: Record<string, { example?: object }> };
    };
    const exampleOf = (path: string) => {
      const ref = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema.$ref ?? '';
      return doc.components.schemas[ref.split('/').pop() ?? '']?.example;
    };
    const car = exampleOf('/api/v1/cars');
    expect(car).toBeDefined();
    const carId = (await t.http.post('/api/v1/cars').set(user.auth).send(car).expect(201)).body.id as string;
    for (const path of [
      '/api/v1/contracts',
      '/api/v1/warranties',
      '/api/v1/insurance',
      '/api/v1/maintenance',
      '/api/v1/webhooks/endpoints',
    ]) {
      const example = exampleOf(path);
      expect({ path, example: !!example }).toEqual({ path, example: true });
      const res = await t.http.post(path).set(user.auth).send(example);
      expect({ path, status: res.status, body: res.status === 201 ? null : res.body }).toEqual({
        path,
        status: 201,
        body: null,
      });
    }
    const event = exampleOf('/api/v1/cars/{id}/events');
    expect(event).toBeDefined();
    await t.http.post(`/api/v1/cars/${carId}/events`).set(user.auth).send(event).expect(201);
    // notifications: the settings example (PUT) and the admin mass mail's (POST, a platform admin)
    const settingsRef =
      (
        doc.paths['/api/v1/me/notification-settings'] as Record<
          string,
          { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }
        >
      )?.put?.requestBody?.content['application/json']?.schema.$ref ?? '';
    const settings = doc.components.schemas[settingsRef.split('/').pop() ?? '']?.example;
    expect(settings).toBeDefined();
    await t.http.put('/api/v1/me/notification-settings').set(user.auth).send(settings).expect(200);
    const massMail = exampleOf('/api/v1/admin/mail');
    expect(massMail).toBeDefined();
    const admin = await createAdmin(t);
    await t.http.post('/api/v1/admin/mail').set(admin.auth).send(massMail).expect(201);
    // reports: asking for a report answers 202 (a job makes the file); the monthly mail setting is a PUT
    const report = exampleOf('/api/v1/reports');
    expect(report).toBeDefined();
    await t.http.post('/api/v1/reports').set(user.auth).send(report).expect(202);
    const monthlyRef =
      (
        doc.paths['/api/v1/reports/monthly-mail'] as Record<
          string,
          { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }
        >
      )?.put?.requestBody?.content['application/json']?.schema.$ref ?? '';
    const monthly = doc.components.schemas[monthlyRef.split('/').pop() ?? '']?.example;
    expect(monthly).toBeDefined();
    await t.http.put('/api/v1/reports/monthly-mail').set(user.auth).send(monthly).expect(200);
  });
});

type Json = Record<string, unknown>;
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Json }>; $ref?: string }>;
  'x-always-refused'?: string;
}

/** Every place in a document where `type` is a list (OpenAPI 3.0 has none: nestjs-zod #473's leftover). */
function typeLists(node: unknown, path = '#'): string[] {
  if (!node || typeof node !== 'object') return [];
  const here = Array.isArray((node as Json).type) ? [path] : [];
  return here.concat(
    ...Object.entries(node as Json).map(([key, value]) => typeLists(value, `${path}/${key}`)),
  );
}

/**
 * The document is the API's contract (the admin portal's client is generated from it): every operation says what
 * it answers on success, and nullable fields are nullable scalars, never arrays (src/common/http/zod-dto.ts).
 */
describe('OpenAPI response schemas', () => {
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Json> };
  };
  beforeAll(async () => {
    doc = (await t.http.get('/docs-json').expect(200)).body as typeof doc;
  });

  it('every operation has a success (2xx) or redirect (3xx) response, each 2xx with a schema or a declared content', () => {
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const name = `${method.toUpperCase()} ${path}`;
        const responses = operation.responses ?? {};
        const success = Object.keys(responses).filter((status) => /^[23]\d\d$/.test(status));
        if (operation['x-always-refused']) {
          // routes that exist only to refuse (vouchers: BFL) declare their refusal instead
          if (success.length || !Object.keys(responses).some((s) => s.startsWith('4')))
            problems.push(`${name}: x-always-refused needs only 4xx responses`);
          continue;
        }
        if (!success.length) problems.push(`${name}: no 2xx/3xx response`);
        for (const status of success) {
          const content = responses[status].content;
          if (status === '204' || status.startsWith('3')) {
            if (content) problems.push(`${name}: ${status} must have no body`);
          } else if (!content || !Object.values(content).every((c) => c.schema)) {
            problems.push(`${name}: ${status} has no schema`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the success status each route declares is the one Nest sends (@HttpCode, else 201 for POST and 200)', () => {
    const wrong: string[] = [];
    for (const module of t.app.get(ModulesContainer).values())
      for (const controller of module.controllers.values()) {
        const prototype = (controller.metatype as { prototype: Record<string, unknown> }).prototype;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (typeof handler !== 'function') continue;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (method === undefined) continue;
          const declared = Object.keys(
            (Reflect.getMetadata(SWAGGER_RESPONSES, handler) as object | undefined) ?? {},
          ).map(Number);
          if (!declared.some((status) => status < 400)) continue; // x-always-refused (checked above)
          const sent =
            (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
            (method === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK);
          if (!declared.includes(sent))
            wrong.push(`${controller.name}.${name}: sends ${sent}, declares ${declared.join(', ')}`);
        }
      }
    expect(wrong).toEqual([]);
  });

  it('error responses refer to the one ErrorResponse schema (or declare their own body)', () => {
    expect(doc.components.schemas.ErrorResponse).toMatchObject({
      required: ['statusCode', 'code', 'message'],
    });
    const bare: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations))
        for (const [status, response] of Object.entries(operation.responses ?? {}))
          if (/^[45]/.test(status) && !response.content)
            bare.push(`${method.toUpperCase()} ${path} ${status}`);
    expect(bare).toEqual([]);
    const notFound = doc.paths['/api/v1/cars/{id}'].get.responses?.['404'];
    expect(notFound?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ErrorResponse',
    });
  });

  it('no schema has a type list, and no nullable field reached Swagger as one (published as an array)', () => {
    expect(typeLists(doc)).toEqual([]);
    // Before nestjs-zod's cleanup a top-level field still carries its marker: a field without a single type that
    // Swagger turned into an array is a type list it misread (a real array has type "array" from zod itself).
    const raw = SwaggerModule.createDocument(t.app, {
      openapi: '3.0.0',
      info: { title: 'raw', version: '1' },
    });
    const misread: string[] = [];
    for (const [name, schema] of Object.entries(raw.components?.schemas ?? {}))
      for (const [field, property] of Object.entries(
        (schema as { properties?: Record<string, Json> }).properties ?? {},
      ))
        if (property['x-nestjs_zod-empty-type'] && property.type === 'array')
          misread.push(`${name}.${field}`);
    expect(misread).toEqual([]);
    // the fields that used to be arrays are nullable strings now
    expect(doc.components.schemas.TrashPageResponseDto).toMatchObject({
      properties: { nextCursor: { type: 'string', nullable: true } },
    });
  });
});
