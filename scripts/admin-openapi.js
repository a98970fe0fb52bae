#!/usr/bin/env node
'use strict';
// Writes the app's OpenAPI document to admin/openapi.json and the admin portal's API types to
// admin/src/api/schema.d.ts (openapi-typescript). No database or Redis is needed: Nest builds the module graph in
// preview mode (nothing is instantiated or connected) and Swagger reads the controllers' metadata from it.
//   node scripts/admin-openapi.js [--check]
//     --check   do not write; exit 1 when admin/src/api/schema.d.ts differs from what the API says now
// The document is built by the app's own createOpenApiDocument (src/common/http/openapi.ts), with the same global
// prefix and exclusions as src/bootstrap.ts.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const ADMIN = path.join(ROOT, 'admin');
const JSON_OUT = path.join(ADMIN, 'openapi.json');
const TYPES_OUT = path.join(ADMIN, 'src', 'api', 'schema.d.ts');
const check = process.argv.includes('--check');

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  let newest = stat.mtimeMs;
  if (stat.isDirectory())
    for (const name of fs.readdirSync(target))
      newest = Math.max(newest, newestMtime(path.join(target, name)));
  return newest;
}

/** The compiled app (dist/, from `nest build`) when it is newer than src/, else src/ through ts-node. */
function appSource() {
  const compiled = path.join(ROOT, 'dist', 'app.module.js');
  if (fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) {
    return path.join(ROOT, 'dist');
  }
  // Transpile-only: the type check is tsc's job; this only needs the decorators' metadata.
  require(require.resolve('ts-node', { paths: [ROOT] })).register({
    transpileOnly: true,
    project: path.join(ROOT, 'tsconfig.json'),
    compilerOptions: { module: 'commonjs' },
  });
  return path.join(ROOT, 'src');
}

async function openApiDocument() {
  const source = appSource();
  const { NestFactory } = require(require.resolve('@nestjs/core', { paths: [ROOT] }));
  const { loadConfig } = require(path.join(source, 'config/app-config'));
  const { AppModule } = require(path.join(source, 'app.module'));
  const { API_PREFIX } = require(path.join(source, 'common/http/api'));
  const { createOpenApiDocument, OUTSIDE_API_PREFIX } = require(path.join(source, 'common/http/openapi'));

  // Placeholder values: nothing connects in preview mode, but the typed config must parse.
  const config = loadConfig({
    NODE_ENV: 'development',
    APP_ROLE: 'api',
    LOG_LEVEL: 'silent',
    MONGODB_URI: 'mongodb://127.0.0.1:1/openapi',
    REDIS_URL: 'redis://127.0.0.1:1',
    JWT_SECRET: 'openapi-document-only-'.padEnd(48, 'x'),
    ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')}`,
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_API_PREFIX });
  return createOpenApiDocument(app);
}

function generateTypes(jsonFile, outFile) {
  const bin = path.join(ADMIN, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  if (!fs.existsSync(bin)) {
    console.error('[admin-openapi] admin/node_modules is missing: run `npm ci --prefix admin` first');
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [bin, jsonFile, '--output', outFile], {
    stdio: 'pipe',
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    process.exit(r.status ?? 1);
  }
}

async function main() {
  const document = await openApiDocument();
  const json = `${JSON.stringify(document, null, 2)}\n`;
  if (check) {
    const tmp = path.join(require('node:os').tmpdir(), `ww-openapi-${crypto.randomBytes(4).toString('hex')}`);
    fs.mkdirSync(tmp);
    fs.writeFileSync(path.join(tmp, 'openapi.json'), json);
    generateTypes(path.join(tmp, 'openapi.json'), path.join(tmp, 'schema.d.ts'));
    const fresh = fs.readFileSync(path.join(tmp, 'schema.d.ts'), 'utf8');
    fs.rmSync(tmp, { recursive: true, force: true });
    const current = fs.existsSync(TYPES_OUT) ? fs.readFileSync(TYPES_OUT, 'utf8') : '';
    if (fresh !== current) {
      console.error(
        '[admin-openapi] admin/src/api/schema.d.ts is stale: run `node scripts/admin-openapi.js`',
      );
      process.exit(1);
    }
    console.log('[admin-openapi] admin/src/api/schema.d.ts matches the API');
    return;
  }
  fs.writeFileSync(JSON_OUT, json);
  generateTypes(JSON_OUT, TYPES_OUT);
  const paths = Object.keys(document.paths).length;
  console.log(`[admin-openapi] ${paths} paths → admin/openapi.json, admin/src/api/schema.d.ts`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('[admin-openapi] could not build the OpenAPI document:', err);
    process.exit(1);
  },
);
