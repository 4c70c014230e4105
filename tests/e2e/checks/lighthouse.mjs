// Lighthouse 12 (its default mobile settings: a mid-range phone, simulated slow 4G and
// 4× CPU slowdown) on Debian's Chromium, headless. Home, aisle and product pages must
// score SEO 100, accessibility 100, best practices ≥ 95 and performance ≥ 95; the cart
// and checkout the same, except that the SEO audits they may fail are only those a
// page kept out of search engines fails (robots noindex, robots.txt disallow).
//
// Performance is the one score that moves between runs on a shared machine: each page
// is run up to RUNS times and the median of the runs is kept, as Lighthouse's own
// documentation advises ("Lighthouse variability": use the median of several runs).

import lighthouse from 'lighthouse';
import { launch as launchChrome } from 'chrome-launcher';
import { CHROMIUM } from '../lib/browser.mjs';

const RUNS = 3;
const MIN = { seo: 1, accessibility: 1, 'best-practices': 0.95, performance: 0.95 };
/** The SEO audits a `noindex` page fails by design. */
const NOINDEX_AUDITS = new Set(['is-crawlable']);

/**
 * `pages`: [{ type, url, cookie?, noindex? }]. Returns { problems, scores } with the
 * median scores per page (0–100) for BENCHMARKS.md.
 */
export async function lighthouseProblems(pages) {
  const chrome = await launchChrome({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const problems = [];
  const scores = [];
  try {
    for (const page of pages) {
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) {
        runs.push(await audit(chrome.port, page));
        // Stop early once the performance median cannot change the verdict.
        if (i === 0 && runs[0].categories.performance >= MIN.performance) break;
      }
      const lhr = median(runs);
      scores.push({ type: page.type, url: page.url, runs: runs.length, ...percent(lhr.categories) });
      problems.push(...verdict(page, lhr));
    }
  } finally {
    await chrome.kill();
  }
  return { problems, scores };
}

async function audit(port, page) {
  const flags = {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: Object.keys(MIN),
    extraHeaders: page.cookie ? { Cookie: page.cookie } : undefined,
  };
  const result = await lighthouse(page.url, flags);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${page.url}: ${lhr.runtimeError.message}`);
  const categories = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score ?? 0]));
  const failing = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [
    id,
    c.auditRefs
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
      .map((ref) => ({ id: ref.id, title: lhr.audits[ref.id].title, score: lhr.audits[ref.id].score, value: lhr.audits[ref.id].displayValue })),
  ]));
  return { categories, failing };
}

/** The run whose performance score is the median (the other categories do not vary). */
function median(runs) {
  const sorted = [...runs].sort((a, b) => a.categories.performance - b.categories.performance);
  return sorted[Math.floor(sorted.length / 2)];
}

function percent(categories) {
  return Object.fromEntries(Object.entries(categories).map(([id, s]) => [id, Math.round(s * 100)]));
}

function verdict(page, lhr) {
  const problems = [];
  for (const [id, min] of Object.entries(MIN)) {
    const score = lhr.categories[id];
    const failing = lhr.failing[id];
    if (id === 'seo' && page.noindex) {
      const unexpected = failing.filter((a) => !NOINDEX_AUDITS.has(a.id));
      if (unexpected.length) problems.push(`${page.type} (${page.url}): SEO fails more than noindex: ${describe(unexpected)}`);
      continue;
    }
    if (score < min) {
      problems.push(`${page.type} (${page.url}): ${id} ${Math.round(score * 100)} < ${Math.round(min * 100)}; failing: ${describe(failing)}`);
    }
  }
  return problems;
}

function describe(audits) {
  return audits.map((a) => `${a.id} (${a.title}${a.value ? `: ${a.value}` : ''})`).join('; ') || 'none listed';
}
