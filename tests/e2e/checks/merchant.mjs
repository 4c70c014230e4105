// The merchant's side, on a phone, as a new user would go: the invitation link printed by
// `comptoir merchant add` → choose a password → log out and in again → send two photos
// from the phone → a new product in three sizes with those photos → it is online and
// search finds it → the shopper's order waits under "nouvelles": accept it, mark it ready
// → the shopper's tracking page says so → import a Shopify CSV export (preview, then
// confirm) → the imported products wait offline for their photos → one gets a photo and
// goes online, found by search. Every step is asserted on what the merchant
// (or the shopper) sees, and shown to `onStep` (screenshots, accessibility, HTML).

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, poll } from '../lib/browser.mjs';

/** What the merchant's journey uses, in the demo town. */
export const MERCHANT = {
  shop: { slug: 'chocolaterie-marguerite', name: 'Chocolaterie Marguerite' },
  email: 'claire@chocolaterie-marguerite.fr',
  password: 'ganache et praliné 2026',
  product: {
    title: 'Tablette surprise aux éclats de noisette',
    slug: 'tablette-surprise-aux-eclats-de-noisette',
    price: '6,50',
    sizes: [
      { size: '100 g', sku: 'MARG-SURPRISE-100', stock: '12' },
      { size: '200 g', sku: 'MARG-SURPRISE-200', price: '11,90', stock: '8' },
      { size: '400 g', sku: 'MARG-SURPRISE-400', price: '21,00', stock: '3' },
    ],
    search: 'tablette surprise noisette',
  },
  // Two pictures "taken with the phone" (pictures of the demo town, renamed).
  photos: [
    { from: 'content/shops/chocolaterie-marguerite/images/feves-de-cacao-enrobees-150-g.jpg', as: 'IMG_20261128_101500.jpg' },
    { from: 'content/shops/chocolaterie-marguerite/images/caramels-tendres-au-chocolat-150-g.jpg', as: 'IMG_20261128_101512.jpg' },
  ],
  shopify: '../shared/testdata/imports/shopify/apparel.csv',
};

/** Runs the merchant's journey; `order` is the shopper's `{ number, tracking }`. */
export async function merchantJourney({ page, server, root, order, onStep: show }) {
  // Every step is also checked for a page wider than the phone (a sideways scroll).
  const onStep = async (step) => {
    await show(step);
    await expectFits(page, step);
  };
  const texts = async (selector) => (await page.locator(selector).allInnerTexts()).map((t) => t.trim());

  // 1. The association creates the account; the merchant follows the link.
  const printed = execFileSync(
    server.binary,
    ['merchant', 'add', '--content', server.content, '--data', server.data, '--shop', MERCHANT.shop.slug, '--email', MERCHANT.email],
    { encoding: 'utf8' },
  );
  const link = /https?:\/\/\S+(\/espace-commercant\/mot-de-passe\/[0-9a-f]{64})/.exec(printed);
  expect(link, `merchant add printed no password link: ${printed}`);
  await page.goto(link[1]);
  expect((await page.locator('h1').innerText()).includes('mot de passe'), 'the link does not open the password page');
  await onStep('merchant-choose-password');
  await page.locator('#f-password').fill(MERCHANT.password);
  await page.locator('#f-confirm').fill(MERCHANT.password);
  await Promise.all([page.waitForURL(/\/espace-commercant\/$/), page.getByRole('button', { name: /Enregistrer et me connecter/ }).click()]);
  expect((await page.locator('.backoffice-shop').innerText()).includes(MERCHANT.shop.name), 'the dashboard does not name the shop');
  await onStep('merchant-dashboard');

  // 2. Out, and in again with the password.
  await Promise.all([page.waitForURL(/\/connexion/), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
  await page.locator('#f-email').fill(MERCHANT.email);
  await page.locator('#f-password').fill(MERCHANT.password);
  await onStep('merchant-login');
  await Promise.all([page.waitForURL(/\/espace-commercant\/$/), page.getByRole('button', { name: 'Se connecter' }).click()]);

  // 3. Two photos from the phone.
  const folder = mkdtempSync(join(tmpdir(), 'comptoir-photos-'));
  try {
    const files = MERCHANT.photos.map((p) => {
      const target = join(folder, p.as);
      copyFileSync(resolve(root, p.from), target);
      return target;
    });
    await page.goto('/espace-commercant/photos');
    await page.locator('#photos').setInputFiles(files);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer les photos' }).click()]);
    await onStep('merchant-photos-sent');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  // The server names a phone's picture after its file, as a slug: IMG_2026….jpg → img-2026….jpg.
  const stems = MERCHANT.photos.map((p) => p.as.replace(/\.jpg$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-'));

  // 4. A new product in three sizes, with the two photos.
  await page.goto('/espace-commercant/produits/nouveau');
  const p = MERCHANT.product;
  await page.locator('#title').fill(p.title);
  await page.locator('#description').fill('Chocolat au lait **38 %** et éclats de noisettes du Piémont torréfiées à la boutique.');
  await page.locator('#price').fill(p.price);
  const aisle = await page.locator('#category option', { hasText: /Chocolat/ }).first().getAttribute('value');
  await page.locator('#category').selectOption(aisle);
  await page.locator('#weight').fill('120');
  for (const [i, v] of p.sizes.entries()) {
    await page.locator(`#v${i}_size`).fill(v.size);
    await page.locator(`#v${i}_sku`).fill(v.sku);
    if (v.price) await page.locator(`#v${i}_price`).fill(v.price);
    await page.locator(`#v${i}_stock`).fill(v.stock);
  }
  const boxes = page.locator('#images input[type=checkbox]');
  let ticked = 0;
  for (const box of await boxes.all()) {
    const value = (await box.getAttribute('value')).toLowerCase();
    if (stems.some((s) => value.startsWith(s))) {
      await box.check();
      ticked += 1;
    }
  }
  expect(ticked === 2, `the product form offers ${ticked} of the two photos just sent`);
  await onStep('merchant-new-product');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer', exact: true }).click()]);
  const notice = await page.locator('.notice').first().innerText().catch(() => '');
  expect(/Enregistré/.test(notice), `saving the product said “${notice.trim()}” (errors: ${(await texts('.field-error')).join(' | ')})`);
  await onStep('merchant-product-saved');

  // 5. Online, and findable.
  const path = `/boutiques/${MERCHANT.shop.slug}/${p.slug}/`;
  await poll(`${path} online`, async () => (await page.goto(path)).status() === 200);
  const sizes = await texts('form.add-to-cart select option');
  for (const v of p.sizes) expect(sizes.some((s) => s.includes(v.size)), `the product page offers no ${v.size} (options: ${sizes.join(' | ')})`);
  const pictures = await page.locator('.gallery img').count();
  expect(pictures === 2, `the product page shows ${pictures} pictures, expected the 2 sent`);
  await expectPicturesLoad(page, '.gallery img');
  await onStep('merchant-product-online');
  await poll(`search finds “${p.search}”`, async () => {
    await page.goto(`/recherche?q=${encodeURIComponent(p.search)}`);
    return (await page.locator(`.cards a[href="${path}"]`).count()) > 0;
  });

  // 6. The shopper's order: accept it, then ready it.
  await orderSteps({ page, order, onStep });

  // 7. A Shopify export, previewed, then imported.
  await page.goto('/espace-commercant/import');
  await page.locator('#f-fichiers').setInputFiles(resolve(root, MERCHANT.shopify));
  await page.locator('#f-rayon').selectOption(aisle);
  await onStep('merchant-import-form');
  await Promise.all([page.waitForURL(/\/espace-commercant\/import\/[0-9a-f]+$/), page.getByRole('button', { name: /Voir l’aperçu/ }).click()]);
  const importButton = page.getByRole('button', { name: /^Importer \d+ produit/ });
  expect(await importButton.count() === 1, 'the import preview offers nothing to import');
  const count = Number(/(\d+)/.exec(await importButton.innerText())[1]);
  expect(count > 0, 'the import preview has no product to create');
  const firstTitle = (await page.locator('table').first().locator('tbody tr td').nth(1).innerText()).replace(/\s*\(hors ligne.*\)$/, '').trim();
  await onStep('merchant-import-preview');
  await Promise.all([page.waitForNavigation(), importButton.click()]);
  await onStep('merchant-import-done');
  // Without their photos (the export only links them), imported products wait offline.
  await page.goto(`/espace-commercant/produits?q=${encodeURIComponent(firstTitle)}`);
  const imported = page.locator('ul.product-rows li', { hasText: firstTitle }).first();
  expect(await imported.count() === 1, `the product list does not show the imported “${firstTitle}”`);
  expect(/Hors ligne/.test(await imported.innerText()), `the imported “${firstTitle}” is online without a photo`);
  await onStep('merchant-imported-list');

  // 8. The merchant gives it one of the phone's photos and puts it online.
  await Promise.all([page.waitForURL(/\/espace-commercant\/produits\/[^/?]+$/), imported.locator('a').first().click()]);
  let chosen = 0;
  for (const box of await page.locator('#images input[type=checkbox]').all()) {
    const value = (await box.getAttribute('value')).toLowerCase();
    if (chosen === 0 && stems.some((s) => value.startsWith(s))) {
      await box.check();
      chosen += 1;
    }
  }
  expect(chosen === 1, 'the imported product’s form does not offer the photos sent');
  await page.locator('input[name=published]').check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer', exact: true }).click()]);
  const saved = await page.locator('.notice').first().innerText().catch(() => '');
  expect(/Enregistré/.test(saved), `saving the imported product said “${saved.trim()}” (errors: ${(await texts('.field-error')).join(' | ')})`);
  await poll(`the imported “${firstTitle}” is found`, async () => {
    await page.goto(`/recherche?q=${encodeURIComponent(firstTitle)}`);
    return (await page.locator('.cards .card').count()) > 0;
  });
  await expectPicturesLoad(page, '.cards .card img');
}

/** Every picture matched by `selector`, in each of its sizes, loads. */
async function expectPicturesLoad(page, selector) {
  const urls = await page.locator(selector).evaluateAll((images) =>
    images.flatMap((i) => [i.currentSrc || i.src, ...(i.srcset || '').split(',').map((s) => s.trim().split(/\s+/)[0])]).filter(Boolean),
  );
  expect(urls.length > 0, `no picture matches ${selector}`);
  for (const url of new Set(urls)) {
    const answer = await page.request.get(url);
    expect(answer.status() === 200, `the picture ${url} answers ${answer.status()}`);
  }
}

/** Accepts and readies the shopper's order; the tracking page says it is ready. */
async function orderSteps({ page, order, onStep }) {
  await page.goto('/espace-commercant/commandes');
  const row = page.locator(`a[href$="/commandes/${order.number}"]`).first();
  expect(await row.count() === 1, `the order ${order.number} is not listed among the shop's orders`);
  await onStep('merchant-orders');
  await Promise.all([page.waitForURL(new RegExp(`/commandes/${order.number}$`)), row.click()]);
  await onStep('merchant-order');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /^Accepter/ }).click()]);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /prête/i }).first().click()]);
  await onStep('merchant-order-ready');
  const tracking = await page.context().newPage();
  try {
    await tracking.goto(order.tracking);
    const statuses = (await tracking.locator('.sub-order .status').allInnerTexts()).join(' | ');
    expect(/Prête à retirer/.test(statuses), `the shopper's tracking page does not say ready: ${statuses}`);
  } finally {
    await tracking.close();
  }
}

/** The page shown now is no wider than the screen; else names the elements that stick out. */
async function expectFits(page, step) {
  const { width, wide } = await page.evaluate(() => {
    const screen = document.documentElement.clientWidth;
    const inScroller = (e) => {
      for (let p = e.parentElement; p; p = p.parentElement) {
        const overflow = getComputedStyle(p).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
      }
      return false;
    };
    const wide = [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > screen + 1 && !inScroller(e))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''} (${Math.round(e.getBoundingClientRect().right)} px)`);
    return { width: document.documentElement.scrollWidth - screen, wide };
  });
  expect(width <= 1, `${step}: the page is ${width} px wider than the phone's screen: ${wide.join(', ')}`);
}
