// Valid HTML: the Nu HTML Checker (vnu-jar, run with the machine's Java) on the HTML the
// server sent for every page type, forms with their errors shown included. Errors fail;
// warnings are printed only.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vnuJar from 'vnu-jar';

/**
 * `documents`: [{ name, url, html }]. Returns the errors, one line each, with the page,
 * line and the checker's message.
 */
export function htmlProblems(documents) {
  const dir = mkdtempSync(join(tmpdir(), 'comptoir-vnu-'));
  try {
    const files = documents.map((doc, i) => {
      const file = join(dir, `${String(i).padStart(2, '0')}-${doc.name.replace(/[^a-z0-9]+/gi, '-')}.html`);
      writeFileSync(file, doc.html);
      return { file, doc };
    });
    const run = spawnSync('java', ['-jar', String(vnuJar), '--format', 'json', '--exit-zero-always', ...files.map((f) => f.file)], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    let report;
    try {
      report = JSON.parse(run.stderr || run.stdout);
    } catch {
      throw new Error(`the Nu HTML Checker printed no JSON report:\n${run.stderr}${run.stdout}`);
    }
    const byFile = new Map(files.map((f) => [`file:${f.file}`, f.doc]));
    const problems = [];
    for (const message of report.messages) {
      const doc = byFile.get(message.url);
      const where = doc ? `${doc.name} (${doc.url})` : message.url;
      const line = message.lastLine ? ` line ${message.lastLine}` : '';
      const extract = message.extract ? `\n  near: ${message.extract.replace(/\s+/g, ' ').trim().slice(0, 160)}` : '';
      if (message.type === 'error' || message.type === 'non-document-error') {
        problems.push(`${where}${line}: ${message.message}${extract}`);
      } else if (message.subType !== 'info') {
        process.stdout.write(`  (warning) ${where}${line}: ${message.message}\n`);
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
