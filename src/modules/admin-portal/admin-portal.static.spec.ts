import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_PORTAL_CSP, adminPortalRouter } from './admin-portal.static';

describe('adminPortalRouter', () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'ww-admin-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1);');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  const app = (dir: string) => express().use('/admin', adminPortalRouter(dir));

  it('answers index.html for the app and its routes, never cached, with the strict CSP', async () => {
    for (const path of ['/admin', '/admin/', '/admin/accounts/A000003', '/admin/audit?organizationId=x']) {
      const res = await request(app(dist)).get(path).expect(200);
      expect(res.text).toContain('<div id="app">');
      expect(res.headers['content-security-policy']).toBe(ADMIN_PORTAL_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    expect(ADMIN_PORTAL_CSP).toContain("default-src 'none'");
    expect(ADMIN_PORTAL_CSP).not.toMatch(/unsafe-|\*/);
  });

  it('serves hashed assets for a year; a missing file is a 404 in the error shape, not the app', async () => {
    const js = await request(app(dist)).get('/admin/assets/index-abc.js').expect(200);
    expect(js.headers['cache-control']).toContain('immutable');
    for (const path of ['/admin/assets/gone.js', '/admin/favicon.ico', '/admin/assets/x']) {
      const res = await request(app(dist)).get(path).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
  });

  it('refuses other methods (405) and says how to build when there is no build (503)', async () => {
    const post = await request(app(dist)).post('/admin/accounts').expect(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const missing = await request(app(join(dist, 'nothing')))
      .get('/admin')
      .expect(503);
    expect(missing.body).toMatchObject({ code: 'ADMIN_PORTAL_NOT_BUILT' });
    expect(missing.headers['content-security-policy']).toBe(ADMIN_PORTAL_CSP);
  });
});
