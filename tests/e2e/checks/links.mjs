// Links: linkinator crawls the served town from its home page (pages, pictures with
// their srcset, stylesheets, scripts) and must find no broken internal link; links to
// other sites are not followed (there is no network here). The sitemaps validate
// against the sitemaps.org and Google image schemas (xmllint), every page they list is
// served, and robots.txt points to them.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkChecker } from 'linkinator';
import { mapLimit, sitemaps, locs } from '../lib/site.mjs';

export async function linkProblems(origin) {
  const checker = new LinkChecker();
  const result = await checker.check({
    path: `${origin}/`,
    recurse: true,
    concurrency: 32,
    timeout: 30_000,
    linksToSkip: (url) => Promise.resolve(!url.startsWith(origin)),
    // Without it, linkinator takes an extensionless page (/recherche) for a folder and
    // resolves its query links (href="?page=2") against /recherche/, unlike browsers and
    // the URL standard. Its other effect only concerns its own static server, unused here.
    cleanUrls: true,
  });
  const broken = result.links.filter((l) => l.state === 'BROKEN');
  const checked = result.links.filter((l) => l.state === 'OK').length;
  process.stdout.write(`  linkinator: ${checked} internal links and pictures answered, ${broken.length} broken\n`);
  return broken.map((l) => `broken link ${l.url} (${l.status ?? 'no answer'}) on ${l.parent ?? 'the start page'}`);
}

export async function sitemapProblems(origin, xsdDir) {
  const problems = [];
  const { index, children } = await sitemaps(origin);
  problems.push(...xmllint(index, join(xsdDir, 'siteindex.xsd'), '/sitemap.xml'));
  if (children.length === 0) problems.push('/sitemap.xml lists no sitemap');
  const pages = [];
  for (const child of children) {
    problems.push(...xmllint(child.xml, join(xsdDir, 'sitemap-with-image.xsd'), child.url));
    pages.push(...[...child.xml.matchAll(/<url>\s*<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) => m[1]));
  }
  for (const url of [...locs(index), ...pages]) {
    if (!url.startsWith(`${origin}/`)) problems.push(`the sitemaps list ${url}, which is not on this site`);
  }
  await mapLimit(pages, 16, async (url) => {
    const response = await fetch(url, { redirect: 'manual' });
    if (response.status !== 200) problems.push(`the sitemaps list ${url}, which answers ${response.status}`);
  });
  const robots = await (await fetch(`${origin}/robots.txt`)).text();
  if (!robots.split('\n').some((line) => line.trim() === `Sitemap: ${origin}/sitemap.xml`)) {
    problems.push(`robots.txt does not point to ${origin}/sitemap.xml`);
  }
  process.stdout.write(`  sitemaps: ${children.length} sitemaps, ${pages.length} pages listed\n`);
  return problems;
}

function xmllint(xml, schema, name) {
  const dir = mkdtempSync(join(tmpdir(), 'comptoir-sitemap-'));
  try {
    const file = join(dir, 'sitemap.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
    if (run.error) throw new Error(`xmllint cannot run (apt-get install libxml2-utils): ${run.error.message}`);
    if (run.status === 0) return [];
    return [`${name} does not validate against ${schema}:\n${run.stderr.replaceAll(file, name).trim()}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
