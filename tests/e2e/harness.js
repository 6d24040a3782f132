/**
 * @file The end-to-end fixture: indexes the test corpus and the sample articles with the real
 * clippings-indexer into a temporary database, starts the real clippings-server on a free
 * 127.0.0.1 port serving web/, and drives Debian's Chromium through playwright-core.
 * Anything missing (binaries, data, node_modules, the browser) fails with a message.
 */

import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const kHere = path.dirname(fileURLToPath(import.meta.url));
const kReadyAttempts = 200;      // x kReadyPauseMs: how long the server may take to come up
const kReadyPauseMs = 100;
const kIndexerTimeoutMs = 120000;
const kChromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Where screenshots go (gitignored). */
export const kArtifactsDir = process.env.CLIPPINGS_E2E_ARTIFACTS || path.join(kHere, 'artifacts');

function required_env(name, what) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: it must name ${what}. Run the browser tests through ctest (ctest -L e2e), which sets it.`);
  }
  if (!fs.existsSync(value)) throw new Error(`${name}=${value}: no such file or directory (${what})`);
  return path.resolve(value);
}

async function load_playwright() {
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new Error(`playwright-core is not installed in ${kHere}/node_modules (${error.code ?? error.message}). `
      + `Install it with: npm ci --prefix ${kHere}`);
  }
}

function chromium_path() {
  const executable = process.env.CLIPPINGS_CHROMIUM || '/usr/bin/chromium';
  try {
    fs.accessSync(executable, fs.constants.X_OK);
  } catch {
    throw new Error(`Chromium is not installed at ${executable}. Install it with: apt-get install -y chromium `
      + '(or point CLIPPINGS_CHROMIUM at a Chromium executable).');
  }
  return executable;
}

function free_port() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** The environment for the programs: without CLIPPINGS_* variables, which they read as settings. */
function program_env() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLIPPINGS_')));
}

function run_indexer(indexer, db, sources, log) {
  const args = ['--db', db, ...sources];
  const result = spawnSync(indexer, args, { encoding: 'utf8', timeout: kIndexerTimeoutMs, cwd: path.dirname(db), env: program_env() });
  fs.writeFileSync(log, `${indexer} ${args.join(' ')}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n`);
  if (result.error) throw new Error(`clippings-indexer could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`clippings-indexer exited with ${result.status}:\n${result.stderr || result.stdout}`);
  }
}

async function wait_ready(base_url, server, log) {
  for (let attempt = 0; attempt < kReadyAttempts; attempt += 1) {
    if (server.exitCode !== null) {
      throw new Error(`clippings-server exited with ${server.exitCode} before it was ready:\n${fs.readFileSync(log, 'utf8')}`);
    }
    try {
      const response = await fetch(`${base_url}/readyz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(kReadyPauseMs);
  }
  throw new Error(`clippings-server was not ready after ${kReadyAttempts} attempts:\n${fs.readFileSync(log, 'utf8')}`);
}

function stop(server) {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
    }, 10000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

/**
 * Starts everything. The caller must `await app.close()`.
 * @param {{server_args?: string[]}} [options]  server_args: more clippings-server flags
 * @returns {Promise<{base_url: string, api: (path: string) => Promise<any>, open: Function, close: Function}>}
 */
export async function start_app({ server_args = [] } = {}) {
  const { chromium } = await load_playwright();
  const executable = chromium_path();
  const indexer = required_env('CLIPPINGS_INDEXER_BIN', 'the clippings-indexer program');
  const server_bin = required_env('CLIPPINGS_SERVER_BIN', 'the clippings-server program');
  const corpus = required_env('CLIPPINGS_CORPUS_DIR', 'the test corpus, tests/data/corpus (with catalog.csv)');
  const samples = required_env('CLIPPINGS_SAMPLES_DIR', 'the project\'s sample articles');
  const web = path.resolve(process.env.CLIPPINGS_WEB_DIR || path.join(kHere, '../../web'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clippings-e2e-'));
  let server = null;
  let browser = null;
  const close = async () => {
    if (browser) await browser.close();
    if (server) await stop(server);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const db = path.join(dir, 'db');
    // The samples are indexed format directory by format directory: their README is no article.
    const sample_dirs = fs.readdirSync(samples, { withFileTypes: true })
      .filter((entry) => entry.isDirectory()).map((entry) => path.join(samples, entry.name)).sort();
    run_indexer(indexer, db, [corpus, ...sample_dirs], path.join(dir, 'indexer.log'));
    const port = await free_port();
    const base_url = `http://127.0.0.1:${port}`;
    const log = path.join(dir, 'server.log');
    const out = fs.openSync(log, 'a');
    server = spawn(server_bin, ['--db', db, '--host', '127.0.0.1', '--port', String(port), '--web', web, ...server_args],
      { stdio: ['ignore', out, out], cwd: dir, env: program_env() });
    fs.closeSync(out);
    await wait_ready(base_url, server, log);
    browser = await chromium.launch({ executablePath: executable, args: kChromiumArgs });
    fs.mkdirSync(kArtifactsDir, { recursive: true });
    return { base_url, api: (route) => api_get(base_url, route), open: (options) => open_page(browser, base_url, options), close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function api_get(base_url, route) {
  const response = await fetch(`${base_url}${route}`);
  const body = await response.json();
  if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * A fresh browser context and page at `url` (relative to the server). The returned `problems`
 * lists uncaught page errors, Content-Security-Policy violations and JavaScript dialogs.
 */
async function open_page(browser, base_url, { url = '/', viewport = { width: 1280, height: 900 }, color_scheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme: color_scheme, baseURL: base_url });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP violation: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog opened: ${dialog.type()} "${dialog.message()}"`);
    dialog.dismiss().catch(() => {});
  });
  await page.goto(url);
  return { page, context, problems };
}

/** Saves a screenshot of the page to artifacts/<name>.png. */
export async function screenshot(page, name, { full_page = true } = {}) {
  await page.screenshot({ path: path.join(kArtifactsDir, `${name}.png`), fullPage: full_page });
}

/**
 * A suite sharing one indexed server and browser. `define(check)` registers the tests; each
 * `check(name, async (app) => ...)` fails with the set-up error when the programs, the data,
 * node_modules or Chromium are missing, so a broken environment counts as failures, not as
 * cancelled or skipped tests.
 */
export function browser_suite(name, define, options = {}) {
  describe(name, () => {
    const fixture = { app: null, error: null };
    before(async () => {
      try {
        fixture.app = await start_app(options);
      } catch (error) {
        fixture.error = error;
      }
    });
    after(async () => {
      await fixture.app?.close();
    });
    define((title, body) => test(title, { timeout: 60000 }, async () => {
      if (fixture.error) throw fixture.error;
      await body(fixture.app);
    }));
  });
}
