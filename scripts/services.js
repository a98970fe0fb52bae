#!/usr/bin/env node
'use strict';
// Local MongoDB-compatible server + Redis for development and tests (see scripts/lib/services.js).
//   node scripts/services.js up     [--profile dev|test]   start (or reuse) and print what is used
//   node scripts/services.js down   [--profile dev|test]   stop what `up` started
//   node scripts/services.js status [--profile dev|test]   show both profiles unless one is given
// Exit codes: 0 ok, 1 failure (message printed), 2 usage error, 3 `status`: not (fully) running.

const services = require('./lib/services');

const USAGE = 'usage: node scripts/services.js <up|down|status> [--profile dev|test]';

function parseArgs(argv) {
  const [command, ...rest] = argv;
  let profile = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--profile' || arg === '-p') {
      profile = rest[++i];
      if (!profile) throw usage('--profile needs a value (dev or test)');
    } else if (arg.startsWith('--profile=')) {
      profile = arg.slice('--profile='.length);
    } else {
      throw usage(`unknown argument "${arg}"`);
    }
  }
  if (profile !== null && !Object.prototype.hasOwnProperty.call(services.PROFILES, profile)) {
    throw usage(`unknown profile "${profile}" (use dev or test)`);
  }
  return { command, profile };
}

function usage(message) {
  const err = new Error(message);
  err.usage = true;
  return err;
}

function quote(value) {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

async function printStatus(profiles) {
  let allUp = true;
  for (const profile of profiles) {
    const s = await services.status(profile);
    if (!s.state) {
      console.log(`${profile}: not up`);
      allUp = false;
      continue;
    }
    const part = (name, x) => {
      if (!x.managed) {
        const reach = x.ok === null ? 'not checked' : x.ok ? 'reachable' : 'NOT reachable';
        return `${name}: ${x.label}, not managed here (${reach})`;
      }
      if (!x.pid) return `${name}: ${x.label} NOT running`;
      return `${name}: ${x.label} pid ${x.pid} port ${x.port} ${x.ok ? 'running' : 'NOT answering'}`;
    };
    console.log(`${profile}: ${part('mongo', s.mongo)}; ${part('redis', s.redis)}`);
    console.log(
      `${' '.repeat(profile.length + 2)}${services.redact(s.state.mongodbUri)}  ${services.redact(s.state.redisUrl)}`,
    );
    if (!s.up) allUp = false;
  }
  return allUp;
}

async function main() {
  const { command, profile } = parseArgs(process.argv.slice(2));
  switch (command) {
    case 'up': {
      const result = await services.up(profile || 'dev', { persistent: true });
      const env = Object.entries(result.env)
        .map(([k, v]) => `${k}=${quote(v)}`)
        .join(' ');
      console.log(`[services] env: ${env}`);
      return 0;
    }
    case 'down':
      await services.down(profile || 'dev');
      return 0;
    case 'status':
      return (await printStatus(profile ? [profile] : Object.keys(services.PROFILES))) ? 0 : 3;
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return 0;
    case undefined:
      throw usage('missing command');
    default:
      throw usage(`unknown command "${command}"`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err && err.usage) {
      console.error(`services: ${err.message}\n${USAGE}`);
      process.exitCode = 2;
    } else if (err && err.expected) {
      console.error(`services: ${err.message}`);
      process.exitCode = 1;
    } else {
      console.error('services: unexpected error:', err);
      process.exitCode = 1;
    }
  },
);
