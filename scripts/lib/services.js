'use strict';
// Local backing services for development (`npm start`) and tests (`npm test`):
//   - a MongoDB-compatible server, unless MONGODB_URI is set: `mongod` when one is on PATH, else FerretDB 1.24
//     (built from tools/ferretdb with Go, SQLite backend, data under .local/<profile>/ferretdb/);
//   - Redis, unless REDIS_URL is set: the one answering on 127.0.0.1:6379, else a redis-server of our own.
// Everything this module starts runs detached, is recorded in a pid file under .local/<profile>/ and is stopped
// only by down(). State for humans and other scripts: .local/<profile>/services.json.
// POSIX only (Linux, macOS); Node built-ins only.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const { spawn, spawnSync } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');

const ROOT = path.resolve(__dirname, '..', '..');
// WESTWALLET_LOCAL_DIR: another state folder (tests of this module use a temporary one).
const LOCAL = process.env.WESTWALLET_LOCAL_DIR
  ? path.resolve(process.env.WESTWALLET_LOCAL_DIR)
  : path.join(ROOT, '.local');
const FERRET_SRC = path.join(ROOT, 'tools', 'ferretdb');

const PROFILES = {
  dev: { mongoPort: 27017, redisPort: 6390 },
  test: { mongoPort: 27018, redisPort: 6391 },
};
const DB_NAME = 'westwallet';
const MONGO_OPTIONS = 'directConnection=true&retryWrites=false';
const SHARED_REDIS_PORT = 6379;
const MONGO_START_TIMEOUT_MS = 30_000;
const REDIS_START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/** An error whose message is the whole story: CLIs print it without a stack trace. */
function fail(message) {
  const err = new Error(message);
  err.expected = true;
  return err;
}

function defaultLog(line) {
  console.log(`[services] ${line}`);
}

function rel(p) {
  const r = path.relative(ROOT, p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}

function checkProfile(profile) {
  if (!Object.prototype.hasOwnProperty.call(PROFILES, profile)) {
    throw fail(`unknown profile "${profile}" (use dev or test)`);
  }
}

function paths(profile) {
  const dir = path.join(LOCAL, profile);
  return {
    dir,
    state: path.join(dir, 'services.json'),
    leases: path.join(dir, 'leases'),
    ferretPid: path.join(dir, 'ferretdb.pid'),
    ferretLog: path.join(dir, 'ferretdb.log'),
    ferretData: path.join(dir, 'ferretdb'),
    mongodPid: path.join(dir, 'mongod.pid'),
    mongodLog: path.join(dir, 'mongod.log'),
    mongodData: path.join(dir, 'mongo'),
    redisPid: path.join(dir, 'redis.pid'),
    redisLog: path.join(dir, 'redis.log'),
    redisDir: path.join(dir, 'redis'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// small helpers

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function removeFile(file) {
  fs.rmSync(file, { force: true });
}

function tailOf(text, lines) {
  return text.split('\n').filter(Boolean).slice(-lines).join('\n');
}

function logTail(file, lines = 15) {
  try {
    const text = tailOf(fs.readFileSync(file, 'utf8'), lines);
    return text ? `\n${text.replace(/^/gm, '    ')}` : '';
  } catch {
    return '';
  }
}

/** Hide the password of a URI before printing it. */
function redact(uri) {
  return String(uri).replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

// ---------------------------------------------------------------------------------------------------------------
// processes

function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  // A zombie (exited, not yet reaped) still "exists" for kill(0).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    // no /proc (macOS) or already gone
  }
  return true;
}

/** The command line of a process, '' if unknown, null if the process is gone. */
function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    if (process.platform === 'linux') return isAlive(pid) ? '' : null;
  }
  const r = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  if (r.error) return '';
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The live process recorded in pidFile, if it still looks like ours (guards against pid reuse). */
function ownedProcess(pidFile, marker) {
  const pid = readPid(pidFile);
  if (!pid || !isAlive(pid)) return null;
  const cmd = commandLine(pid);
  if (cmd === null) return null;
  if (cmd !== '' && !cmd.includes(marker)) return null;
  return { pid, cmd };
}

function sendSignal(pid, signal, group) {
  if (group) {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      // not a group leader (or gone): fall back to the process itself
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/** SIGTERM, wait up to 10 s, then SIGKILL. Returns 'stopped' or 'killed'. */
async function stopProcess(pid, { group, label, log }) {
  sendSignal(pid, 'SIGTERM', group);
  if (await waitForExit(pid, STOP_TIMEOUT_MS)) return 'stopped';
  log(`${label} (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
  sendSignal(pid, 'SIGKILL', group);
  await waitForExit(pid, 3000);
  return 'killed';
}

/** Start a long-running program in its own process group, output to logFile. */
function startDetached(bin, args, { logFile, cwd, env }) {
  const fd = fs.openSync(logFile, 'w');
  let exit = null;
  let child;
  try {
    child = spawn(bin, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  child.on('error', (error) => {
    exit = { error };
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
  });
  child.unref();
  return { child, pid: child.pid, exited: () => exit };
}

function describeExit(exit) {
  if (exit.error) return `could not be started (${exit.error.message})`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

// ---------------------------------------------------------------------------------------------------------------
// network

function canConnect(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Send a RESP PING; resolves with the first reply line ('+PONG', '-NOAUTH …') or null. */
function redisPing(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    let buffer = '';
    const done = (reply) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('close', () => done(null));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n');
      if (end >= 0) done(buffer.slice(0, end));
    });
  });
}

async function pollUntil(check, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

async function choosePort(preferred, what, log) {
  if (await isPortFree(preferred)) return preferred;
  const port = await freePort();
  log(`${what}: port ${preferred} is in use by another program; using ${port} instead`);
  return port;
}

// ---------------------------------------------------------------------------------------------------------------
// FerretDB binary

function ferretBinary() {
  if (process.env.FERRETDB_BIN) return { bin: path.resolve(process.env.FERRETDB_BIN), override: true };
  return { bin: path.join(LOCAL, 'bin', 'ferretdb'), override: false };
}

function newestSourceMtime() {
  let newest = 0;
  let entries = [];
  try {
    entries = fs.readdirSync(FERRET_SRC);
  } catch {
    return null;
  }
  for (const name of entries) {
    if (name.endsWith('.go') || name === 'go.mod' || name === 'go.sum') {
      newest = Math.max(newest, mtimeMs(path.join(FERRET_SRC, name)) || 0);
    }
  }
  return newest;
}

function runCollect(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: null, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/** Path of a FerretDB binary that is up to date with tools/ferretdb, building it when needed. */
async function ensureFerretBinary(log) {
  const { bin, override } = ferretBinary();
  const binTime = mtimeMs(bin);
  const srcTime = newestSourceMtime();
  let reason = null;
  if (binTime === null) reason = 'not built yet';
  else if (!override && srcTime !== null && srcTime > binTime) reason = 'tools/ferretdb changed';
  if (!reason) return bin;

  if (srcTime === null || !fs.existsSync(path.join(FERRET_SRC, 'go.mod'))) {
    throw fail(
      `cannot build FerretDB: ${rel(FERRET_SRC)}/go.mod is missing; set MONGODB_URI to use a MongoDB instead`,
    );
  }
  const go = which('go');
  if (!go) {
    const hint = fs.existsSync('/usr/local/go/bin/go')
      ? ' (Go is in /usr/local/go/bin, which is not on PATH)'
      : '';
    throw fail(
      `no MongoDB-compatible server: no mongod on PATH and FerretDB (${rel(bin)}) must be built, but Go is not ` +
        `installed${hint}; install Go 1.24 or newer (https://go.dev/dl/), or set MONGODB_URI to a MongoDB you run`,
    );
  }
  const version = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout || '';
  const m = /^go(\d+)\.(\d+)/.exec(version.trim());
  if (m && (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 21))) {
    throw fail(
      `${version.trim()} is too old to build FerretDB; install Go 1.24 or newer (https://go.dev/dl/), or set MONGODB_URI`,
    );
  }

  const slow = binTime === null ? '; the first build downloads Go modules and takes about a minute' : '';
  log(`mongo: building FerretDB into ${rel(bin)} (${reason}${slow})`);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  const started = Date.now();
  const result = await runCollect(go, ['build', '-o', tmp, '.'], {
    cwd: FERRET_SRC,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.code !== 0) {
    removeFile(tmp);
    const why = result.signal ? `interrupted by ${result.signal}` : `go build exited with ${result.code}`;
    throw fail(`building FerretDB failed (${why}):\n${tailOf(result.output, 25).replace(/^/gm, '    ')}`);
  }
  fs.renameSync(tmp, bin);
  log(`mongo: built FerretDB in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

// ---------------------------------------------------------------------------------------------------------------
// MongoDB-compatible server

/** Split a MongoDB URI into base (scheme, credentials, hosts), database and options. */
function splitMongoUri(uri) {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?([^?]*)(?:\?(.*))?$/.exec(String(uri).trim());
  if (!m) throw fail(`MONGODB_URI does not look like a MongoDB connection string: ${redact(uri)}`);
  return { base: m[1], db: decodeURIComponent(m[2] || ''), options: m[3] || '' };
}

function mongoSpec(kind, p) {
  if (kind === 'mongod') {
    return { kind, label: 'mongod', pidFile: p.mongodPid, logFile: p.mongodLog, dataDir: p.mongodData };
  }
  return { kind, label: 'FerretDB', pidFile: p.ferretPid, logFile: p.ferretLog, dataDir: p.ferretData };
}

function portFromCommand(cmd, pattern) {
  const m = pattern.exec(cmd || '');
  return m ? Number(m[1]) : null;
}

const LOCAL_POSTGRES_PORT = 5432;

/**
 * FerretDB's backend (docs/ferretdb.md, "How far the embedded default carries"): FERRETDB_POSTGRESQL_URL → that PostgreSQL
 * (the database must exist); FERRETDB_BACKEND=sqlite|postgresql forces one; otherwise PostgreSQL when one answers
 * on 127.0.0.1:5432 — FerretDB creates the database westwallet_<profile>_<checkout> there (the test profile's
 * afresh; <checkout> is a hash of this checkout's .local folder, so clones never share one), and
 * falls back to SQLite if the server does not let the local user in — else SQLite, which needs nothing installed.
 */
async function ferretBackend(profile) {
  if (process.env.FERRETDB_POSTGRESQL_URL) {
    return {
      handler: 'postgresql',
      url: process.env.FERRETDB_POSTGRESQL_URL,
      explicit: true,
      prepare: false,
    };
  }
  const forced = process.env.FERRETDB_BACKEND;
  if (forced && forced !== 'sqlite' && forced !== 'postgresql') {
    throw fail(`FERRETDB_BACKEND must be sqlite or postgresql, not "${forced}"`);
  }
  if (forced === 'sqlite') return { handler: 'sqlite' };
  // One database per checkout and profile: two clones on one machine never share data.
  const checkout = crypto.createHash('sha256').update(LOCAL).digest('hex').slice(0, 8);
  const url = `postgres://127.0.0.1:${LOCAL_POSTGRES_PORT}/westwallet_${profile}_${checkout}`;
  if (forced === 'postgresql' || (await canConnect(LOCAL_POSTGRES_PORT))) {
    return { handler: 'postgresql', url, explicit: forced === 'postgresql', prepare: true };
  }
  return { handler: 'sqlite' };
}

async function upMongo(profile, p, previous, log) {
  if (process.env.MONGODB_URI) {
    const uri = process.env.MONGODB_URI;
    splitMongoUri(uri); // validate early
    log(`mongo: MONGODB_URI from the environment (${redact(uri)})`);
    return { kind: 'external', uri, managed: false, reused: false };
  }

  const mongod = which('mongod');
  const spec = mongoSpec(mongod ? 'mongod' : 'ferretdb', p);
  const portPattern = /(?:-listen \S*:|--port[ =])(\d+)/;

  const running = ownedProcess(spec.pidFile, spec.dataDir);
  if (running) {
    const port =
      portFromCommand(running.cmd, portPattern) ||
      (previous && previous.mongo && previous.mongo.kind === spec.kind ? previous.mongo.port : null);
    if (port && (await pollUntil(() => canConnect(port), 5000))) {
      log(`mongo: ${spec.label} on mongodb://127.0.0.1:${port} - already running (pid ${running.pid})`);
      return { kind: spec.kind, port, pid: running.pid, managed: true, reused: true };
    }
    log(`mongo: ${spec.label} (pid ${running.pid}) is running but not answering; restarting it`);
    await stopProcess(running.pid, { group: true, label: spec.label, log });
  }
  removeFile(spec.pidFile);

  const bin = mongod || (await ensureFerretBinary(log));
  const port = await choosePort(PROFILES[profile].mongoPort, 'mongo', log);
  if (profile === 'test') fs.rmSync(spec.dataDir, { recursive: true, force: true });
  fs.mkdirSync(spec.dataDir, { recursive: true });

  const attempt = async (backend) => {
    const args =
      spec.kind === 'mongod'
        ? ['--dbpath', spec.dataDir, '--bind_ip', '127.0.0.1', '--port', String(port)]
        : [
            '-listen',
            `127.0.0.1:${port}`,
            // The SQLite URL is also the marker ownedProcess() recognises the process by, whichever the backend.
            '-sqlite-url',
            `file:${spec.dataDir}/`,
            ...(backend.handler === 'postgresql'
              ? ['-handler', 'postgresql', '-postgresql-url', backend.url]
              : ['-handler', 'sqlite']),
            ...(backend.prepare ? ['-postgresql-prepare', profile === 'test' ? 'reset' : 'create'] : []),
            '-log-level',
            'warn',
          ];
    const env = { ...process.env, DO_NOT_TRACK: '1', FERRETDB_TELEMETRY: 'disable' };
    const proc = startDetached(bin, args, { logFile: spec.logFile, cwd: p.dir, env });
    if (proc.pid) fs.writeFileSync(spec.pidFile, `${proc.pid}\n`);
    let exit = null;
    const ready = await pollUntil(async () => {
      exit = proc.exited();
      if (exit) return true;
      return canConnect(port);
    }, MONGO_START_TIMEOUT_MS);
    if (exit || !ready) {
      if (proc.pid && !exit) await stopProcess(proc.pid, { group: true, label: spec.label, log });
      removeFile(spec.pidFile);
      const what = exit
        ? `${spec.label} ${describeExit(exit)} during startup`
        : `${spec.label} did not accept connections on 127.0.0.1:${port} within ${MONGO_START_TIMEOUT_MS / 1000} s`;
      return { error: `${what}; see ${rel(spec.logFile)}${logTail(spec.logFile)}` };
    }
    return { pid: proc.pid };
  };

  let backend = spec.kind === 'ferretdb' ? await ferretBackend(profile) : { handler: 'mongod' };
  let started = await attempt(backend);
  if (started.error && backend.handler === 'postgresql' && !backend.explicit) {
    log(
      `mongo: FerretDB could not use the PostgreSQL at ${backend.url} (${started.error.split('\n')[0]}); using SQLite instead`,
    );
    backend = { handler: 'sqlite' };
    started = await attempt(backend);
  }
  if (started.error) throw fail(started.error);
  const where =
    spec.kind === 'mongod'
      ? ` (data in ${rel(spec.dataDir)}/)`
      : backend.handler === 'postgresql'
        ? ` (PostgreSQL ${redact(backend.url)})`
        : ` (SQLite in ${rel(spec.dataDir)}/)`;
  log(
    `mongo: ${spec.label}${where} on mongodb://127.0.0.1:${port} - started (pid ${started.pid}, log ${rel(spec.logFile)})`,
  );
  return {
    kind: spec.kind,
    port,
    pid: started.pid,
    managed: true,
    reused: false,
    backend: backend.handler,
    // a database the wrapper created for this profile (dropped again when the test profile's services stop)
    ownDatabase: backend.handler === 'postgresql' && backend.prepare ? backend.url : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Redis

async function upRedis(profile, p, previous, log) {
  if (process.env.REDIS_URL) {
    log(`redis: REDIS_URL from the environment (${redact(process.env.REDIS_URL)})`);
    return { kind: 'external', url: process.env.REDIS_URL, managed: false, reused: false };
  }

  const running = ownedProcess(p.redisPid, 'redis');
  if (running) {
    const port =
      portFromCommand(running.cmd, /:(\d+)\b/) ||
      portFromCommand(running.cmd, /--port[ =](\d+)/) ||
      (previous && previous.redis && previous.redis.managed ? previous.redis.port : null);
    if (port && (await pollUntil(async () => (await redisPing(port)) === '+PONG', 3000))) {
      log(`redis: redis-server on redis://127.0.0.1:${port} - already running (pid ${running.pid})`);
      return { kind: 'managed', port, pid: running.pid, managed: true, reused: true };
    }
    log(`redis: redis-server (pid ${running.pid}) is running but not answering; restarting it`);
    await stopProcess(running.pid, { group: false, label: 'redis-server', log });
  }
  removeFile(p.redisPid);

  const shared = await redisPing(SHARED_REDIS_PORT);
  if (shared === '+PONG') {
    log(`redis: redis://127.0.0.1:${SHARED_REDIS_PORT} - already running (not managed by this script)`);
    return { kind: 'shared', port: SHARED_REDIS_PORT, managed: false, reused: false };
  }

  const server = which('redis-server');
  if (!server) {
    const seen = shared ? ` (127.0.0.1:${SHARED_REDIS_PORT} answered "${shared}")` : '';
    throw fail(
      `no Redis: nothing answers PING on 127.0.0.1:${SHARED_REDIS_PORT}${seen} and redis-server is not installed; ` +
        'install it (e.g. apt-get install redis-server, brew install redis) or set REDIS_URL',
    );
  }
  const port = await choosePort(PROFILES[profile].redisPort, 'redis', log);
  fs.mkdirSync(p.redisDir, { recursive: true });
  fs.writeFileSync(p.redisLog, '');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    p.redisDir,
    '--daemonize',
    'yes',
    '--pidfile',
    p.redisPid,
    '--logfile',
    p.redisLog,
  ];
  const r = spawnSync(server, args, { cwd: p.dir, encoding: 'utf8', timeout: REDIS_START_TIMEOUT_MS });
  if (r.error || r.status !== 0) {
    const detail = r.error
      ? r.error.message
      : tailOf(`${r.stdout || ''}${r.stderr || ''}`, 5) || `exit ${r.status}`;
    throw fail(`redis-server failed to start: ${detail}; see ${rel(p.redisLog)}`);
  }
  let pid = null;
  const ready = await pollUntil(async () => {
    pid = readPid(p.redisPid);
    if (pid && !isAlive(pid)) return true;
    return (await redisPing(port)) === '+PONG' && pid !== null;
  }, REDIS_START_TIMEOUT_MS);
  if (!ready || !pid || !isAlive(pid)) {
    if (pid && isAlive(pid)) await stopProcess(pid, { group: false, label: 'redis-server', log });
    removeFile(p.redisPid);
    throw fail(
      `redis-server did not answer PING on 127.0.0.1:${port} within ${REDIS_START_TIMEOUT_MS / 1000} s; ` +
        `see ${rel(p.redisLog)}${logTail(p.redisLog)}`,
    );
  }
  log(`redis: redis-server on redis://127.0.0.1:${port} - started (pid ${pid}, log ${rel(p.redisLog)})`);
  return { kind: 'managed', port, pid, managed: true, reused: false };
}

// ---------------------------------------------------------------------------------------------------------------
// leases: every `npm start` / `npm test` run that uses a profile's services holds one (a file named by its pid), so
// that the last run to leave stops them, whichever started them, and no run stops them under another.

function takeLease(p) {
  fs.mkdirSync(p.leases, { recursive: true });
  fs.writeFileSync(path.join(p.leases, String(process.pid)), `${process.argv.slice(1).join(' ')}\n`);
}

function dropLease(p) {
  removeFile(path.join(p.leases, String(process.pid)));
}

/** Pids of other live runs holding a lease (stale leases of dead runs are removed). */
function otherLeases(p) {
  let names = [];
  try {
    names = fs.readdirSync(p.leases);
  } catch {
    return [];
  }
  const live = [];
  for (const name of names) {
    const pid = Number.parseInt(name, 10);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (isAlive(pid)) live.push(pid);
    else removeFile(path.join(p.leases, name));
  }
  return live;
}

// ---------------------------------------------------------------------------------------------------------------
// public API

/**
 * Make sure the services of a profile run. Resolves with
 *   { env, mongodbUri, redisUrl, testMongoBase?, testMongoOptions?, started: { mongo, redis }, stateFile }
 * where env holds MONGODB_URI + REDIS_URL (dev) or TEST_MONGODB_BASE + TEST_MONGODB_OPTIONS + REDIS_URL (test).
 * Options: log(line); persistent: true when a human asked for the services (CLI `up`) so that
 * down(profile, { transientOnly: true }) — used by `npm start` / `npm test` on exit — leaves them running.
 * A transient run takes a lease on the profile's services: down(profile, { transientOnly: true }) leaves them
 * running while another run still holds one.
 */
async function up(profile = 'dev', { log = defaultLog, persistent = false } = {}) {
  checkProfile(profile);
  const p = paths(profile);
  fs.mkdirSync(p.dir, { recursive: true });
  const previous = readJson(p.state);

  let mongo = null;
  let redis = null;
  try {
    mongo = await upMongo(profile, p, previous, log);
    redis = await upRedis(profile, p, previous, log);
  } catch (err) {
    // Do not leave behind what this call started.
    if (mongo && mongo.managed && !mongo.reused) {
      const spec = mongoSpec(mongo.kind, p);
      await stopProcess(mongo.pid, { group: true, label: spec.label, log });
      removeFile(spec.pidFile);
      log(`mongo: stopped ${spec.label} again (pid ${mongo.pid})`);
    }
    throw err;
  }

  const wasPersistent = (name, svc) =>
    persistent ||
    Boolean(svc.reused && previous && previous.persistent && previous.persistent[name] && previous[name]);

  const redisUrl = redis.kind === 'external' ? redis.url : `redis://127.0.0.1:${redis.port}`;
  let base;
  let options;
  let mongodbUri;
  if (mongo.kind === 'external') {
    ({ base, options } = splitMongoUri(mongo.uri));
    mongodbUri = mongo.uri;
  } else {
    base = `mongodb://127.0.0.1:${mongo.port}`;
    options = MONGO_OPTIONS;
    mongodbUri = `${base}/${profile === 'test' ? '' : DB_NAME}?${options}`;
  }

  const state = {
    profile,
    mongodbUri,
    redisUrl,
    ...(profile === 'test' ? { testMongoBase: base, testMongoOptions: options } : {}),
    started: { mongo: mongo.managed, redis: redis.managed },
    persistent: {
      mongo: mongo.managed && wasPersistent('mongo', mongo),
      redis: redis.managed && wasPersistent('redis', redis),
    },
    mongo: {
      kind: mongo.kind,
      backend:
        mongo.backend || (mongo.reused && previous && previous.mongo ? previous.mongo.backend : null) || null,
      ownDatabase:
        mongo.ownDatabase ||
        (mongo.reused && previous && previous.mongo ? previous.mongo.ownDatabase : null) ||
        null,
      port: mongo.port || null,
      pid: mongo.pid || null,
    },
    redis: { kind: redis.kind, port: redis.port || null, pid: redis.pid || null, managed: redis.managed },
    updatedAt: new Date().toISOString(),
  };
  fs.writeFileSync(p.state, `${JSON.stringify(state, null, 2)}\n`);
  if (!persistent) takeLease(p);

  const env =
    profile === 'test'
      ? { TEST_MONGODB_BASE: base, TEST_MONGODB_OPTIONS: options, REDIS_URL: redisUrl }
      : { MONGODB_URI: mongodbUri, REDIS_URL: redisUrl };
  return {
    env,
    mongodbUri,
    redisUrl,
    ...(profile === 'test' ? { testMongoBase: base, testMongoOptions: options } : {}),
    started: state.started,
    newlyStarted: { mongo: mongo.managed && !mongo.reused, redis: redis.managed && !redis.reused },
    stateFile: p.state,
  };
}

/** The test profile's PostgreSQL database is throwaway: dropped when its FerretDB stops (the wrapper does it). */
function dropTestDatabase(url, log) {
  const r = spawnSync(
    ferretBinary().bin,
    ['-handler', 'postgresql', '-postgresql-url', url, '-postgresql-prepare', 'drop'],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (r.status === 0) log(`mongo: dropped the test database ${redact(url)}`);
  else
    log(
      `mongo: could not drop the test database ${redact(url)}: ${tailOf(`${r.stdout || ''}${r.stderr || ''}`, 3)}`,
    );
}

/**
 * Stop what this script started for a profile (pid files under .local/<profile>/). Idempotent.
 * transientOnly: the end of one run — give back its lease, and stop nothing while another run holds one; leave
 * services that a human started with `services.js up` (see up()).
 */
async function down(profile = 'dev', { log = defaultLog, transientOnly = false } = {}) {
  checkProfile(profile);
  const p = paths(profile);
  if (transientOnly) {
    dropLease(p);
    const others = otherLeases(p);
    if (others.length) {
      log(`leaving the ${profile} services running: still used by pid ${others.join(', ')}`);
      return { stopped: [], kept: ['mongo', 'redis'] };
    }
  }
  const state = readJson(p.state);
  const candidates = [
    { name: 'mongo', ...mongoSpec('ferretdb', p), group: true },
    { name: 'mongo', ...mongoSpec('mongod', p), group: true },
    { name: 'redis', label: 'redis-server', pidFile: p.redisPid, dataDir: 'redis', group: false },
  ];
  const stopped = [];
  const kept = [];
  for (const c of candidates) {
    const pid = readPid(c.pidFile);
    if (!pid) continue;
    const proc = ownedProcess(c.pidFile, c.dataDir);
    if (!proc) {
      removeFile(c.pidFile);
      log(`${c.name}: ${c.label} (pid ${pid}) was not running; removed ${rel(c.pidFile)}`);
      continue;
    }
    if (transientOnly && state && state.persistent && state.persistent[c.name]) {
      kept.push(c.name);
      const hint = `node scripts/services.js down${profile === 'dev' ? '' : ` --profile ${profile}`}`;
      log(
        `${c.name}: leaving ${c.label} running (pid ${pid}; started by services.js up, \`${hint}\` stops it)`,
      );
      continue;
    }
    const how = await stopProcess(proc.pid, { group: c.group, label: c.label, log });
    removeFile(c.pidFile);
    stopped.push(c.name);
    log(`${c.name}: ${how} ${c.label} (pid ${proc.pid})`);
    if (c.name === 'mongo' && profile === 'test' && state && state.mongo && state.mongo.ownDatabase) {
      dropTestDatabase(state.mongo.ownDatabase, log);
    }
  }
  if (kept.length === 0) {
    removeFile(p.state);
  } else if (state && state.started) {
    for (const name of stopped) state.started[name] = false;
    fs.writeFileSync(p.state, `${JSON.stringify(state, null, 2)}\n`);
  }
  if (stopped.length === 0 && kept.length === 0) log(`nothing to stop for profile ${profile}`);
  return { stopped, kept };
}

/** What runs for a profile, checked live. */
async function status(profile = 'dev') {
  checkProfile(profile);
  const p = paths(profile);
  const state = readJson(p.state);
  const result = { profile, up: false, state, mongo: null, redis: null };
  if (!state) return result;

  if (state.started && state.started.mongo) {
    const spec = mongoSpec(state.mongo.kind, p);
    const proc = ownedProcess(spec.pidFile, spec.dataDir);
    const reachable = Boolean(proc && state.mongo.port && (await canConnect(state.mongo.port)));
    result.mongo = {
      label: spec.label,
      managed: true,
      pid: proc ? proc.pid : null,
      port: state.mongo.port,
      ok: reachable,
    };
  } else {
    const hostPort = /^mongodb:\/\/(?:[^@/]*@)?([^:/,?]+)(?::(\d+))?/.exec(state.mongodbUri || '');
    const ok = hostPort ? await canConnect(Number(hostPort[2] || 27017), hostPort[1]) : null;
    result.mongo = { label: 'external', managed: false, ok };
  }

  if (state.started && state.started.redis) {
    const proc = ownedProcess(p.redisPid, 'redis');
    const ok = Boolean(proc && state.redis.port && (await redisPing(state.redis.port)) === '+PONG');
    result.redis = {
      label: 'redis-server',
      managed: true,
      pid: proc ? proc.pid : null,
      port: state.redis.port,
      ok,
    };
  } else {
    const hostPort = /^redis:\/\/(?:[^@/]*@)?([^:/?]+)(?::(\d+))?/.exec(state.redisUrl || '');
    const reply = hostPort ? await redisPing(Number(hostPort[2] || 6379), hostPort[1]) : null;
    result.redis = { label: state.redis.kind, managed: false, ok: hostPort ? reply !== null : null };
  }
  result.up = result.mongo.ok !== false && result.redis.ok !== false;
  return result;
}

module.exports = {
  up,
  down,
  status,
  fail,
  redact,
  splitMongoUri,
  ROOT,
  LOCAL,
  PROFILES,
  paths,
  isAlive,
  sendSignal,
  which,
  freePort,
  runCollect,
  readJson,
  rel,
};
