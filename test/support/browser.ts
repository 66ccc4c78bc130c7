import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Debian's package, which CI installs; used whenever it is there. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Headless, and quiet on a machine with no network: without the background-networking flags
// Chromium keeps trying to reach Google's hosts.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface BundledChromium {
  executablePath: string;
  libraryPath: string;
  fontsPath: string;
}

/**
 * The Chromium inside the npm package @sparticuz/chromium, unpacked once per machine into a folder
 * of its own under the temporary directory. Two suites may ask at once: each unpacks into a
 * scratch folder and renames it into place, so nobody ever sees a half-written binary.
 */
export function bundledChromium(): BundledChromium {
  const home = path.join(os.tmpdir(), 'order-gate-chromium');
  const describe = (dir: string): BundledChromium => ({
    executablePath: path.join(dir, 'chromium'),
    libraryPath: path.join(dir, 'al2023', 'lib'),
    fontsPath: path.join(dir, 'fonts'),
  });
  if (existsSync(path.join(home, 'chromium'))) return describe(home);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'order-gate-chromium-'));
  execFileSync(process.execPath, [path.join(__dirname, 'bundled-chromium.mjs'), scratch], { stdio: 'ignore' });
  try {
    renameSync(scratch, home);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another suite won the rename
  }
  return describe(home);
}

/** Launches the bundled Chromium (with its own shared libraries and fonts). */
export function launchBundledChromium(): Promise<Browser> {
  const bundled = bundledChromium();
  return chromium.launch({
    executablePath: bundled.executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [bundled.libraryPath, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
      FONTCONFIG_PATH: bundled.fontsPath,
    },
  });
}

/**
 * A headless Chromium for the browser suites: Debian's when installed (CI), else the one that
 * `npm install` brought, so `npm install && npm test` passes on a machine with no browser.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(SYSTEM_CHROMIUM)) return launchBundledChromium();
  return chromium.launch({ executablePath: SYSTEM_CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
