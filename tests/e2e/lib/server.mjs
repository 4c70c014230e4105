// Serves the demo town for the checks: copies content/ into a temporary folder with the
// town's base_url set to the address served (so canonical links, sitemaps and JSON-LD
// point at the server under test, as they would on a real deployment), then runs
// `comptoir demo` on a free loopback port with a fresh data folder and waits for
// /healthz. Nothing here sleeps: it polls with a deadline.

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/// How long the demo build may take before the server answers (a debug binary resizes
/// the pictures slowly).
const START_DEADLINE_MS = 8 * 60 * 1000;

/** A free TCP port on 127.0.0.1. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Copies `content` to `dir/content` with `base_url` replaced by `origin`. */
function townFor(content, dir, origin) {
  const copy = join(dir, 'content');
  cpSync(content, copy, { recursive: true });
  const town = join(copy, 'town.toml');
  const text = readFileSync(town, 'utf8');
  const rewritten = text.replace(/^base_url\s*=\s*".*"$/m, `base_url = "${origin}"`);
  if (rewritten === text) throw new Error(`no base_url line in ${town}`);
  writeFileSync(town, rewritten);
  return copy;
}

/**
 * Starts `binary demo` on the demo town of `root`; resolves to
 * `{ origin, data, log(), stop() }` once /healthz answers 200.
 */
export async function startServer({ binary, root }) {
  if (!existsSync(binary)) throw new Error(`no server binary at ${binary} (cargo build first)`);
  const dir = mkdtempSync(join(tmpdir(), 'comptoir-e2e-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const content = townFor(join(root, 'content'), dir, origin);
  const data = join(dir, 'data');
  let log = '';
  const child = spawn(
    binary,
    ['demo', '--content', content, '--data', data, '--addr', `127.0.0.1:${port}`],
    { cwd: dir, env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk) => { log = (log + chunk).slice(-20000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    resolve();
  }));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exitedPromise;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`comptoir demo exited (${JSON.stringify(exited)}) before serving:\n${log}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`comptoir demo did not answer /healthz within ${START_DEADLINE_MS / 1000} s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { origin, data, content, binary, log: () => log, stop };
}
