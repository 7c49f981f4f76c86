// The gallery page in a real browser: Debian's Chromium, driven by
// playwright-core, at a phone and a desktop size, plus once with
// JavaScript off. For each it scrolls to the end (infinite scroll where
// JavaScript runs), checks that every image loaded, that the tiles match
// the JSON API's count of visible photos, that the grid has the expected
// columns, and that the console shows no errors; then saves a screenshot
// to artifacts/ at the repository root.
//
// Usage: node gallery.mjs BASE_URL [GALLERY_PATH]
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, galleryPath = '/g/2026-04-29'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node gallery.mjs BASE_URL [GALLERY_PATH]');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '../../../artifacts');

const runs = [
  { name: 'phone', viewport: { width: 390, height: 844 }, columns: 2, mobile: true, js: true },
  { name: 'desktop', viewport: { width: 1440, height: 900 }, columns: 4, mobile: false, js: true },
  { name: 'phone-no-js', viewport: { width: 390, height: 844 }, columns: 2, mobile: true, js: false },
];

const launchArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
];

/** Visible photos of the event, counted through the JSON API's pages. */
async function countThroughApi(eventId) {
  let total = 0;
  let cursor = null;
  for (let pages = 0; pages < 50; pages++) {
    const query = cursor ? `?limit=100&cursor=${cursor}` : '?limit=100';
    const response = await fetch(`${base}/api/events/${eventId}/photos${query}`);
    if (!response.ok) throw new Error(`photos API answered ${response.status}`);
    const page = await response.json();
    total += page.items.length;
    cursor = page.next_cursor;
    if (!cursor) return total;
  }
  throw new Error('the photos API did not stop paging');
}

/** Scrolls until no "more" link is left (JavaScript) or to the bottom. */
async function scrollToEnd(page) {
  for (let round = 0; round < 40; round++) {
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(250);
    const more = await page.$('#next');
    if (!more) return;
  }
  throw new Error('infinite scroll never reached the end');
}

/** Brings every image into view so lazy ones load, then waits for all. */
async function loadEveryImage(page) {
  const images = page.locator('#grid img');
  const count = await images.count();
  for (let i = 0; i < count; i++) {
    await images.nth(i).scrollIntoViewIfNeeded();
  }
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll('#grid img')).every((img) => img.complete),
    null,
    { timeout: 30_000 },
  );
  return page.$$eval('#grid img', (imgs) => imgs.map((img) => ({
    src: img.currentSrc || img.src,
    natural: img.naturalWidth,
    sized: img.hasAttribute('width') && img.hasAttribute('height'),
  })));
}

async function check(browser, run, expected) {
  const context = await browser.newContext({
    viewport: run.viewport,
    isMobile: run.mobile,
    hasTouch: run.mobile,
    deviceScaleFactor: run.mobile ? 3 : 1,
    javaScriptEnabled: run.js,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} for ${res.url()}`);
  });
  page.on('dialog', async (dialog) => {
    problems.push(`a dialog opened (a caption ran as script?): ${dialog.message()}`);
    await dialog.dismiss();
  });

  const response = await page.goto(base + galleryPath, { waitUntil: 'load' });
  if (response.status() !== 200) problems.push(`the page answered ${response.status()}`);
  const columns = await page.$eval('#grid', (grid) =>
    getComputedStyle(grid).gridTemplateColumns.split(' ').length);
  if (columns !== run.columns) problems.push(`${columns} columns, expected ${run.columns}`);

  if (run.js) await scrollToEnd(page);
  const images = await loadEveryImage(page);
  const broken = images.filter((img) => !(img.natural > 0));
  const unsized = images.filter((img) => !img.sized);
  for (const img of broken) problems.push(`image did not load: ${img.src}`);
  for (const img of unsized) problems.push(`image without width and height: ${img.src}`);
  const wanted = run.js ? expected : Math.min(expected, 30);
  if (images.length !== wanted) problems.push(`${images.length} tiles, expected ${wanted}`);
  if (!run.js && expected > 30 && !(await page.$('#next'))) {
    problems.push('no next-page link without JavaScript');
  }
  const overflow = await page.evaluate(() =>
    document.documentElement.scrollWidth > document.documentElement.clientWidth);
  if (overflow) problems.push('the page scrolls sideways');

  await page.evaluate(() => window.scrollTo(0, 0));
  const shot = path.join(artifacts, `gallery-${run.name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await context.close();
  return { images: images.length, columns, problems, shot };
}

const eventId = galleryPath.split('/').filter(Boolean).pop();
const expected = await countThroughApi(eventId);
await mkdir(artifacts, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: launchArgs,
});
let failed = false;
try {
  for (const run of runs) {
    const result = await check(browser, run, expected);
    const verdict = result.problems.length ? 'FAIL' : 'ok';
    console.log(`[browser] ${run.name}: ${verdict}: ${result.images} images loaded, ` +
      `${result.columns} columns, screenshot ${path.relative(process.cwd(), result.shot)}`);
    for (const problem of result.problems) console.log(`[browser]   ${problem}`);
    failed ||= result.problems.length > 0;
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
