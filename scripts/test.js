#!/usr/bin/env node
'use strict';
// `npm test [-- <jest args>]`: install dependencies if needed, start (or reuse) the test services, run jest with
// TZ=UTC, NODE_ENV=test, TEST_MONGODB_BASE, TEST_MONGODB_OPTIONS and REDIS_URL, then stop the services this run
// started — also when jest fails or the run is interrupted. Exit code: jest's (128+n if it died of signal n),
// 1 when the services or jest could not start.
//   npm test -- --selectProjects unit
//   npm test -- test/auth.e2e-spec.ts -t 'refresh'

const os = require('node:os');
const { spawn } = require('node:child_process');
const { ensureDependencies, binPath } = require('./lib/deps');
const services = require('./lib/services');

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
  if (stopSignal) return signalExitCode(stopSignal);

  const svc = await services.up(PROFILE);
  try {
    if (stopSignal) return signalExitCode(stopSignal);
    const env = { ...process.env, TZ: 'UTC', NODE_ENV: 'test', ...svc.env };
    const result = await runJest(env);
    if (result.error) throw services.fail(`could not run jest: ${result.error.message}`);
    if (result.signal) {
      console.error(`[test] jest was stopped by ${result.signal}`);
      return signalExitCode(result.signal);
    }
    return result.code ?? 1;
  } finally {
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
