// The first load of the client: every script, module preload and stylesheet that
// dist/client/index.html loads before anything is imported on demand, gzipped, summed.
// Usage: node .ci/first-load.js [--max-kb N]   (after `npm run build`; fails above N kB)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'client');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const assets = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\/([^"]+)"/g)].map(
  (match) => match[1],
);

let total = 0;
for (const asset of assets) {
  const size = gzipSync(fs.readFileSync(path.join(dist, asset)), { level: 9 }).length;
  total += size;
  process.stdout.write(`${(size / 1000).toFixed(2).padStart(8)} kB  ${asset}\n`);
}
process.stdout.write(`${(total / 1000).toFixed(2).padStart(8)} kB  first load, gzipped\n`);

const maxIndex = process.argv.indexOf('--max-kb');
if (maxIndex !== -1) {
  const max = Number(process.argv[maxIndex + 1]);
  if (!Number.isFinite(max)) throw new Error('--max-kb needs a number');
  if (total / 1000 > max) {
    process.stderr.write(
      `The first load is ${(total / 1000).toFixed(2)} kB gzipped, over its budget of ${max} kB: split off what the first screen does not need.\n`,
    );
    process.exit(1);
  }
}
