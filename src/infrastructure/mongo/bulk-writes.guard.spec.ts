import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const HELPER = 'src/infrastructure/mongo/bulk-writes.ts';
// Benchmarks are left out on purpose: their baselines time the raw driver.
const SCANNED = ['src', 'test', 'scripts'];
const CALL = /\.(bulkWrite|insertMany)\s*\(/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

describe('bulk writes go through infrastructure/mongo/bulk-writes.ts', () => {
  it('no other file calls bulkWrite( or insertMany( itself (FerretDB hangs on large update commands)', () => {
    const offenders: string[] = [];
    for (const dir of SCANNED) {
      for (const file of files(join(ROOT, dir))) {
        const rel = relative(ROOT, file);
        if (rel === HELPER || rel.endsWith('bulk-writes.guard.spec.ts')) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (CALL.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).toEqual([]);
  });
});
