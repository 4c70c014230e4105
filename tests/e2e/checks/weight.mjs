// Page weight, as a first visit loads it (empty cache) on a phone and on a desktop: the
// HTML, the stylesheet, the script and the first picture of the page's content that the
// browser loaded (the size it picked from the srcset; none when every picture is lazy
// and below the fold). Sizes are uncompressed bytes (what the budget of
// the issue counts) and bytes on the wire (brotli as Chromium asks for it). The product
// page's HTML must stay within 30 KB and its whole first load within 150 KB
// (1 KB = 1,000 bytes).

import { openPage, VIEWPORTS } from '../lib/browser.mjs';

export const PRODUCT_HTML_MAX = 30_000;
export const FIRST_LOAD_MAX = 150_000;

/**
 * `pages`: [{ type, path, prepare? }] (`prepare(page)` fills a cart first). Returns
 * { problems, rows } with one row per page type and size.
 */
export async function weightProblems(browser, origin, pages) {
  const rows = [];
  for (const size of VIEWPORTS) {
    for (const target of pages) {
      const { context, page } = await openPage(browser, size, origin);
      try {
        if (target.prepare) await target.prepare(page);
        rows.push({ type: target.type, size: size.name, ...(await measure(page, target.path)) });
      } finally {
        await context.close();
      }
    }
  }
  const problems = [];
  for (const row of rows) {
    if (row.type === 'product' && row.html.raw > PRODUCT_HTML_MAX) {
      problems.push(`product page HTML is ${kb(row.html.raw)} uncompressed (${row.size}), over ${kb(PRODUCT_HTML_MAX)}`);
    }
    if (row.total.raw > FIRST_LOAD_MAX) {
      problems.push(`${row.type} first load is ${kb(row.total.raw)} uncompressed on ${row.size} (HTML ${kb(row.html.raw)}, CSS ${kb(row.css.raw)}, JS ${kb(row.js.raw)}, picture ${kb(row.image.raw)}), over ${kb(FIRST_LOAD_MAX)}`);
    }
    if (!row.image.url && row.expectsImage) problems.push(`${row.type} (${row.size}): its main picture was not loaded`);
  }
  return { problems, rows };
}

async function measure(page, path) {
  const responses = [];
  page.on('response', (r) => responses.push(r));
  // Lazy pictures in view start after the load event: wait for the network to settle.
  await page.goto(path, { waitUntil: 'networkidle' });
  const first = await page.evaluate(() => {
    const img = [...document.querySelectorAll('main img')].find((i) => i.complete && i.currentSrc);
    return img ? img.currentSrc : null;
  });
  const expectsImage = await page.evaluate(() => document.querySelector('main img[fetchpriority=high]') !== null);
  const pick = (test) => responses.filter((r) => test(r));
  const sum = async (list) => {
    let raw = 0;
    let wire = 0;
    for (const r of list) {
      raw += (await r.body()).length;
      wire += (await r.request().sizes()).responseBodySize;
    }
    return { raw, wire };
  };
  const documents = pick((r) => r.request().resourceType() === 'document' && r.status() < 300);
  const html = await sum(documents.slice(-1));
  const css = await sum(pick((r) => r.request().resourceType() === 'stylesheet'));
  const js = await sum(pick((r) => r.request().resourceType() === 'script'));
  const image = { ...(await sum(pick((r) => first !== null && r.url() === first))), url: first };
  const total = { raw: html.raw + css.raw + js.raw + image.raw, wire: html.wire + css.wire + js.wire + image.wire };
  return { path, html, css, js, image, total, expectsImage };
}

export function kb(bytes) {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** The rows as a Markdown table, for BENCHMARKS.md. */
export function weightTable(rows) {
  const lines = [
    '| page | size | HTML | CSS | JS | first picture | first load | on the wire (brotli) |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.type} | ${r.size} | ${kb(r.html.raw)} | ${kb(r.css.raw)} | ${kb(r.js.raw)} | ${r.image.url ? kb(r.image.raw) : '—'} | **${kb(r.total.raw)}** | ${kb(r.total.wire)} |`);
  }
  return lines.join('\n');
}
