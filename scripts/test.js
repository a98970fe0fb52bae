#!/usr/bin/env node
'use strict';
// `npm test [-- <jest args>]`: install dependencies if needed, start (or reuse) the test services, run jest with
// TZ=UTC, NODE_ENV=test, TEST_MONGODB_BASE, TEST_MONGODB_OPTIONS and REDIS_URL (and TEST_S3_* with SeaweedFS when
// the storage specs run, see wantsS3), then stop the services this run
// started — also when jest fails or the run is interrupted. Exit code: jest's (128+n if it died of signal n),
// 1 when the services or jest could not start.
//   npm test -- --selectProjects unit
//   npm test -- test/auth.e2e-spec.ts -t 'refresh'

const os = require('node:os');
const { spawn } = require('node:child_process');
const { ensureDependencies, binPath } = require('./lib/deps');
const services = require('./lib/services');
const seaweedfs = require('../tools/seaweedfs/service');

const ROOT = services.ROOT;
const PROFILE = 'test';

let stopSignal = null;
let jest = null;

function onSignal(signal) {
  if (stopSignal) return;
  stopSignal = signal;
  // From a terminal jest got the SIGINT itself; a SIGTERM sent to this script alone (CI timeout) is passed on.
  if (jest && jest.exitCode === null && jest.signalCode === null) jest.kill('SIGTERM');
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

function signalExitCode(signal) {
  return 128 + (os.constants.signals[signal] || 0);
}

// jest options that take a value in the next argument (so that value is no test path pattern).
const VALUE_FLAGS = new Set([
  '-t',
  '--testNamePattern',
  '--selectProjects',
  '--config',
  '-c',
  '--maxWorkers',
  '-w',
  '--testTimeout',
  '--shard',
  '--reporters',
  '--testPathPattern',
  '--testPathIgnorePatterns',
  '--outputFile',
  '--seed',
]);

/**
 * Whether this run needs the S3 server (SeaweedFS, tools/seaweedfs/service.js): the storage specs
 * (test/storage*.e2e-spec.ts) are part of it — a run without test path patterns, or one whose patterns name them —
 * and TEST_S3_ENDPOINT does not already name an S3. TEST_S3=1 forces it, TEST_S3=0 leaves it out.
 */
function wantsS3(args) {
  if (process.env.TEST_S3_ENDPOINT || process.env.TEST_S3 === '0') return false;
  if (process.env.TEST_S3 === '1') return true;
  const patterns = [];
  let projects = null;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (flag === '--selectProjects') projects = inline !== undefined ? [inline] : args.slice(i + 1);
    if (!args[i].startsWith('-')) patterns.push(args[i]);
    else if (VALUE_FLAGS.has(args[i])) i++;
  }
  if (projects && !projects.includes('e2e')) return false;
  // Jest matches each pattern as a regular expression against the spec's path.
  const storageSpecs = ['test/storage.e2e-spec.ts', 'test/storage-migrate.e2e-spec.ts'].map(
    (f) => `${ROOT}/${f}`,
  );
  const matches = (pattern) => {
    try {
      const re = new RegExp(pattern, 'i');
      return storageSpecs.some((file) => re.test(file));
    } catch {
      return /storage/i.test(pattern);
    }
  };
  return patterns.length === 0 || patterns.some(matches);
}

function runJest(env) {
  const args = [binPath('jest', 'jest'), '--config', 'jest.config.js', ...process.argv.slice(2)];
  return new Promise((resolve) => {
    jest = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    jest.once('error', (error) => resolve({ error }));
    jest.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function main() {
  ensureDependencies();
  // the admin portal's own packages: its browser test drives Chromium with admin/node_modules/playwright-core
  ensureDependencies({ root: `${ROOT}/admin`, log: (line) => console.log(`[deps] admin: ${line}`) });
  if (stopSignal) return signalExitCode(stopSignal);

  const svc = await services.up(PROFILE);
  let s3 = null;
  try {
    if (stopSignal) return signalExitCode(stopSignal);
    if (wantsS3(process.argv.slice(2))) s3 = await seaweedfs.up(PROFILE);
    if (stopSignal) return signalExitCode(stopSignal);
    const env = { ...process.env, TZ: 'UTC', NODE_ENV: 'test', ...svc.env, ...(s3 ? s3.env : {}) };
    const result = await runJest(env);
    if (result.error) throw services.fail(`could not run jest: ${result.error.message}`);
    if (result.signal) {
      console.error(`[test] jest was stopped by ${result.signal}`);
      return signalExitCode(result.signal);
    }
    return result.code ?? 1;
  } finally {
    if (s3) await seaweedfs.down(PROFILE, { transientOnly: true });
    await services.down(PROFILE, { transientOnly: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err && err.expected) console.error(`[test] ${err.message}`);
    else console.error('[test] unexpected error:', err);
    process.exit(1);
  },
);
