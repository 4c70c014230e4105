// One page of each type the demo town serves without a cart, with the status it answers
// (200 unless said); the cart, checkout, confirmation and tracking pages come from the
// journeys (they need a session).

export const STATIC_PAGES = [
  { type: 'home', path: '/' },
  { type: 'shops', path: '/boutiques/' },
  { type: 'shop', path: '/boutiques/chocolaterie-marguerite/' },
  { type: 'aisle', path: '/rayons/alimentation/' },
  { type: 'aisle (page 2)', path: '/rayons/alimentation/?page=2' },
  { type: 'sub-aisle', path: '/rayons/alimentation/fromagerie/' },
  { type: 'product', path: '/boutiques/boulangerie-aux-bles-dor/baguette-de-tradition/' },
  { type: 'product with variants', path: '/boutiques/bijouterie-lakanal/bague-solitaire-en-argent-925/' },
  { type: 'search with facets', path: '/recherche?q=chocolet&boutique=chocolaterie-marguerite&stock=1' },
  { type: 'search with a typo', path: '/recherche?q=tisanne' },
  { type: 'search finding nothing', path: '/recherche?q=zzzzqqq' },
  { type: 'search refused', path: '/recherche?q=pain&prix_min=abc', status: 400 },
  { type: 'empty cart', path: '/panier' },
  { type: 'not found', path: '/boutiques/nulle-part/', status: 404 },
];

/** The pages the issue names for Lighthouse, with the scores they must reach. */
export const LIGHTHOUSE_PAGES = [
  { type: 'home', path: '/' },
  { type: 'aisle', path: '/rayons/alimentation/' },
  { type: 'product', path: '/boutiques/boulangerie-aux-bles-dor/baguette-de-tradition/' },
];
