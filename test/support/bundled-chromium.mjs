// Unpacks the Chromium that the npm package @sparticuz/chromium ships (brotli files inside the
// package, nothing downloaded) into the folder named by argv[2], and prints where it is as JSON.
// A script of its own because the package is an ES module, which the CommonJS tests cannot require.
// The package unpacks into os.tmpdir(), so TMPDIR points it at that folder.
import { existsSync } from 'node:fs';
import path from 'node:path';

const target = process.argv[2];
process.env.TMPDIR = target;
const { inflate } = await import('@sparticuz/chromium');
const { default: Chromium } = await import('@sparticuz/chromium');
const executablePath = await Chromium.executablePath();
// The shared libraries it needs (nss, …) for a machine that has no browser installed at all.
const bin = path.join(path.dirname(new URL(import.meta.resolve('@sparticuz/chromium')).pathname), '..', 'bin');
if (!existsSync(path.join(target, 'al2023'))) await inflate(path.join(bin, 'al2023.tar.br'));
console.log(
  JSON.stringify({
    executablePath,
    libraryPath: path.join(target, 'al2023', 'lib'),
    fontsPath: path.join(target, 'fonts'),
  }),
);
