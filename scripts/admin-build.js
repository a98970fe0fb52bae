#!/usr/bin/env node
'use strict';
// Builds the admin portal (admin/, a Vite + Preact app) into admin/dist, which the API serves at /admin:
//   1. installs admin/node_modules with `npm ci` when missing or older than admin/package-lock.json
//   2. writes the API types from the app's OpenAPI document (scripts/admin-openapi.js)
//   3. type-checks the portal against them (tsc --noEmit: an API change that breaks a page fails here)
//   4. bundles it (vite build)
//   node scripts/admin-build.js [--if-stale]
//     --if-stale   only when admin/dist is missing or older than its inputs (admin sources or the API's src/)
// Used by `npm run build` and by `npm start` (scripts/start.js) through buildAdminIfStale().

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureDependencies } = require('./lib/deps');

const ROOT = path.resolve(__dirname, '..');
const ADMIN = path.join(ROOT, 'admin');
const INDEX = path.join(ADMIN, 'dist', 'index.html');
// What the bundle is made of: the portal's own files and the API whose OpenAPI document types it.
const INPUTS = [
  'admin/src',
  'admin/index.html',
  'admin/vite.config.ts',
  'admin/tsconfig.json',
  'admin/package-lock.json',
  'src',
];

function log(line) {
  console.log(`[admin] ${line}`);
}

function fail(message) {
  const err = new Error(message);
  err.expected = true;
  return err;
}

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  let newest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(target)) {
      // the generated types are an output of this build, not an input
      if (name === 'schema.d.ts') continue;
      newest = Math.max(newest, newestMtime(path.join(target, name)));
    }
  }
  return newest;
}

/** Why the portal needs a build, or null when admin/dist is newer than everything it is made of. */
function adminBuildReason() {
  if (!fs.existsSync(INDEX)) return 'admin/dist is missing';
  const built = fs.statSync(INDEX).mtimeMs;
  const changed = INPUTS.find((input) => newestMtime(path.join(ROOT, input)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

function run(label, args, cwd) {
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (r.error) throw fail(`${label}: ${r.error.message}`);
  if (r.status !== 0) throw fail(`${label} failed (${r.signal || `exit ${r.status}`}); see the output above`);
}

function buildAdmin() {
  ensureDependencies({ root: ADMIN, log: (line) => log(line) });
  log('writing the API types from the OpenAPI document');
  run('the OpenAPI types', [path.join(__dirname, 'admin-openapi.js')], ROOT);
  log('type-checking the portal against the API');
  run(
    'tsc',
    [path.join(ADMIN, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
    ADMIN,
  );
  log('bundling');
  run(
    'vite build',
    [path.join(ADMIN, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    ADMIN,
  );
  // vite keeps file times of copied files; mark the build time explicitly for the staleness check
  const now = new Date();
  fs.utimesSync(INDEX, now, now);
  log('built admin/dist (served at /admin)');
}

/** Builds when stale; returns the reason it built, or null. */
function buildAdminIfStale() {
  const reason = adminBuildReason();
  if (!reason) return null;
  log(`building (${reason})`);
  buildAdmin();
  return reason;
}

module.exports = { adminBuildReason, buildAdmin, buildAdminIfStale };

if (require.main === module) {
  try {
    if (process.argv.includes('--if-stale')) {
      if (!buildAdminIfStale()) log('admin/dist is up to date');
    } else {
      buildAdmin();
    }
  } catch (err) {
    console.error(`[admin] ${err && err.expected ? err.message : err}`);
    process.exit(1);
  }
}
