// Reading the served site: its sitemaps, and a bounded-concurrency map for fetching many
// pages from the local server.

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The `<loc>`s of an XML sitemap or sitemap index. */
export function locs(xml) {
  return [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

/** The sitemaps: `{ index, children: [{ url, xml }] }`. */
export async function sitemaps(origin) {
  const index = await (await fetch(`${origin}/sitemap.xml`)).text();
  const children = [];
  for (const url of locs(index)) {
    children.push({ url, xml: await (await fetch(url)).text() });
  }
  return { index, children };
}

/** Every page URL the sitemaps list (pictures of the image extension left out). */
export async function sitemapPages(origin) {
  const { children } = await sitemaps(origin);
  return children.flatMap((c) => [...c.xml.matchAll(/<url>\s*<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&')));
}
