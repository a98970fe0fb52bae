#!/usr/bin/env node
'use strict';
// `npm start`: install dependencies if needed, start (or reuse) the dev services, build when src/ changed, run
// the app with MONGODB_URI / REDIS_URL / dev secrets. Ctrl+C (SIGINT) or SIGTERM stops the app gracefully,
// then the services this run started.
//   node scripts/start.js [--build] [--watch] [args for dist/main.js]
//     --build   build even if dist/ looks up to date
//     --watch   `nest start --watch` instead of `node dist/main.js` (rebuilds and restarts on change)
// Exit code: the app's (0 after a requested stop that the app handled), 1 when something could not start.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { ensureDependencies, binPath } = require('./lib/deps');
const services = require('./lib/services');
const { buildAdminIfStale } = require('./admin-build');

const ROOT = services.ROOT;
const PROFILE = 'dev';
const SECRETS_FILE = path.join(services.LOCAL, PROFILE, 'secrets.json');
const STOP_GRACE_MS = 30_000;

const argv = process.argv.slice(2);
const forceBuild = argv.includes('--build');
const watch = argv.includes('--watch');
const passArgs = argv.filter((a) => a !== '--build' && a !== '--watch');

function log(line) {
  console.log(`[start] ${line}`);
}

function fail(message) {
  return services.fail(message);
}

// ---------------------------------------------------------------------------------------------------------------
// signals

let stopSignal = null; // set once a stop was requested
let stopAt = 0;
let current = null; // { child, group } the build or the app
let killTimer = null;

function onSignal(signal) {
  if (!stopSignal) {
    stopSignal = signal;
    stopAt = Date.now();
    if (current) {
      const target = current;
      log(`${signal}: stopping ${target.name} (a second Ctrl+C after 2 s kills it)`);
      services.sendSignal(target.child.pid, 'SIGTERM', target.group);
      killTimer = setTimeout(() => {
        log(`${target.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
        services.sendSignal(target.child.pid, 'SIGKILL', target.group);
      }, STOP_GRACE_MS);
      killTimer.unref();
    } else {
      log(`${signal}: stopping`);
    }
    return;
  }
  // npm forwards the terminal's SIGINT too, so one Ctrl+C can arrive twice: only a later one forces.
  if (current && Date.now() - stopAt > 2000) {
    log(`${signal} again: killing ${current.name}`);
    services.sendSignal(current.child.pid, 'SIGKILL', current.group);
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

function signalExitCode(signal) {
  return 128 + (os.constants.signals[signal] || 0);
}

/** Run a child to completion; it is the thing a stop request is forwarded to meanwhile. */
function runChild(name, cmd, args, options, group) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, options);
    current = { name, child, group };
    child.once('error', (error) => {
      current = null;
      resolve({ error });
    });
    child.once('exit', (code, signal) => {
      current = null;
      resolve({ code, signal, pid: child.pid });
    });
  });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// secrets and build

function devSecrets() {
  const missing = ['JWT_SECRET', 'ENCRYPTION_KEYS'].filter((k) => !process.env[k]);
  if (missing.length === 0) return {};
  let stored = {};
  if (fs.existsSync(SECRETS_FILE)) {
    try {
      stored = JSON.parse(fs.readFileSync(SECRETS_FILE, 'utf8'));
    } catch {
      throw fail(
        `${path.relative(ROOT, SECRETS_FILE)} is not valid JSON; fix it, or delete it to get new secrets ` +
          '(dev data encrypted with the old key becomes unreadable)',
      );
    }
  }
  let created = false;
  if (!stored.JWT_SECRET) {
    stored.JWT_SECRET = crypto.randomBytes(48).toString('base64url');
    created = true;
  }
  if (!stored.ENCRYPTION_KEYS) {
    stored.ENCRYPTION_KEYS = `k1:${crypto.randomBytes(32).toString('base64')}`;
    created = true;
  }
  if (created) {
    fs.mkdirSync(path.dirname(SECRETS_FILE), { recursive: true });
    fs.writeFileSync(SECRETS_FILE, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    log(`wrote dev secrets to ${path.relative(ROOT, SECRETS_FILE)}`);
  }
  return Object.fromEntries(missing.map((k) => [k, stored[k]]));
}

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  let newest = stat.mtimeMs; // a directory's mtime changes when a file in it is added, renamed or deleted
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(target))
      newest = Math.max(newest, newestMtime(path.join(target, name)));
  }
  return newest;
}

function buildReason() {
  if (!fs.existsSync(path.join(ROOT, 'src'))) throw fail('src/ does not exist yet; there is no app to start');
  if (forceBuild) return '--build';
  const main = path.join(ROOT, 'dist', 'main.js');
  if (!fs.existsSync(main)) return 'dist/main.js is missing';
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'].map((f) =>
    path.join(ROOT, f),
  );
  const newest = Math.max(...inputs.map(newestMtime));
  return newest > fs.statSync(main).mtimeMs ? 'src/ changed since the last build' : null;
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  ensureDependencies();
  if (stopSignal) return signalExitCode(stopSignal);

  const svc = await services.up(PROFILE);
  try {
    return await runApp(svc);
  } finally {
    await services.down(PROFILE, { transientOnly: true });
  }
}

async function runApp(svc) {
  if (stopSignal) return signalExitCode(stopSignal);
  const secrets = devSecrets();
  const env = {
    ...process.env,
    ...svc.env,
    ...secrets,
    NODE_ENV: process.env.NODE_ENV || 'development',
  };

  let cmdArgs;
  if (watch) {
    if (!fs.existsSync(path.join(ROOT, 'src')))
      throw fail('src/ does not exist yet; there is no app to start');
    cmdArgs = [binPath('@nestjs/cli', 'nest'), 'start', '--watch', ...passArgs];
  } else {
    const reason = buildReason();
    if (reason) {
      log(`building (${reason})`);
      const b = await runChild(
        'the build',
        process.execPath,
        [binPath('@nestjs/cli', 'nest'), 'build'],
        { cwd: ROOT, stdio: 'inherit' },
        false,
      );
      if (stopSignal) return signalExitCode(stopSignal);
      if (b.error) throw fail(`could not run nest build: ${b.error.message}`);
      if (b.code !== 0)
        throw fail(`build failed (${b.signal || `exit ${b.code}`}); see the compiler output above`);
    }
    // the admin portal (admin/dist, served at /admin): built when missing or older than admin/ or src/
    buildAdminIfStale();
    cmdArgs = [path.join('dist', 'main.js'), ...passArgs];
  }
  if (stopSignal) return signalExitCode(stopSignal);

  // Own process group: a Ctrl+C in the terminal reaches only this script, which sends the app exactly one
  // SIGTERM (Nest's shutdown hooks would treat a second signal as "die now").
  const result = await runChild(
    'the app',
    process.execPath,
    cmdArgs,
    { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true },
    true,
  );
  if (result.error) throw fail(`could not start the app: ${result.error.message}`);
  // With --watch the app is a grandchild in the same group: let it finish its shutdown too.
  const deadline = Date.now() + 10_000;
  while (groupAlive(result.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(result.pid)) services.sendSignal(result.pid, 'SIGKILL', true);
  if (killTimer) clearTimeout(killTimer);

  const { code, signal } = result;
  if (stopSignal && (code === 0 || signal === 'SIGTERM' || signal === 'SIGINT')) return 0;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  if (!stopSignal || code !== 0) log(`the app ${how}`);
  return signal ? signalExitCode(signal) : (code ?? 1);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err && err.expected) console.error(`[start] ${err.message}`);
    else console.error('[start] unexpected error:', err);
    process.exit(1);
  },
);
