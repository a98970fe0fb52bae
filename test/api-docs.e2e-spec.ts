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

/** The examples the OpenAPI document shows for the household modules are real requests: each one is accepted. */
describe('OpenAPI examples', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('every create route of the household modules has an example, and posting it answers 201', async () => {
    t = await startTestApp();
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
