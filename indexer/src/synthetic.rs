//! A synthetic but realistic French catalogue of any size, in the `content/` format, for
//! tests and benchmarks at scale (`comptoir gen-catalogue`). The same seed writes the same
//! catalogue.

use crate::slug::slugify;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of shops.
    pub shops: usize,
    /// Number of products, spread evenly over the shops.
    pub products: usize,
    /// Generator seed.
    pub seed: u64,
}

/// Pictures generated per shop and shared by its products.
const IMAGES_PER_SHOP: usize = 6;
/// Side of generated pictures, in pixels.
const IMAGE_SIDE: u32 = 600;

/// One trade: key, aisle (slug, name, parent), shop names, product nouns, qualifiers, variant kind.
struct Trade {
    key: &'static str,
    aisle: (&'static str, &'static str, &'static str),
    shop_names: &'static [&'static str],
    nouns: &'static [&'static str],
    qualifiers: &'static [&'static str],
    sizes: &'static [&'static str],
    price_range: (u32, u32),
    post: bool,
}

const TOP: [(&str, &str); 5] = [
    ("alimentation", "Alimentation"),
    ("cave", "Cave et boissons"),
    ("culture", "Livres et papeterie"),
    ("mode", "Mode et chaussures"),
    ("maison", "Maison, jardin et loisirs"),
];

const TRADES: [Trade; 12] = [
    Trade {
        key: "bakery",
        aisle: ("boulangerie", "Boulangerie", "alimentation"),
        shop_names: &["Boulangerie du Marché", "Au Pain Doré", "Le Fournil"],
        nouns: &[
            "Baguette",
            "Pain de campagne",
            "Croissant",
            "Pain au chocolat",
            "Brioche",
            "Fougasse",
            "Chausson aux pommes",
            "Tarte",
            "Éclair",
            "Pain de seigle",
        ],
        qualifiers: &[
            "au levain",
            "pur beurre",
            "bio",
            "aux noix",
            "maison",
            "à l'ancienne",
            "complet",
            "aux figues",
            "aux céréales",
            "tradition",
        ],
        sizes: &[],
        price_range: (90, 2800),
        post: false,
    },
    Trade {
        key: "cheese",
        aisle: ("fromagerie", "Fromagerie", "alimentation"),
        shop_names: &["Fromagerie des Écoles", "La Cave à Fromages"],
        nouns: &[
            "Comté",
            "Brie de Meaux",
            "Camembert",
            "Saint-nectaire",
            "Roquefort",
            "Crottin de Chavignol",
            "Beaufort",
            "Tomme de Savoie",
            "Reblochon",
            "Morbier",
        ],
        qualifiers: &[
            "fermier",
            "au lait cru",
            "affiné 12 mois",
            "affiné 18 mois",
            "AOP",
            "de montagne",
            "à la coupe",
            "bio",
            "demi-sel",
            "extra",
        ],
        sizes: &[],
        price_range: (350, 4500),
        post: false,
    },
    Trade {
        key: "butcher",
        aisle: ("boucherie", "Boucherie", "alimentation"),
        shop_names: &["Boucherie Houdan", "Maison Carnot"],
        nouns: &[
            "Entrecôte",
            "Rôti de porc",
            "Gigot d'agneau",
            "Bœuf bourguignon",
            "Saucisses",
            "Poulet fermier",
            "Côte de veau",
            "Terrine",
            "Jambon blanc",
            "Pâté en croûte",
        ],
        qualifiers: &[
            "Label rouge",
            "fermier",
            "maison",
            "d'Auvergne",
            "du Limousin",
            "aux herbes",
            "à l'ancienne",
            "bio",
            "de Bretagne",
            "fumé",
        ],
        sizes: &[],
        price_range: (450, 6000),
        post: false,
    },
    Trade {
        key: "greengrocer",
        aisle: ("fruits-legumes", "Fruits et légumes", "alimentation"),
        shop_names: &["Primeur des Blagis", "Le Panier Vert"],
        nouns: &[
            "Pommes",
            "Poires",
            "Carottes",
            "Tomates",
            "Courgettes",
            "Poireaux",
            "Clémentines",
            "Salade",
            "Champignons",
            "Pommes de terre",
        ],
        qualifiers: &[
            "bio",
            "de saison",
            "d'Île-de-France",
            "en vrac",
            "du Val de Loire",
            "de Corse",
            "anciennes",
            "nouvelles",
            "de plein champ",
            "extra",
        ],
        sizes: &[],
        price_range: (120, 900),
        post: false,
    },
    Trade {
        key: "wine",
        aisle: ("vins", "Vins", "cave"),
        shop_names: &["La Cave de Sceaux", "Vins et Terroirs"],
        nouns: &[
            "Bourgogne rouge",
            "Côtes-du-Rhône",
            "Bordeaux supérieur",
            "Crémant d'Alsace",
            "Chablis",
            "Sancerre",
            "Champagne brut",
            "Muscadet",
            "Saint-émilion",
            "Beaujolais",
        ],
        qualifiers: &[
            "2019",
            "2020",
            "2021",
            "2022",
            "bio",
            "vieilles vignes",
            "cuvée prestige",
            "magnum",
            "nature",
            "grand cru",
        ],
        sizes: &[],
        price_range: (650, 8500),
        post: true,
    },
    Trade {
        key: "books",
        aisle: ("livres", "Livres", "culture"),
        shop_names: &["Librairie Florian", "Le Livre Ouvert"],
        nouns: &[
            "Roman",
            "Bande dessinée",
            "Album jeunesse",
            "Guide de randonnée",
            "Livre de cuisine",
            "Recueil de poèmes",
            "Essai",
            "Polar",
            "Manga",
            "Atlas",
        ],
        qualifiers: &[
            "illustré",
            "édition poche",
            "grand format",
            "collector",
            "dédicacé",
            "édition de luxe",
            "tome 1",
            "tome 2",
            "nouvelle édition",
            "coup de cœur",
        ],
        sizes: &[],
        price_range: (690, 4500),
        post: true,
    },
    Trade {
        key: "florist",
        aisle: ("fleurs", "Fleurs et plantes", "maison"),
        shop_names: &["Les Fleurs de Penthièvre", "L'Atelier Floral"],
        nouns: &[
            "Bouquet de roses",
            "Pivoines",
            "Orchidée",
            "Bouquet de saison",
            "Tulipes",
            "Plante verte",
            "Couronne",
            "Composition",
            "Lys",
            "Renoncules",
        ],
        qualifiers: &[
            "blanches",
            "rouges",
            "champêtre",
            "en pot",
            "XL",
            "rose poudré",
            "du jardin",
            "sechées",
            "parfumées",
            "pastel",
        ],
        sizes: &[],
        price_range: (1200, 9000),
        post: false,
    },
    Trade {
        key: "clothes",
        aisle: ("vetements", "Vêtements", "mode"),
        shop_names: &["Boutique Marguerite", "L'Étoffe", "Maison Lin"],
        nouns: &[
            "Écharpe",
            "Pull marin",
            "Chemise",
            "Robe",
            "Veste",
            "Pantalon",
            "Cardigan",
            "T-shirt",
            "Manteau",
            "Bonnet",
        ],
        qualifiers: &[
            "en laine",
            "en lin",
            "en coton bio",
            "rayé",
            "en cachemire",
            "à col rond",
            "oversize",
            "ajusté",
            "en velours",
            "imprimé fleuri",
        ],
        sizes: &["S", "M", "L", "XL"],
        price_range: (1900, 18000),
        post: true,
    },
    Trade {
        key: "shoes",
        aisle: ("chaussures", "Chaussures", "mode"),
        shop_names: &["Chaussures Robinson", "Le Bon Pied"],
        nouns: &[
            "Bottines",
            "Baskets",
            "Mocassins",
            "Sandales",
            "Derbies",
            "Chaussons",
            "Bottes",
            "Escarpins",
            "Chaussures enfant",
            "Espadrilles",
        ],
        qualifiers: &[
            "en cuir",
            "en daim",
            "vegan",
            "montantes",
            "à lacets",
            "fourrées",
            "légères",
            "imperméables",
            "à scratch",
            "en toile",
        ],
        sizes: &["36", "38", "40", "42", "44"],
        price_range: (2500, 16000),
        post: true,
    },
    Trade {
        key: "toys",
        aisle: ("jouets", "Jouets", "maison"),
        shop_names: &["Le Coffre à Jouets", "Billes et Toupies"],
        nouns: &[
            "Puzzle",
            "Peluche",
            "Jeu de société",
            "Toupie",
            "Poupée",
            "Train en bois",
            "Cerf-volant",
            "Jeu de construction",
            "Dînette",
            "Marionnette",
        ],
        qualifiers: &[
            "en bois",
            "1000 pièces",
            "pour les petits",
            "coopératif",
            "fabriqué en France",
            "géant",
            "magnétique",
            "de voyage",
            "éducatif",
            "musical",
        ],
        sizes: &[],
        price_range: (500, 6000),
        post: true,
    },
    Trade {
        key: "hardware",
        aisle: ("bricolage", "Bricolage", "maison"),
        shop_names: &["Quincaillerie Centrale", "Outils et Cie"],
        nouns: &[
            "Tournevis",
            "Marteau",
            "Ampoule LED",
            "Boîte à outils",
            "Pinceau",
            "Cadenas",
            "Ruban adhésif",
            "Clés Allen",
            "Scie",
            "Mètre ruban",
        ],
        qualifiers: &[
            "professionnel",
            "compact",
            "de précision",
            "E27",
            "GU10",
            "multifonction",
            "inox",
            "lot de 6",
            "ergonomique",
            "5 m",
        ],
        sizes: &[],
        price_range: (250, 5500),
        post: true,
    },
    Trade {
        key: "optician",
        aisle: ("optique", "Optique", "mode"),
        shop_names: &["Optique des Écoles"],
        nouns: &[
            "Lunettes de soleil",
            "Monture",
            "Étui à lunettes",
            "Lunettes de lecture",
            "Cordon",
            "Lingettes",
            "Lunettes enfant",
            "Loupe",
            "Masque de ski",
            "Spray nettoyant",
        ],
        qualifiers: &[
            "polarisées",
            "en acétate",
            "titane",
            "ronde",
            "papillon",
            "écaille",
            "bleue",
            "+1,5",
            "+2",
            "légère",
        ],
        sizes: &[],
        price_range: (500, 22000),
        post: true,
    },
];

const STREETS: [&str; 8] = [
    "rue Houdan",
    "rue des Écoles",
    "rue Florian",
    "avenue de la Gare",
    "rue de Penthièvre",
    "rue Marguerite Renaudin",
    "avenue Raymond Poincaré",
    "place du Général de Gaulle",
];
const COLORS: [&str; 5] = ["bleu marine", "rouge", "écru", "noir", "vert sapin"];
const PHRASES: [&str; 8] = [
    "Sélectionné avec soin par votre commerçant de quartier.",
    "Un incontournable de la maison, apprécié des habitués.",
    "Fabriqué dans le respect des savoir-faire traditionnels.",
    "Idéal pour offrir ou pour se faire plaisir.",
    "À retirer en boutique ou à recevoir chez vous.",
    "Conseil du commerçant : demandez-nous comment bien le choisir.",
    "Disponible en quantité limitée selon les arrivages.",
    "Produit suivi, de l'atelier jusqu'à votre panier.",
];

/// A small, seedable pseudo-random generator (SplitMix64); enough for synthetic data
/// and benchmark mixes.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % n.max(1) as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Writes a catalogue of `options.shops` shops and `options.products` products into `out`.
///
/// # Errors
///
/// When `out` is not empty or a file cannot be written.
pub fn write(out: &Path, options: &Options) -> std::io::Result<()> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(std::io::Error::other(
            "the output folder is not empty; choose a new one",
        ));
    }
    fs::create_dir_all(out.join("shops"))?;
    fs::write(out.join("town.toml"), TOWN)?;
    fs::write(out.join("categories.toml"), categories())?;
    let mut rng = Rng(options.seed);
    let shops = options.shops.max(1);
    for s in 0..shops {
        let count = options.products / shops + usize::from(s < options.products % shops);
        write_shop(out, s, count, &mut rng)?;
    }
    Ok(())
}

fn categories() -> String {
    let mut text = String::new();
    for (slug, name) in TOP {
        let _ = writeln!(
            text,
            "[[category]]\nslug = \"{slug}\"\nname = \"{name}\"\ndescription = \"{name} des commerces de la ville.\"\n"
        );
    }
    for trade in &TRADES {
        let (slug, name, parent) = trade.aisle;
        let _ = writeln!(
            text,
            "[[category]]\nslug = \"{slug}\"\nparent = \"{parent}\"\nname = \"{name}\"\ndescription = \"{name} : le choix des commerçants indépendants.\"\n"
        );
    }
    text
}

fn write_shop(out: &Path, index: usize, products: usize, rng: &mut Rng) -> std::io::Result<()> {
    let trade = &TRADES[index % TRADES.len()];
    let name = format!(
        "{} {}",
        trade.shop_names[(index / TRADES.len()) % trade.shop_names.len()],
        index + 1
    );
    let slug = slugify(&name);
    let dir = out.join("shops").join(&slug);
    fs::create_dir_all(dir.join("products"))?;
    fs::create_dir_all(dir.join("images"))?;
    for i in 0..IMAGES_PER_SHOP {
        picture(index * IMAGES_PER_SHOP + i)
            .save(dir.join("images").join(format!("photo-{i}.jpg")))
            .map_err(std::io::Error::other)?;
    }
    let delivery = if trade.post {
        r#"["click_collect", "locker", "relay", "home", "post"]"#
    } else {
        r#"["click_collect", "locker", "relay", "home"]"#
    };
    let street = STREETS[index % STREETS.len()];
    let shop = format!(
        "name = \"{name}\"\ntrade = \"{}\"\ndescription = \"{} : commerce indépendant au {} {street}, au service du quartier depuis {}.\"\nphone = \"01 46 60 {:02} {:02}\"\n\
         charter_signed = 2025-0{}-1{}\ndelivery = {delivery}\npreparation_minutes = {}\nupdated = 2026-10-0{}\n\n\
         [address]\nstreet = \"{} {street}\"\npostcode = \"92330\"\ncity = \"Sceaux\"\n\n[geo]\nlat = 48.77{:03}\nlon = 2.29{:03}\n\n\
         [hours]\ntuesday = [\"09:00-12:30\", \"14:30-19:00\"]\nwednesday = [\"09:00-12:30\", \"14:30-19:00\"]\nthursday = [\"09:00-12:30\", \"14:30-19:00\"]\n\
         friday = [\"09:00-12:30\", \"14:30-19:00\"]\nsaturday = [\"09:00-19:00\"]\n",
        trade.key,
        trade.aisle.1,
        index + 1,
        1950 + index % 70,
        index % 100,
        (index * 7) % 100,
        1 + index % 9,
        index % 10,
        15 + 15 * (index % 4),
        1 + index % 9,
        index + 1,
        rng.below(1000),
        rng.below(1000),
    );
    fs::write(dir.join("shop.toml"), shop)?;
    for p in 0..products {
        let (file, text) = product(&slug, trade, p, rng);
        fs::write(dir.join("products").join(file), text)?;
    }
    Ok(())
}

fn product(shop: &str, trade: &Trade, index: usize, rng: &mut Rng) -> (String, String) {
    let title = format!("{} {}", rng.pick(trade.nouns), rng.pick(trade.qualifiers));
    let slug = format!("{}-{}", slugify(&title), index + 1);
    let (low, high) = trade.price_range;
    let cents = (low + u32::try_from(rng.below((high - low) as usize)).unwrap_or(0)) / 10 * 10;
    let mut text = format!(
        "+++\nid = \"{shop}-{}\"\ntitle = \"{title}\"\nprice = \"{}.{:02}\"\ncategory = \"{}\"\ntags = [\"{}\", \"{}\"]\nweight = {}\nstock = {}\n\
         images = [\"photo-{}.jpg\"]\ncreated = 2025-{:02}-{:02}\nupdated = 2026-{:02}-{:02}\n",
        index + 1,
        cents / 100,
        cents % 100,
        trade.aisle.0,
        slugify(trade.aisle.1),
        trade.key,
        100 + rng.below(1900),
        rng.below(40),
        index % IMAGES_PER_SHOP,
        1 + rng.below(12),
        1 + rng.below(28),
        1 + rng.below(10),
        1 + rng.below(28),
    );
    if rng.below(10) == 0 {
        let sale = cents * 8 / 10 / 10 * 10;
        let _ = write!(
            text,
            "\n[sale]\nprice = \"{}.{:02}\"\nfrom = 2026-01-01\nuntil = 2027-12-31\n",
            sale / 100,
            sale % 100
        );
    }
    for size in trade.sizes {
        let color = COLORS[index % COLORS.len()];
        let _ = write!(
            text,
            "\n[[variants]]\nsku = \"{shop}-{}-{}-{size}\"\ncolor = \"{color}\"\nsize = \"{size}\"\nstock = {}\n",
            index + 1,
            slugify(color),
            rng.below(8)
        );
    }
    let _ = write!(
        text,
        "+++\n{title} : {} {}\n\n{}\n",
        rng.pick(&PHRASES),
        rng.pick(&PHRASES),
        rng.pick(&PHRASES)
    );
    (format!("{slug}.md"), text)
}

/// A soft two-colour picture, different for each `n`.
fn picture(n: usize) -> image::RgbImage {
    let hue = u8::try_from((n * 37) % 200).unwrap_or(0);
    image::RgbImage::from_fn(IMAGE_SIDE, IMAGE_SIDE, |x, y| {
        let band = u8::try_from(((x + y) / 40) % 2).unwrap_or(0) * 18;
        image::Rgb([
            200u8.saturating_sub(hue / 2) + band,
            150 + hue / 4,
            120 + hue / 3,
        ])
    })
}

const TOWN: &str = r#"name = "Sceaux"
site_name = "Sceaux Boutiques"
base_url = "https://www.sceaux-boutiques.fr"
tagline = "Les commerces de Sceaux, en ligne"
description = "Commandez chez les commerçants indépendants de Sceaux : retrait en boutique, consigne, points relais, livraison ou envoi."
email = "contact@sceaux-boutiques.fr"
phone = "01 41 13 33 00"
postcodes = ["92330"]
return_days = 14

[address]
street = "122 rue Houdan"
postcode = "92330"
city = "Sceaux"

[[delivery_points]]
id = "consigne-robinson"
kind = "locker"
name = "Consigne automatique de la gare de Robinson"
neighbourhood = "Robinson"
street = "Place de la Gare"
postcode = "92330"
city = "Sceaux"
geo = { lat = 48.77964, lon = 2.28152 }
fee = "1.90"
capacity = 60

[[delivery_points]]
id = "relais-blagis"
kind = "relay"
name = "Relais des Blagis"
neighbourhood = "Les Blagis"
street = "12 avenue Jean Perrin"
postcode = "92330"
city = "Sceaux"
geo = { lat = 48.77231, lon = 2.30012 }
fee = "0.90"
capacity = 10
slots = ["10:00-12:00", "17:00-19:30"]

[home_delivery]
fee = "4.90"
free_from = "60.00"
capacity = 8
slots = ["10:00-12:00", "17:00-19:30"]

[postal]
days_min = 2
days_max = 4
bands = [
  { up_to_grams = 500, price = "5.90" },
  { up_to_grams = 2000, price = "8.90" },
  { up_to_grams = 30000, price = "16.90" },
]
"#;
