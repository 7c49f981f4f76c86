// The sharp (libvips) baseline for the mirror's image path: the same work
// as `cargo run --example process`, on one core.
//
// For each original: sha256 of its bytes, the header for its width, then
// one pipeline per variant width (320/640/1080 not wider than the original,
// or the original's own width), auto-oriented, resized without enlargement
// and encoded as WebP at the mirror's quality and effort. One job in flight,
// one libvips thread, no operation cache (repeating the same input must not
// be served from it).
//
//   node bench/sharp.mjs [-n ITERATIONS] FILE...
//
// The last line is key=value pairs for bench/run.sh.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

const WIDTHS = [320, 640, 1080];
// Keep in step with WEBP_QUALITY and WEBP_METHOD in mirror/src/image/encode.rs.
const WEBP = { quality: 78, effort: 4 };

sharp.concurrency(1);
sharp.cache(false);

function parseArgs(argv) {
  let iterations = 10;
  if (argv[0] === '-n') {
    iterations = Number(argv[1]);
    argv = argv.slice(2);
  }
  if (argv.length === 0 || !(iterations > 0)) {
    throw new Error('usage: sharp.mjs [-n ITERATIONS] FILE...');
  }
  return { iterations, files: argv };
}

function variantWidths(width) {
  const widths = WIDTHS.filter((w) => w <= width);
  return widths.length > 0 ? widths : [width];
}

async function processOne(original) {
  const sha256 = createHash('sha256').update(original).digest('hex');
  const { width, height, orientation } = await sharp(original).metadata();
  const displayedWidth = orientation >= 5 ? height : width;
  const variants = [];
  for (const w of variantWidths(displayedWidth)) {
    const bytes = await sharp(original)
      .rotate()
      .resize({ width: w, withoutEnlargement: true })
      .webp(WEBP)
      .toBuffer();
    variants.push(bytes);
  }
  return { sha256, variants };
}

async function main() {
  const { iterations, files } = parseArgs(process.argv.slice(2));
  const originals = files.map((file) => readFileSync(file));

  let variantBytes = 0;
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < iterations; pass++) {
    for (const original of originals) {
      const { variants } = await processOne(original);
      if (pass === 0) variantBytes += variants.reduce((sum, v) => sum + v.length, 0);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const images = originals.length * iterations;
  const perSecond = images / seconds;
  console.log(
    `${images} images in ${seconds.toFixed(2)}s: ${perSecond.toFixed(1)} images/s, ` +
      `${((seconds * 1000) / images).toFixed(1)} ms each (sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips})`,
  );
  console.log(`variant bytes per pass: ${variantBytes}`);
  console.log(`images_per_second=${perSecond.toFixed(2)} variant_bytes=${variantBytes}`);
}

await main();
