// Structured data, on every product and shop page the sitemaps list: each JSON-LD block
// parses as strict JSON; a product page has what Google requires for merchant listings
// (name, image, one Offer with a price above 0 in EUR and a schema.org availability,
// for the product or for each variant of a ProductGroup); a shop page's LocalBusiness
// has a postal address and coordinates. Pictures named in JSON-LD must be served.

import { mapLimit, sitemapPages } from '../lib/site.mjs';

/** schema.org subtypes of LocalBusiness a shop may be drawn as. */
const LOCAL_BUSINESS = new Set([
  'LocalBusiness', 'Store', 'Bakery', 'BookStore', 'ClothingStore', 'Florist', 'GroceryStore',
  'LiquorStore', 'ShoeStore', 'ToyStore', 'HardwareStore', 'JewelryStore', 'SportingGoodsStore',
  'OfficeEquipmentStore', 'HomeGoodsStore', 'GardenStore', 'ConvenienceStore', 'DepartmentStore',
  'ElectronicsStore', 'FurnitureStore', 'HobbyShop', 'MensClothingStore', 'MusicStore', 'OutletStore',
  'PetStore', 'WholesaleStore', 'CafeOrCoffeeShop', 'Restaurant', 'FoodEstablishment', 'HealthAndBeautyBusiness',
  'Optician', 'BeautySalon',
]);

const PRODUCT_PAGE = /^\/boutiques\/[^/]+\/[^/]+\/$/;
const SHOP_PAGE = /^\/boutiques\/[^/]+\/$/;

export async function structuredProblems(origin) {
  const pages = (await sitemapPages(origin)).map((url) => new URL(url).pathname);
  const products = pages.filter((p) => PRODUCT_PAGE.test(p));
  const shops = pages.filter((p) => SHOP_PAGE.test(p));
  const problems = [];
  if (products.length === 0) problems.push('the sitemaps list no product page');
  if (shops.length === 0) problems.push('the sitemaps list no shop page');
  const images = new Set();
  await mapLimit([...products, ...shops], 16, async (path) => {
    const html = await (await fetch(origin + path)).text();
    const blocks = jsonLd(html, path, problems);
    const found = PRODUCT_PAGE.test(path) ? checkProduct(blocks, path, problems) : checkShop(blocks, path, problems);
    for (const image of found) images.add(image);
  });
  await mapLimit([...images], 16, async (url) => {
    const response = await fetch(url, { method: 'HEAD' });
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('image/')) problems.push(`JSON-LD image ${url} answers ${response.status} ${type}`);
  });
  process.stdout.write(`  ${products.length} product pages, ${shops.length} shop pages, ${images.size} pictures checked\n`);
  return problems;
}

/** The JSON-LD objects of `html`, each block parsed strictly. */
function jsonLd(html, path, problems) {
  const blocks = [];
  for (const match of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    try {
      blocks.push(JSON.parse(match[1]));
    } catch (error) {
      problems.push(`${path}: a JSON-LD block is not valid JSON (${error.message})`);
    }
  }
  return blocks;
}

function checkProduct(blocks, path, problems) {
  const items = blocks.filter((b) => b['@type'] === 'Product' || b['@type'] === 'ProductGroup');
  if (items.length !== 1) {
    problems.push(`${path}: ${items.length} Product/ProductGroup objects in JSON-LD, expected one`);
    return [];
  }
  const [item] = items;
  const say = (what) => problems.push(`${path}: ${what}`);
  if (item['@context'] !== 'https://schema.org') say(`@context is ${JSON.stringify(item['@context'])}`);
  const images = checkNameAndImage(item, item['@type'], say);
  if (item['@type'] === 'Product') {
    checkOffer(item.offers, 'the product', say);
  } else {
    const variants = Array.isArray(item.hasVariant) ? item.hasVariant : [];
    if (variants.length === 0) say('the ProductGroup has no hasVariant');
    for (const variant of variants) {
      const what = `variant ${variant.sku ?? variant.name}`;
      if (variant['@type'] !== 'Product') say(`${what} is a ${variant['@type']}, not a Product`);
      images.push(...checkNameAndImage(variant, what, say));
      checkOffer(variant.offers, what, say);
    }
  }
  return images;
}

function checkNameAndImage(item, what, say) {
  if (typeof item.name !== 'string' || item.name.trim() === '') say(`${what} has no name`);
  const images = (Array.isArray(item.image) ? item.image : [item.image]).filter((i) => i !== undefined);
  if (images.length === 0) say(`${what} has no image`);
  for (const image of images) {
    if (typeof image !== 'string' || !/^https?:\/\//.test(image)) say(`${what} has an image that is not an absolute URL: ${JSON.stringify(image)}`);
  }
  return images.filter((i) => typeof i === 'string');
}

function checkOffer(offers, what, say) {
  const list = Array.isArray(offers) ? offers : offers ? [offers] : [];
  if (list.length !== 1) {
    say(`${what} has ${list.length} offers, expected one Offer`);
    return;
  }
  const [offer] = list;
  if (offer['@type'] !== 'Offer') say(`${what}'s offer is a ${offer['@type']}, not an Offer`);
  const price = typeof offer.price === 'number' ? offer.price : /^\d+(\.\d+)?$/.test(offer.price ?? '') ? Number(offer.price) : NaN;
  if (!(price > 0)) say(`${what}'s offer has no price above 0 (${JSON.stringify(offer.price)})`);
  if (offer.priceCurrency !== 'EUR') say(`${what}'s offer is not in EUR (${JSON.stringify(offer.priceCurrency)})`);
  if (typeof offer.availability !== 'string' || !/^https:\/\/schema\.org\/[A-Za-z]+$/.test(offer.availability)) {
    say(`${what}'s offer has no schema.org availability URL (${JSON.stringify(offer.availability)})`);
  }
}

function checkShop(blocks, path, problems) {
  const say = (what) => problems.push(`${path}: ${what}`);
  const shops = blocks.filter((b) => LOCAL_BUSINESS.has(b['@type']));
  if (shops.length !== 1) {
    say(`${shops.length} LocalBusiness objects in JSON-LD (types: ${blocks.map((b) => b['@type']).join(', ')}), expected one`);
    return [];
  }
  const [shop] = shops;
  const address = shop.address ?? {};
  if (address['@type'] !== 'PostalAddress') say('the LocalBusiness has no PostalAddress');
  for (const field of ['streetAddress', 'postalCode', 'addressLocality', 'addressCountry']) {
    if (typeof address[field] !== 'string' || address[field].trim() === '') say(`the LocalBusiness address has no ${field}`);
  }
  const geo = shop.geo ?? {};
  const lat = Number(geo.latitude);
  const lon = Number(geo.longitude);
  if (geo['@type'] !== 'GeoCoordinates') say('the LocalBusiness has no GeoCoordinates');
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180) || geo.latitude === undefined || geo.longitude === undefined) {
    say(`the LocalBusiness coordinates are not a latitude and a longitude (${JSON.stringify(geo)})`);
  }
  if (typeof shop.name !== 'string' || shop.name.trim() === '') say('the LocalBusiness has no name');
  return typeof shop.image === 'string' ? [shop.image] : [];
}
