// Runs before the browser tests: finds Chromium (CHROMIUM_PATH, then /usr/bin/chromium) and, on
// a fresh Debian machine where we are root, installs Debian's package. Browsers cannot be
// downloaded by Playwright here, so this is the only way the browser step can find one.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const DEFAULT_PATH = '/usr/bin/chromium';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fail(sentence: string): never {
  console.error(sentence);
  process.exit(1);
}

const configured = process.env.CHROMIUM_PATH;
if (configured) {
  if (!isExecutable(configured)) {
    fail(`CHROMIUM_PATH is set to ${configured}, but no executable Chromium is there.`);
  }
  process.exit(0);
}
if (isExecutable(DEFAULT_PATH)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  fail(
    'The browser tests need Chromium: install Debian\'s package ("sudo apt-get install -y chromium") or set CHROMIUM_PATH to a Chromium binary.',
  );
}

console.log('Chromium is missing; installing Debian\'s "chromium" package …');
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
} catch {
  fail(
    'Installing Chromium with apt-get failed: install the "chromium" package by hand or set CHROMIUM_PATH.',
  );
}
if (!isExecutable(DEFAULT_PATH)) {
  fail(
    `apt-get finished but ${DEFAULT_PATH} is still missing: set CHROMIUM_PATH to a Chromium binary.`,
  );
}
