#!/usr/bin/env node
// comptoir in a real browser (issue 7): serves the demo town with the server binary,
// then runs every check against it and prints what is wrong, check by check.
//
//   node tests/e2e/run.mjs [--bin target/release/comptoir] [--only journey,axe,…]
//   node tests/e2e/run.mjs --url http://127.0.0.1:8080 --data data   (a server already running)
//
// Checks: journey (pointer, phone and desktop; then the merchant's and the association
// staff's journeys), keyboard, axe, html, structured, links, sitemaps, weight, lighthouse.
// Screenshots and figures go to target/e2e/. Exit code 1 when any check fails.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launch, openPage, lastDocument, Shots, VIEWPORTS } from './lib/browser.mjs';
import { Report } from './lib/report.mjs';
import { startServer } from './lib/server.mjs';
import { STATIC_PAGES, LIGHTHOUSE_PAGES } from './lib/pages.mjs';
import { purchase, PLAN } from './checks/journey.mjs';
import { merchantJourney } from './checks/merchant.mjs';
import { staffJourney } from './checks/admin.mjs';
import { keyboardPurchase } from './checks/keyboard.mjs';
import { axeProblems } from './checks/axe.mjs';
import { htmlProblems } from './checks/html.mjs';
import { structuredProblems } from './checks/structured.mjs';
import { linkProblems, sitemapProblems } from './checks/links.mjs';
import { weightProblems, weightTable } from './checks/weight.mjs';
import { lighthouseProblems } from './checks/lighthouse.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'target', 'e2e');
const XSD = resolve(ROOT, '..', 'shared', 'testdata', 'xsd');
const ALL = ['journey', 'keyboard', 'axe', 'html', 'structured', 'links', 'sitemaps', 'weight', 'lighthouse'];

const { values: args } = parseArgs({
  options: {
    bin: { type: 'string', default: join(ROOT, 'target', 'release', 'comptoir') },
    url: { type: 'string' },
    data: { type: 'string' },
    only: { type: 'string' },
  },
});
const only = new Set(args.only ? args.only.split(',') : ALL);
const wanted = (name) => only.has(name);

mkdirSync(OUT, { recursive: true });
const report = new Report();
const server = args.url
  ? { origin: args.url.replace(/\/$/, ''), data: args.data ?? join(ROOT, 'data'), stop: async () => {} }
  : await startServer({ binary: resolve(args.bin), root: ROOT });
const { origin } = server;
process.stdout.write(`serving the demo town on ${origin}\n`);
const browser = await launch();

/** What the journeys leave for the audits: axe findings, HTML sent, a tracking page. */
const seen = { axe: [], documents: [] };

try {
  const orders = [];
  if (wanted('journey')) {
    for (const size of VIEWPORTS) {
      await report.check(`purchase journey, ${size.name} ${size.viewport.width}×${size.viewport.height}`, async () => {
        const { context, page, state } = await openPage(browser, size, origin);
        const shots = new Shots(ROOT, size.name);
        try {
          const order = await purchase({
            page,
            data: server.data,
            onStep: async (step) => {
              await shots.take(page, step);
              if (wanted('axe')) seen.axe.push(...(await axeProblems(page, `${step} (${size.name})`)));
              if (size.name === 'desktop') seen.documents.push({ name: step, ...(await lastDocument(state)) });
            },
          });
          orders.push(order);
          return [];
        } catch (error) {
          await shots.take(page, 'FAILED').catch(() => {});
          throw error;
        } finally {
          await context.close();
        }
      });
    }
  }

  if (wanted('keyboard')) {
    await report.check('keyboard-only purchase (skip link, visible focus, no trap)', async () => {
      const size = VIEWPORTS[1];
      const { context, page } = await openPage(browser, size, origin);
      const shots = new Shots(ROOT, 'keyboard');
      try {
        return await keyboardPurchase({ page, onStep: (step) => shots.take(page, step) });
      } catch (error) {
        await shots.take(page, 'FAILED').catch(() => {});
        throw error;
      } finally {
        await context.close();
      }
    });
  }

  if (wanted('axe')) {
    await report.check('axe: WCAG 2.0/2.1/2.2 A and AA on every page type, phone and desktop', async () => {
      const problems = [...seen.axe];
      for (const size of VIEWPORTS) {
        const { context, page } = await openPage(browser, size, origin);
        try {
          for (const target of STATIC_PAGES) {
            await page.goto(target.path);
            problems.push(...(await axeProblems(page, `${target.type} (${size.name})`)));
          }
        } finally {
          await context.close();
        }
      }
      if (wanted('journey') && seen.axe.length === 0 && seen.documents.length === 0) {
        problems.push('the journey pages (cart, checkout, confirmation, tracking) were not audited: the journey did not run through');
      }
      return problems;
    });
  }

  if (wanted('html')) {
    await report.check('valid HTML (Nu HTML Checker) on every page type, forms with errors included', async () => {
      const documents = [];
      for (const target of STATIC_PAGES) {
        const response = await fetch(origin + target.path);
        const expected = target.status ?? 200;
        if (response.status !== expected) return [`${target.path} answered ${response.status}, expected ${expected}`];
        documents.push({ name: target.type, url: target.path, html: await response.text() });
      }
      const problems = htmlProblems([...documents, ...seen.documents]);
      if (wanted('journey') && !seen.documents.some((d) => d.name === 'checkout-with-errors')) {
        problems.push('the checkout with errors was not validated: the journey did not reach it');
      }
      process.stdout.write(`  ${documents.length + seen.documents.length} documents checked\n`);
      return problems;
    });
  }

  if (wanted('structured')) await report.check('structured data (JSON-LD) of every product and shop page', () => structuredProblems(origin));
  if (wanted('links')) await report.check('links: linkinator crawl of the town, no broken internal link or picture', () => linkProblems(origin));
  if (wanted('sitemaps')) await report.check('sitemaps: schemas, listed pages served, robots.txt', () => sitemapProblems(origin, XSD));

  const figures = [];
  if (wanted('weight')) {
    await report.check('page weight: product HTML ≤ 30 KB, first load ≤ 150 KB', async () => {
      const { problems, rows } = await weightProblems(browser, origin, [
        { type: 'home', path: '/' },
        { type: 'shop', path: '/boutiques/chocolaterie-marguerite/' },
        { type: 'aisle', path: '/rayons/alimentation/' },
        { type: 'product', path: PLAN.landing },
        { type: 'search with facets', path: '/recherche?q=chocolet&boutique=chocolaterie-marguerite' },
        { type: 'cart', path: '/panier', prepare: fillCart },
        { type: 'checkout', path: '/commande', prepare: fillCart },
      ]);
      figures.push('## Page weight\n', weightTable(rows), '');
      process.stdout.write(`${weightTable(rows)}\n`);
      return problems;
    });
  }

  if (wanted('lighthouse')) {
    await report.check('Lighthouse (mobile): home, aisle, product; cart and checkout', async () => {
      const cookie = await cartCookie();
      const pages = [
        ...LIGHTHOUSE_PAGES.map((p) => ({ ...p, url: origin + p.path })),
        { type: 'cart', url: `${origin}/panier`, cookie, noindex: true },
        { type: 'checkout', url: `${origin}/commande`, cookie, noindex: true },
      ];
      const { problems, scores } = await lighthouseProblems(pages);
      const table = [
        '| page | performance | accessibility | best practices | SEO | runs |',
        '|---|---:|---:|---:|---:|---:|',
        ...scores.map((s) => `| ${s.type} | ${s.performance} | ${s.accessibility} | ${s['best-practices']} | ${s.seo} | ${s.runs} |`),
      ].join('\n');
      figures.push('## Lighthouse\n', table, '');
      process.stdout.write(`${table}\n`);
      return problems;
    });
  }
  // Last: the merchant changes the town (a product, photos, an import) that the audits above check as shipped;
  // its own pages get the accessibility and HTML checks here.
  if (wanted('journey')) {
    await report.check('merchant journey on a phone: invitation, photos, a product in three sizes online and found, the order accepted and ready, a Shopify import', async () => {
      if (orders.length === 0) return ['no order was placed by the purchase journey, so the merchant has none to handle'];
      const size = VIEWPORTS[0];
      const { context, page, state } = await openPage(browser, size, origin);
      const shots = new Shots(ROOT, 'merchant');
      const merchantAxe = [];
      const merchantDocuments = [];
      try {
        await merchantJourney({
          page,
          server,
          root: ROOT,
          order: orders[0],
          onStep: async (step) => {
            await shots.take(page, step);
            if (wanted('axe')) merchantAxe.push(...(await axeProblems(page, `${step} (${size.name})`)));
            merchantDocuments.push({ name: step, ...(await lastDocument(state)) });
          },
        });
        // The back-office's pages are checked by the Nu validator like the shop's.
        return [...merchantAxe, ...(wanted('html') ? htmlProblems(merchantDocuments) : [])];
      } catch (error) {
        await shots.take(page, 'FAILED').catch(() => {});
        throw error;
      } finally {
        await context.close();
      }
    });
  }
  // After it: the association's staff change the town too (a shop, a relay point, an offer).
  if (wanted('journey')) {
    await report.check('staff journey: account, a new shop, a relay point with slots, a two-shop offer a shopper gets, the day’s deliveries', async () => {
      const staff = await openPage(browser, VIEWPORTS[1], origin);
      const shopper = await openPage(browser, VIEWPORTS[0], origin);
      const shots = new Shots(ROOT, 'staff');
      const staffAxe = [];
      const staffDocuments = [];
      try {
        await staffJourney({
          page: staff.page,
          shopper: shopper.page,
          server,
          onStep: async (step) => {
            await shots.take(staff.page, step);
            if (wanted('axe')) staffAxe.push(...(await axeProblems(staff.page, `${step} (${VIEWPORTS[1].name})`)));
            staffDocuments.push({ name: step, ...(await lastDocument(staff.state)) });
          },
        });
        return [...staffAxe, ...(wanted('html') ? htmlProblems(staffDocuments) : [])];
      } catch (error) {
        await shots.take(staff.page, 'FAILED').catch(() => {});
        await shots.take(shopper.page, 'FAILED-shopper').catch(() => {});
        throw error;
      } finally {
        await staff.context.close();
        await shopper.context.close();
      }
    });
  }
  if (figures.length) writeFileSync(join(OUT, 'figures.md'), figures.join('\n'));
} finally {
  await browser.close();
  await server.stop();
}

process.exit(report.finish() ? 0 : 1);

/** Puts the landing product in the cart of `page`'s context. */
async function fillCart(page) {
  await page.goto(PLAN.landing);
  await Promise.all([page.waitForURL(/\/panier\?ajoute=/), page.locator('form.add-to-cart button[type=submit]').click()]);
}

/** The Cookie header of a cart holding one item. */
async function cartCookie() {
  const { context, page } = await openPage(browser, VIEWPORTS[0], origin);
  try {
    await fillCart(page);
    const cookies = await context.cookies(origin);
    if (cookies.length === 0) throw new Error('adding to the cart set no cookie');
    return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  } finally {
    await context.close();
  }
}
