// The purchase journey with a pointer, as a shopper arriving from a search engine makes
// it: product page → search with a typo → shop facet → items from two shops → cart →
// click & collect for one shop and a home-delivery slot for the other → checkout refused
// for a wrong e-mail and a missing address, then accepted → confirmation (and its
// e-mail) → tracking. Every step is asserted on what the shopper sees and shown to the
// `onStep` hook (screenshots, accessibility, HTML validation).

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '../lib/browser.mjs';

/** The products and shops the journey uses, all in the demo town's content/. */
export const PLAN = {
  landing: '/boutiques/boulangerie-aux-bles-dor/baguette-de-tradition/',
  typo: 'chocolet',
  facetShop: { slug: 'chocolaterie-marguerite', name: 'Chocolaterie Marguerite' },
  // Picked among the filtered results: well stocked, so that every run can buy two.
  firstProduct: '/boutiques/chocolaterie-marguerite/tablette-chocolat-noir-72-perou-100-g/',
  secondSearch: 'baguette tradition',
  secondShop: { slug: 'boulangerie-aux-bles-dor', name: "Boulangerie Aux Blés d'Or" },
  contact: { name: 'Marie Lefèvre', email: 'marie.lefevre@exemple.fr', phone: '06 12 34 56 78' },
  wrongEmail: 'marie.lefevre@',
  address: { street: '12 rue Houdan', postcode: '92330', city: 'Sceaux' },
};

/** Runs the journey on `page`; `onStep(step)` is awaited after each step is shown. */
export async function purchase({ page, data, onStep }) {
  const texts = async (selector) => (await page.locator(selector).allInnerTexts()).map((t) => t.trim());

  // 1. Arriving from a search engine on a product page.
  const landing = await page.goto(PLAN.landing, { referer: 'https://www.google.fr/' });
  expect(landing.status() === 200, `the landing product page answered ${landing.status()}`);
  const title = (await page.locator('h1').innerText()).trim();
  expect(title.length > 0, 'the product page has no heading');
  await expectVisible(page, 'form.add-to-cart button[type=submit]', 'the add-to-cart button on the landing page');
  await onStep('product-from-search-engine');

  // 2. A search with a typo still finds chocolates.
  await page.locator('#q').fill(PLAN.typo);
  await Promise.all([page.waitForURL(/\/recherche\?/), page.locator('form.search button[type=submit]').click()]);
  const count = await resultCount(page);
  expect(count >= 2, `searching “${PLAN.typo}” found ${count} product(s), expected chocolates from several shops`);
  const shops = await texts('.cards .shop');
  expect(shops.includes(PLAN.facetShop.name), `searching “${PLAN.typo}” shows no product of ${PLAN.facetShop.name} (shops: ${unique(shops)})`);
  await onStep('search-with-typo');

  // 3. The shop facet keeps only that shop's products.
  await page.locator(`#f-boutique-${PLAN.facetShop.slug}`).check();
  await Promise.all([page.waitForURL(/boutique=/), page.locator('aside.facets button[type=submit]').click()]);
  expect(await page.locator(`#f-boutique-${PLAN.facetShop.slug}`).isChecked(), 'the ticked shop facet is not ticked on the filtered page');
  const filtered = await texts('.cards .shop');
  expect(filtered.length > 0 && filtered.every((s) => s === PLAN.facetShop.name), `the shop facet left products of other shops: ${unique(filtered)}`);
  expect(await resultCount(page) <= count, 'filtering found more products than the search alone');
  await onStep('search-filtered-by-shop');

  // 4. First shop: a product from the filtered results, two of it.
  const first = page.locator(`.cards .card h3 a[href="${PLAN.firstProduct}"]`);
  expect(await first.count() === 1, `${PLAN.firstProduct} is not among the filtered results`);
  const firstTitle = (await first.innerText()).trim();
  await Promise.all([page.waitForURL(/\/boutiques\/[^/]+\/[^/]+\/$/), first.click()]);
  expect((await page.locator('h1').innerText()).trim() === firstTitle, `the result “${firstTitle}” opened another product`);
  await addToCart(page, '2');
  await expectText(page, 'p.confirm', firstTitle, 'the cart confirms the first item');
  await onStep('cart-first-item');

  // 5. Second shop: searched again from the header.
  await page.locator('#q').fill(PLAN.secondSearch);
  await Promise.all([page.waitForURL(/\/recherche\?/), page.locator('form.search button[type=submit]').click()]);
  const second = page.locator(`.cards .card h3 a[href^="/boutiques/${PLAN.secondShop.slug}/"]`).first();
  const secondTitle = (await second.innerText()).trim();
  await Promise.all([page.waitForURL(/\/boutiques\/[^/]+\/[^/]+\/$/), second.click()]);
  await onStep('product-second-shop');
  await addToCart(page, '1');

  // 6. The cart: one section per shop, both items.
  await expectText(page, 'p.confirm', secondTitle, 'the cart confirms the second item');
  const baskets = await texts('section.basket h2');
  for (const shop of [PLAN.facetShop.name, PLAN.secondShop.name]) {
    expect(baskets.includes(shop), `the cart has no section for ${shop} (sections: ${baskets.join(', ')})`);
  }
  const lines = await texts('.line .item');
  for (const item of [firstTitle, secondTitle]) {
    expect(lines.some((l) => l.includes(item)), `the cart does not list “${item}” (lines: ${lines.join(' | ')})`);
  }
  await onStep('cart');

  // 7. Checkout: one mode per shop, a wrong e-mail and no address first.
  await Promise.all([page.waitForURL(/\/commande$/), page.getByRole('link', { name: 'Commander' }).click()]);
  const fieldsets = await texts('fieldset.delivery legend');
  expect(fieldsets.length === 2, `the checkout asks how to receive the items of ${fieldsets.length} shop(s), expected 2`);
  await onStep('checkout');
  await chooseDelivery(page);
  await fill(page, { ...PLAN.contact, email: PLAN.wrongEmail });
  const refused = await submitOrder(page);
  expect(refused === 422, `the order with a wrong e-mail and no address answered ${refused}, expected the form again (422)`);
  await expectVisible(page, '.error-summary', 'the error summary');
  for (const field of ['email', 'postcode']) {
    expect(await page.locator(`#${field}`).getAttribute('aria-invalid') === 'true', `the ${field} field is not marked invalid`);
    await expectVisible(page, `#${field}-erreur`, `the message beside the ${field} field`);
  }
  expect(await page.locator('#name').inputValue() === PLAN.contact.name, 'the refused form lost the name typed');
  expect(await page.locator('input[type=radio]:checked').count() === 2, 'the refused form lost the delivery choices');
  await onStep('checkout-with-errors');

  // 8. Corrected, the order is placed.
  await page.locator('#email').fill(PLAN.contact.email);
  await fill(page, PLAN.address);
  await onStep('checkout-corrected');
  const placed = await submitOrder(page);
  expect(placed === 200, `the corrected order answered ${placed}`);
  expect(/\/commande\/confirmation\/[0-9a-f]{32}$/.test(page.url()), `the order did not lead to its confirmation page (${page.url()})`);
  const number = (await page.locator('.order-number').first().innerText()).trim();
  expect(/^[A-Z]{2}-\d{4}-\d{6}$/.test(number), `the confirmation shows no order number (“${number}”)`);
  const subOrders = await texts('section.sub-order');
  expect(subOrders.length === 2, `the confirmation shows ${subOrders.length} sub-orders, expected one per shop`);
  expect(subOrders.some((s) => /Retrait en boutique/i.test(s)), `no sub-order says click & collect: ${subOrders.join(' | ')}`);
  expect(subOrders.some((s) => /domicile/i.test(s) && /\d{1,2}[:h]\d{2}/.test(s)), `no sub-order says home delivery with its time slot: ${subOrders.join(' | ')}`);
  await expectMail(data, number, PLAN.contact.email);
  await onStep('confirmation');

  // 9. Tracking, from the confirmation's link.
  await Promise.all([page.waitForURL(/\/commande\/suivi\//), page.getByRole('link', { name: /suivi de votre commande/ }).click()]);
  expect((await page.locator('h1').innerText()).includes(number), 'the tracking page does not name the order');
  const statuses = await texts('.sub-order .status');
  expect(statuses.length === 2, `the tracking page shows ${statuses.length} statuses, expected one per shop`);
  await onStep('tracking');
  return { number, tracking: page.url() };
}

async function resultCount(page) {
  const text = await page.locator('.result-count').innerText();
  const match = /(\d+)/.exec(text.replace(/\s/g, ''));
  return match ? Number(match[1]) : 0;
}

async function addToCart(page, quantity) {
  const form = page.locator('form.add-to-cart');
  const select = form.locator('select');
  if (await select.count()) {
    const value = await select.locator('option:not([disabled])').first().getAttribute('value');
    await select.selectOption(value);
  }
  await form.locator('input[name=quantity]').fill(quantity);
  await Promise.all([page.waitForURL(/\/panier\?ajoute=/), form.locator('button[type=submit]').click()]);
}

/** Click & collect for the first shop; the earliest free home-delivery slot for the second. */
async function chooseDelivery(page) {
  const first = page.locator(`#livraison-${PLAN.facetShop.slug}`);
  await first.getByLabel(/Retrait en boutique/).check();
  const second = page.locator(`#livraison-${PLAN.secondShop.slug}`);
  const home = second.locator('details.mode', { has: page.locator('summary', { hasText: 'Livraison à domicile' }) });
  await home.locator('summary').click();
  await home.locator('input[type=radio]:not([disabled])').first().check();
}

async function fill(page, fields) {
  for (const [name, value] of Object.entries(fields)) await page.locator(`#${name}`).fill(value);
}

/** Sends the checkout form; the status of the page it leads to. */
async function submitOrder(page) {
  // The form posts to the URL it is on: wait for the new document, not for a URL.
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Valider la commande' }).click(),
  ]);
  return response.status();
}

async function expectVisible(page, selector, what) {
  try {
    await page.locator(selector).first().waitFor({ state: 'visible' });
  } catch {
    throw new Error(`${what} is not visible on ${page.url()}`);
  }
}

async function expectText(page, selector, text, what) {
  await expectVisible(page, selector, what);
  const shown = await page.locator(selector).first().innerText();
  expect(shown.includes(text), `${what}: “${shown.trim()}” does not name “${text}”`);
}

/** The confirmation e-mail for `number` reaches `<data>/outbox/` (polled, with a deadline). */
async function expectMail(data, number, email) {
  const outbox = join(data, 'outbox');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
    const mail = files.map((f) => readFileSync(join(outbox, f), 'utf8')).find((m) => m.includes(number) && m.includes(email));
    if (mail) return;
    if (Date.now() > deadline) throw new Error(`no e-mail to ${email} names order ${number} in ${outbox}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function unique(list) {
  return [...new Set(list)].join(', ');
}
