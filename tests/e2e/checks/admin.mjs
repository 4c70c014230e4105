// The association's side, on a desktop, as its staff would go: the link printed by
// `comptoir admin add` → choose a password → the console → create a new shop → open a
// relay point with two time slots → launch a −12 % offer for baskets from two shops → a
// shopper (on a phone) sees the offer in the cart, picks the new relay at checkout and
// orders → the day's deliveries list that order at the new relay → the figures page.
// Every step is asserted on what staff (or the shopper) see, and shown to `onStep`
// (screenshots, accessibility, HTML).

import { execFileSync } from 'node:child_process';
import { expect, poll } from '../lib/browser.mjs';

/** What the staff journey uses, in the demo town. */
export const STAFF = {
  email: 'lea@association-sceaux.fr',
  password: 'marché de noël 2026',
  shop: {
    name: 'Épicerie du Marché',
    slug: 'epicerie-du-marche',
    fields: {
      '#f-nom': 'Épicerie du Marché',
      '#f-description': 'Épicerie fine : huiles, conserves de la mer, thés.',
      '#f-telephone': '01 46 60 12 34',
      '#f-rue': '5 rue Florian',
      '#f-code_postal': '92330',
      '#f-ville': 'Sceaux',
      '#f-lat': '48.7772',
      '#f-lon': '2.2899',
      '#f-preparation': '30',
    },
  },
  relay: {
    name: 'Relais de la fromagerie du marché',
    fields: {
      '#f-nom': 'Relais de la fromagerie du marché',
      '#f-quartier': 'Centre-ville',
      '#f-rue': '9 rue Florian',
      '#f-code_postal': '92330',
      '#f-ville': 'Sceaux',
      '#f-lat': '48.7775',
      '#f-lon': '2.2905',
      '#f-frais': '1,20',
      '#f-capacite': '6',
      '#f-creneaux': '09:00-11:00, 16:00-18:00',
    },
  },
  offer: { name: 'Fête des commerçants', percent: '12', shops: '2' },
  basket: [
    { path: '/boutiques/chocolaterie-marguerite/tablette-chocolat-noir-72-perou-100-g/', quantity: '3' },
    { path: '/boutiques/boulangerie-aux-bles-dor/baguette-de-tradition/', quantity: '2' },
  ],
  shopper: { name: 'Paul Martin', email: 'paul.martin@exemple.fr', phone: '06 11 22 33 44' },
};

const fill = async (page, fields) => {
  for (const [selector, value] of Object.entries(fields)) await page.locator(selector).fill(value);
};
const mainText = async (page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

/** Runs the staff journey: `page` is the staff's (desktop), `shopper` a phone's. */
export async function staffJourney({ page, shopper, server, onStep }) {
  // 1. The account, made on the command line; staff choose a password.
  const printed = execFileSync(
    server.binary,
    ['admin', 'add', '--content', server.content, '--data', server.data, '--email', STAFF.email],
    { encoding: 'utf8' },
  );
  const link = /https?:\/\/\S+(\/espace-commercant\/mot-de-passe\/[0-9a-f]{64})/.exec(printed);
  expect(link, `admin add printed no password link: ${printed}`);
  await page.goto(link[1]);
  await page.locator('#f-password').fill(STAFF.password);
  await page.locator('#f-confirm').fill(STAFF.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /Enregistrer et me connecter/ }).click()]);
  expect((await page.goto('/admin/')).status() === 200, 'the console does not open for the new staff account');
  await onStep('staff-console');

  // 2. A new shop, offline until its merchant accepts the charter.
  await page.goto('/admin/boutiques/nouvelle');
  await fill(page, STAFF.shop.fields);
  await page.locator('input[name="livraison-click_collect"]').check();
  for (const hours of await page.locator('input[name^="horaires-"]').all()) await hours.fill('09:00-12:30, 15:00-19:00');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Créer la boutique' }).click()]);
  const created = await page.locator('.notice').first().innerText();
  expect(created.includes(`Boutique créée (${STAFF.shop.slug})`), `no shop created: ${created}`);
  await onStep('staff-new-shop');

  // 3. A relay point with two slots, published at once.
  await page.goto('/admin/livraison/points/nouveau');
  await page.locator('#f-type').selectOption('relay');
  await fill(page, STAFF.relay.fields);
  await onStep('staff-relay-form');
  await Promise.all([page.waitForNavigation(), page.locator('form button.button[type=submit]').first().click()]);
  const saved = await page.locator('.notice').first().innerText();
  expect(saved.includes('Enregistré'), `the relay point was not saved: ${saved}`);
  await page.goto('/admin/livraison');
  expect((await mainText(page)).includes(STAFF.relay.name), 'the network does not list the new relay point');
  await onStep('staff-network');

  // 4. An offer for baskets from two shops.
  await page.goto('/admin/offres');
  await page.locator('#type-multi_shop').check();
  await page.locator('#f-name').fill(STAFF.offer.name);
  await page.locator('#f-percent').fill(STAFF.offer.percent);
  await page.locator('#f-min_shops').fill(STAFF.offer.shops);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer l’offre' }).click()]);
  const offered = await page.locator('.notice').first().innerText();
  expect(offered.includes('Offre enregistrée'), `the offer was not saved: ${offered}`);
  await onStep('staff-offers');

  // 5. A shopper fills a cart from two shops: the new offer applies once published.
  for (const { path, quantity } of STAFF.basket) {
    expect((await shopper.goto(path)).status() === 200, `${path} is not online`);
    const form = shopper.locator('form.add-to-cart');
    const select = form.locator('select');
    if (await select.count()) {
      await select.selectOption(await select.locator('option:not([disabled])').first().getAttribute('value'));
    }
    await form.locator('input[name=quantity]').fill(quantity);
    await Promise.all([shopper.waitForURL(/\/panier\?ajoute=/), form.locator('button[type=submit]').click()]);
  }
  await poll(`the cart shows the −${STAFF.offer.percent} % offer`, async () => {
    await shopper.goto('/panier');
    return (await shopper.locator('section.offers').innerText()).includes(`${STAFF.offer.percent} %`);
  });

  // 6. At checkout, the new relay point is offered for the bakery's part.
  await Promise.all([shopper.waitForURL(/\/commande$/), shopper.getByRole('link', { name: 'Commander' }).click()]);
  await shopper.locator('#livraison-chocolaterie-marguerite').getByLabel(/Retrait en boutique/).check();
  const relay = shopper
    .locator('#livraison-boulangerie-aux-bles-dor details.mode')
    .filter({ has: shopper.locator('summary', { hasText: STAFF.relay.name }) });
  expect((await relay.count()) === 1, 'the checkout does not offer the new relay point');
  await relay.locator('summary').click();
  await relay.locator('input[type=radio]:not([disabled])').first().check();
  await fill(shopper, Object.fromEntries(Object.entries(STAFF.shopper).map(([k, v]) => [`#${k}`, v])));
  await Promise.all([shopper.waitForNavigation(), shopper.getByRole('button', { name: 'Valider la commande' }).click()]);
  const confirmation = await mainText(shopper);
  const number = /[A-Z]{2,}-\d{4}-\d{6}/.exec(confirmation)?.[0];
  expect(number, `no order number on the confirmation: ${confirmation.slice(0, 300)}`);
  expect(confirmation.includes('Remise'), `the confirmation shows no discount: ${confirmation.slice(0, 600)}`);

  // 7. The deliveries page lists the order at the new relay, on the slot's day.
  let day = null;
  for (let offset = 0; offset < 8 && !day; offset += 1) {
    const date = new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/admin/livraisons?jour=${date}`);
    const text = await mainText(page);
    if (text.includes(number)) {
      expect(text.includes(STAFF.relay.name), `${number} is listed, but not at the new relay point`);
      day = date;
    }
  }
  expect(day, `no day of the coming week lists order ${number}`);
  await onStep('staff-deliveries');

  // 8. The figures.
  expect((await page.goto('/admin/statistiques')).status() === 200, 'the figures page does not open');
  await onStep('staff-figures');
  return { number, day };
}
