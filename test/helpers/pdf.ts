import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Where tests leave files for people to look at (git-ignored). */
export const ARTIFACTS = resolve(__dirname, '..', 'artifacts');

/**
 * The text of each page of a PDF, extracted by pdfjs-dist (Mozilla's PDF reader, a dev dependency). pdfjs is an ES
 * module, which Jest's CommonJS runtime cannot import, so it runs in a child `node` process.
 */
export function pdfPageTexts(pdf: Buffer): string[] {
  const file = join(tmpdir(), `ww-pdf-${randomBytes(6).toString('hex')}.pdf`);
  writeFileSync(file, pdf);
  const script = `
    import { readFileSync } from 'node:fs';
    import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
    const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[1])), verbosity: 0 }).promise;
    const pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => item.str + (item.hasEOL ? '\\n' : ' ')).join(''));
    }
    process.stdout.write(JSON.stringify(pages));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], {
    cwd: resolve(__dirname, '..', '..'),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as string[];
}

/** True when poppler's `pdftoppm` is on the PATH (CI installs poppler-utils; see .ci/run). */
export function hasPdftoppm(): boolean {
  return spawnSync('pdftoppm', ['-v']).error === undefined;
}

/** Renders every page of `pdf` to `test/artifacts/<name>-<n>.png` (72 dpi) and answers the files, in page order. */
export function pdfToPngs(pdf: Buffer, name: string, dpi = 72): string[] {
  mkdirSync(ARTIFACTS, { recursive: true });
  const source = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(source, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', source, join(ARTIFACTS, name)]);
  return readdirSync(ARTIFACTS)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => join(ARTIFACTS, f));
}
