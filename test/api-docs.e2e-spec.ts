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
