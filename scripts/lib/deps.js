'use strict';
// ensureDependencies(): run `npm ci` when node_modules is missing or older than package-lock.json.
// npm writes node_modules/.package-lock.json at the end of every install, so its mtime marks the last install.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

function fail(message) {
  const err = new Error(message);
  err.expected = true;
  return err;
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Why `npm ci` is needed, or null when node_modules is up to date. */
function installReason(root = ROOT) {
  const lock = mtimeMs(path.join(root, 'package-lock.json'));
  if (lock === null) throw fail('package-lock.json is missing; run `npm install` once to create it');
  if (mtimeMs(path.join(root, 'node_modules')) === null) return 'node_modules is missing';
  const installed = mtimeMs(path.join(root, 'node_modules', '.package-lock.json'));
  if (installed === null) return 'node_modules looks incomplete';
  if (lock > installed) return 'package-lock.json changed since the last install';
  return null;
}

/** Runs `npm ci` (output to this terminal) when needed. Returns true if it installed. */
function ensureDependencies({ root = ROOT, log = (line) => console.log(`[deps] ${line}`) } = {}) {
  const reason = installReason(root);
  if (!reason) return false;
  log(`${reason}: running npm ci`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (r.error) throw fail(`could not run npm: ${r.error.message}`);
  if (r.signal) throw fail(`npm ci was interrupted (${r.signal})`);
  if (r.status !== 0) throw fail(`npm ci failed (exit ${r.status}); see the npm output above`);
  return true;
}

/** Absolute path of the JS file behind an installed package's bin (e.g. binPath('jest', 'jest')). */
function binPath(pkg, name, root = ROOT) {
  const dir = path.join(root, 'node_modules', ...pkg.split('/'));
  let bin;
  try {
    bin = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).bin;
  } catch {
    throw fail(`${pkg} is not installed (node_modules/${pkg}); run \`npm ci\``);
  }
  const rel = typeof bin === 'string' ? bin : bin && bin[name];
  if (!rel) throw fail(`${pkg} has no "${name}" command`);
  return path.join(dir, rel);
}

module.exports = { ensureDependencies, installReason, binPath };
