// The same purchase with the keyboard alone: Tab, Shift+Tab, Enter, Space, typing. On
// every page, the test tabs through the whole page first (focus must go through every
// stop and leave the page: no trap), and every element that takes the focus must show
// it (an outline or a shadow) and be on screen. The skip link must be the first stop,
// visible when focused, and lead into the content.

import { expect } from '../lib/browser.mjs';
import { PLAN } from './journey.mjs';

/** Presses allowed per tab stop of a page before the walk counts as stuck. */
const PRESSES_PER_STOP = 3;

/** Runs the keyboard purchase; returns the problems seen with focus (empty: none). */
export async function keyboardPurchase({ page, onStep }) {
  const focusProblems = new Map();
  const kb = new Keyboard(page, focusProblems);

  // Landing page: the skip link comes first, shows, and leads into the content.
  await page.goto(PLAN.landing, { referer: 'https://www.google.fr/' });
  await kb.walkWholePage('product page');
  await page.keyboard.press('Tab');
  const skip = await kb.focused();
  expect(skip.text === 'Aller au contenu', `the first Tab stop is “${skip.text}” (${skip.key}), not the skip link`);
  expect(skip.onScreen, 'the skip link stays off screen when focused');
  await page.keyboard.press('Enter');
  expect((await kb.focused()).id === 'contenu', 'the skip link does not move the focus to the content');
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => Boolean(document.activeElement.closest('main')));
  expect(inMain, 'after the skip link, Tab does not go on inside the content');
  await onStep('keyboard-skip-link');

  // Search with a typo, typed into the header's box; Enter searches.
  await kb.search(PLAN.typo);
  await kb.walkWholePage('search results');
  await kb.tabTo(`#f-boutique-${PLAN.facetShop.slug}`, 'the shop facet');
  await page.keyboard.press('Space');
  await kb.tabTo('aside.facets button[type=submit]', 'the Filtrer button');
  await Promise.all([page.waitForURL(/boutique=/), page.keyboard.press('Enter')]);
  await onStep('keyboard-search-filtered');

  // First shop's product, quantity typed, added.
  await kb.tabTo(`.cards a[href="${PLAN.firstProduct}"]`, 'the first product in the results');
  await Promise.all([page.waitForURL(`**${PLAN.firstProduct}`), page.keyboard.press('Enter')]);
  await kb.walkWholePage('product page');
  await kb.tabTo('#quantity', 'the quantity field');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await kb.tabTo('form.add-to-cart button[type=submit]', 'the add-to-cart button');
  await Promise.all([page.waitForURL(/\/panier\?ajoute=/), page.keyboard.press('Enter')]);

  // Second shop's product.
  await kb.search(PLAN.secondSearch);
  await kb.tabTo(`.cards a[href^="/boutiques/${PLAN.secondShop.slug}/"]`, `a product of ${PLAN.secondShop.name}`);
  await Promise.all([page.waitForURL(/\/boutiques\/[^/]+\/[^/]+\/$/), page.keyboard.press('Enter')]);
  await kb.tabTo('form.add-to-cart button[type=submit]', 'the add-to-cart button');
  await Promise.all([page.waitForURL(/\/panier\?ajoute=/), page.keyboard.press('Enter')]);
  await kb.walkWholePage('cart');
  expect(await page.locator('section.basket').count() === 2, 'the cart filled by keyboard does not hold two shops');
  await onStep('keyboard-cart');

  // Checkout: fields typed, one radio chosen per shop, a wrong e-mail first.
  await kb.tabTo('.cart-summary a.button', 'the Commander link');
  await Promise.all([page.waitForURL(/\/commande$/), page.keyboard.press('Enter')]);
  await kb.walkWholePage('checkout');
  await kb.typeInto('#name', PLAN.contact.name);
  await kb.typeInto('#email', PLAN.wrongEmail);
  await kb.typeInto('#phone', PLAN.contact.phone);
  await kb.tabTo(`#livraison-${PLAN.facetShop.slug} input[value^="click_collect|"]`, 'click & collect of the first shop');
  await page.keyboard.press('Space');
  // A shop's options are one radio group, a tab stop of its own; days and slots sit in
  // disclosures. Open home delivery, go back to the group and arrow down to its first slot.
  const group = `#livraison-${PLAN.secondShop.slug}`;
  await kb.tabTo(`${group} details.mode:has(input[data-address]) summary`, 'the home delivery disclosure of the second shop');
  await page.keyboard.press('Enter');
  await kb.tabTo(`${group} input[type=radio]`, 'the delivery choices of the second shop', 'Shift+Tab');
  await kb.arrowTo(`${group} input[value^="home|"]`, 'a home-delivery slot');
  expect(await page.evaluate(() => document.activeElement.checked), 'the arrow keys do not choose the home-delivery slot');
  await kb.typeInto('#street', PLAN.address.street);
  await kb.typeInto('#postcode', PLAN.address.postcode);
  await kb.typeInto('#city', PLAN.address.city);
  await kb.submitOrder();
  expect(await page.locator('.error-summary').isVisible(), 'the wrong e-mail was not reported');
  await kb.walkWholePage('checkout with errors');
  await onStep('keyboard-checkout-errors');

  // The error summary's link leads to the field; corrected, the order goes through.
  await kb.tabTo('.error-summary a[href="#email"]', 'the e-mail error in the summary');
  await page.keyboard.press('Enter');
  expect((await kb.focused()).id === 'email', 'the error summary link does not move the focus to the e-mail field');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(PLAN.contact.email);
  await kb.submitOrder();
  expect(/\/commande\/confirmation\//.test(page.url()), `the corrected order did not lead to its confirmation (${page.url()})`);
  await kb.walkWholePage('confirmation');
  await onStep('keyboard-confirmation');

  await kb.tabTo('main a[href^="/commande/suivi/"]', 'the tracking link');
  await Promise.all([page.waitForURL(/\/commande\/suivi\//), page.keyboard.press('Enter')]);
  await kb.walkWholePage('tracking');
  await onStep('keyboard-tracking');
  return [...focusProblems.values()];
}

/** Keyboard moves, with the focus checked at every stop. */
class Keyboard {
  constructor(page, problems) {
    this.page = page;
    this.problems = problems;
  }

  /** What has the focus: a key to tell elements apart, and how it shows. */
  async focused() {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { key: 'body', body: true };
      const path = [];
      for (let n = el; n && n !== document.body; n = n.parentElement) {
        path.unshift(`${n.tagName.toLowerCase()}:nth-child(${[...n.parentElement.children].indexOf(n) + 1})`);
      }
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const shadow = style.boxShadow !== 'none';
      const rect = el.getBoundingClientRect();
      const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
        && rect.top < innerHeight && rect.left < innerWidth;
      const label = el.labels?.[0]?.innerText ?? el.getAttribute('aria-label') ?? el.innerText ?? '';
      return {
        key: path.join(' > '),
        id: el.id,
        value: el.value,
        text: label.trim().replace(/\s+/g, ' ').slice(0, 60),
        tabindex: el.getAttribute('tabindex'),
        visibleFocus: outline || shadow,
        onScreen,
      };
    });
  }

  /** Records a problem with the element that has the focus, if it does not show it. */
  note(where, el) {
    if (el.body || el.tabindex === '-1') return;
    const what = `${where}: “${el.text}” (${el.key})`;
    if (!el.visibleFocus) this.problems.set(`focus ${el.key}`, `${what} shows no focus outline when focused`);
    if (!el.onScreen) this.problems.set(`screen ${el.key}`, `${what} is off screen when focused`);
  }

  async stops() {
    return this.page.evaluate(() => {
      const candidates = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]');
      return [...candidates].filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
        && !(el.type === 'hidden')).length;
    });
  }

  /**
   * Tabs from the top of the page until the focus leaves it: every stop is visited once
   * (a stop seen twice before leaving is a trap) and must show the focus.
   */
  async walkWholePage(where) {
    await this.page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    const max = (await this.stops()) * PRESSES_PER_STOP + 10;
    const seen = new Set();
    for (let i = 0; i < max; i += 1) {
      await this.page.keyboard.press('Tab');
      const el = await this.focused();
      if (el.body) {
        expect(seen.size > 0, `${where}: Tab never moves the focus into the page`);
        return;
      }
      if (seen.has(el.key)) {
        // Back at the first stop: the focus went round the whole page (no trap).
        if (seen.values().next().value === el.key) return;
        throw new Error(`${where}: keyboard trap — Tab comes back to “${el.text}” (${el.key}) after ${seen.size} stops without leaving the page`);
      }
      seen.add(el.key);
      this.note(where, el);
    }
    throw new Error(`${where}: the focus never left the page after ${max} presses of Tab`);
  }

  /** Tabs (round the page if needed) until `selector` has the focus. */
  async tabTo(selector, what, key = 'Tab') {
    const max = (await this.stops()) * PRESSES_PER_STOP + 10;
    for (let i = 0; i < max; i += 1) {
      if (await this.page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await this.page.keyboard.press(key);
      this.note(`tabbing to ${what}`, await this.focused());
    }
    throw new Error(`Tab never reaches ${what} (${selector}) on ${this.page.url()}`);
  }

  /** Moves through a radio group with ↓ until `selector` has the focus (and is chosen). */
  async arrowTo(selector, what) {
    const max = await this.page.evaluate(() => document.querySelectorAll('input[type=radio]').length);
    for (let i = 0; i <= max; i += 1) {
      if (await this.page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await this.page.keyboard.press('ArrowDown');
      this.note(`arrowing to ${what}`, await this.focused());
    }
    throw new Error(`the arrow keys never reach ${what} (${selector}) on ${this.page.url()}`);
  }

  async typeInto(selector, text) {
    await this.tabTo(selector, selector);
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
  }

  async search(query) {
    await this.typeInto('#q', query);
    await Promise.all([this.page.waitForURL(/\/recherche\?/), this.page.keyboard.press('Enter')]);
  }

  async submitOrder() {
    await this.tabTo('form.checkout button[type=submit]', 'the Valider la commande button');
    // The form posts to the URL it is on: wait for the new document, not for a URL.
    await Promise.all([this.page.waitForNavigation(), this.page.keyboard.press('Enter')]);
  }
}
