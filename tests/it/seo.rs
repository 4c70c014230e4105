//! Every page type carries its SEO elements: language, unique title, description cut at a
//! word, absolute canonical, Open Graph, breadcrumbs, responsive images, JSON-LD.

use crate::helpers::{TestApp, attr, json_ld, json_ld_of, texts};
use axum::http::StatusCode;
use std::collections::HashMap;

const BASE: &str = "https://www.exemple-ville.fr";

/// The pages of the fixture, one per type, with their expected `og:type`.
const PAGES: [(&str, &str); 7] = [
    ("/", "website"),
    ("/boutiques/", "website"),
    ("/boutiques/boulangerie-du-parc/", "business.business"),
    ("/rayons/alimentation/", "website"),
    ("/rayons/alimentation/fromagerie/", "website"),
    ("/boutiques/fromagerie-des-ecoles/comte-18-mois/", "product"),
    ("/boutiques/boutique-marguerite/pull-marin/", "product"),
];

#[tokio::test]
async fn every_page_type_has_its_head_elements() {
    let app = TestApp::new();
    let mut titles = HashMap::new();
    for (path, og_type) in PAGES {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        let html = response.html();
        assert_eq!(attr(&html, "html", "lang").as_deref(), Some("fr"), "{path}");
        let title = texts(&html, "title").join("");
        assert!(!title.is_empty(), "{path} has a title");
        assert!(
            titles.insert(title.clone(), path).is_none(),
            "title {title:?} of {path} is not unique"
        );
        let description = attr(&html, r#"meta[name="description"]"#, "content").unwrap_or_default();
        assert!(
            (20..=160).contains(&description.chars().count()),
            "{path}: description {description:?}"
        );
        let canonical = attr(&html, r#"link[rel="canonical"]"#, "href").unwrap_or_default();
        assert_eq!(canonical, format!("{BASE}{path}"), "{path}");
        assert_eq!(
            attr(&html, r#"meta[property="og:url"]"#, "content").as_deref(),
            Some(canonical.as_str())
        );
        assert_eq!(
            attr(&html, r#"meta[property="og:title"]"#, "content").as_deref(),
            Some(title.as_str())
        );
        assert_eq!(
            attr(&html, r#"meta[property="og:type"]"#, "content").as_deref(),
            Some(og_type),
            "{path}"
        );
        let image = attr(&html, r#"meta[property="og:image"]"#, "content").unwrap_or_default();
        assert!(
            image.starts_with(BASE),
            "{path}: og:image {image:?} is absolute"
        );
        let served = app.get(image.trim_start_matches(BASE)).await;
        assert_eq!(
            (served.status, served.header("content-type")),
            (StatusCode::OK, "image/jpeg"),
            "{path}: og:image is served"
        );
        assert_scripts_are_data_only(&html, path);
        assert_images_are_responsive(&html, path);
        if path != "/" {
            assert_breadcrumbs(&html, path);
        }
    }
}

fn assert_scripts_are_data_only(html: &scraper::Html, path: &str) {
    let selector = scraper::Selector::parse("script").expect("selector");
    for script in html.select(&selector) {
        let e = script.value();
        let enhancement = e
            .attr("src")
            .is_some_and(|s| s.starts_with("/assets/search."))
            && e.attr("defer").is_some();
        assert!(
            e.attr("type") == Some("application/ld+json") || enhancement,
            "{path}: only JSON-LD and the deferred search enhancement, nothing a page needs"
        );
    }
}

fn assert_images_are_responsive(html: &scraper::Html, path: &str) {
    let selector = scraper::Selector::parse("main img").expect("selector");
    for img in html.select(&selector) {
        let e = img.value();
        for name in ["src", "srcset", "width", "height", "alt"] {
            assert!(e.attr(name).is_some(), "{path}: <img> without {name}");
        }
        let width: u32 = e.attr("width").and_then(|w| w.parse().ok()).unwrap_or(0);
        assert!(width > 0, "{path}: real width");
    }
}

fn assert_breadcrumbs(html: &scraper::Html, path: &str) {
    let visible = texts(html, "nav.breadcrumbs li");
    assert_eq!(
        visible.first().map(String::as_str),
        Some("Accueil"),
        "{path}: visible trail starts at home"
    );
    let list = json_ld_of(html, "BreadcrumbList");
    let items = list["itemListElement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        items.len(),
        visible.len(),
        "{path}: JSON-LD trail matches the visible one"
    );
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["position"], i + 1, "{path}: positions from 1");
        assert_eq!(item["name"], visible[i].as_str());
    }
    assert_eq!(
        items.last().map(|i| i["item"].clone()),
        Some(serde_json::json!(format!("{BASE}{path}")))
    );
}

#[tokio::test]
async fn product_json_ld_is_a_merchant_listing_with_one_offer() {
    let app = TestApp::new();
    let html = app
        .get("/boutiques/fromagerie-des-ecoles/comte-18-mois/")
        .await
        .html();
    let product = json_ld_of(&html, "Product");
    assert_eq!(product["name"], "Comté 18 mois");
    assert_eq!(product["sku"], "ecoles-comte-18");
    assert_eq!(product["gtin13"], "3760123450010");
    assert_eq!(product["brand"]["name"], "Fruitière de Mouthe");
    assert!(
        product["description"]
            .as_str()
            .is_some_and(|d| d.contains("fruité") && !d.contains("**"))
    );
    assert!(
        product["image"][0]
            .as_str()
            .is_some_and(|i| i.starts_with(BASE))
    );
    let offer = &product["offers"];
    assert_eq!(offer["@type"], "Offer", "one Offer, not an AggregateOffer");
    assert_eq!(
        (offer["price"].as_str(), offer["priceCurrency"].as_str()),
        (Some("6.90"), Some("EUR"))
    );
    assert_eq!(offer["availability"], "https://schema.org/InStock");
    assert_eq!(
        offer["url"],
        format!("{BASE}/boutiques/fromagerie-des-ecoles/comte-18-mois/")
    );
    assert_eq!(offer["seller"]["name"], "Fromagerie des Écoles");
    assert_eq!(offer["hasMerchantReturnPolicy"]["applicableCountry"], "FR");
    let shipping = offer["shippingDetails"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!shipping.is_empty(), "shipping details");
    assert!(
        shipping
            .iter()
            .all(|s| s["shippingDestination"]["addressCountry"] == "FR")
    );
}

#[tokio::test]
async fn sale_prices_show_the_strikethrough_price_and_out_of_stock_tells_the_truth() {
    let app = TestApp::new();
    let html = app
        .get("/boutiques/boulangerie-du-parc/baguette-tradition/")
        .await
        .html();
    let offer = json_ld_of(&html, "Product")["offers"].clone();
    assert_eq!(offer["price"], "1.10");
    assert_eq!(
        offer["priceSpecification"]["priceType"],
        "https://schema.org/StrikethroughPrice"
    );
    assert_eq!(offer["priceSpecification"]["price"], "1.30");
    assert_eq!(texts(&html, ".summary .price ins"), ["Prix soldé : 1,10 €"]);
    assert_eq!(
        texts(&html, ".summary .price del"),
        ["Prix normal : 1,30 €"]
    );

    let croissant = app
        .get("/boutiques/boulangerie-du-parc/croissant/")
        .await
        .html();
    assert_eq!(
        json_ld_of(&croissant, "Product")["offers"]["availability"],
        "https://schema.org/OutOfStock"
    );
    assert_eq!(texts(&croissant, ".availability"), ["Épuisé"]);
}

#[tokio::test]
async fn variants_are_a_product_group_with_colour_and_size() {
    let app = TestApp::new();
    let html = app
        .get("/boutiques/boutique-marguerite/pull-marin/")
        .await
        .html();
    let group = json_ld_of(&html, "ProductGroup");
    assert_eq!(group["productGroupID"], "marguerite-pull-marin");
    assert_eq!(
        group["variesBy"],
        serde_json::json!(["https://schema.org/color", "https://schema.org/size"])
    );
    let variants = group["hasVariant"].as_array().cloned().unwrap_or_default();
    assert_eq!(variants.len(), 3);
    let ecru = variants
        .iter()
        .find(|v| v["sku"] == "PULL-ECRU-M")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (ecru["color"].as_str(), ecru["size"].as_str()),
        (Some("écru"), Some("M"))
    );
    assert_eq!(ecru["offers"]["price"], "85.00", "a variant's own price");
    assert_eq!(variants[0]["gtin13"], "3760123450027");
    let marine_m = variants
        .iter()
        .find(|v| v["sku"] == "PULL-MARINE-M")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        marine_m["offers"]["availability"],
        "https://schema.org/OutOfStock"
    );
    assert_eq!(
        texts(&html, "table.variants tbody tr").len(),
        3,
        "variants are listed on the page"
    );
    let gallery = scraper::Selector::parse(".gallery img").expect("selector");
    assert_eq!(html.select(&gallery).count(), 2, "both photos");
}

#[tokio::test]
async fn shop_pages_are_the_most_specific_local_business() {
    let app = TestApp::new();
    let html = app.get("/boutiques/boulangerie-du-parc/").await.html();
    let shop = json_ld_of(&html, "Bakery");
    assert_eq!(shop["telephone"], "+33 1 46 61 22 33");
    assert_eq!(shop["address"]["postalCode"], "92330");
    assert_eq!(shop["address"]["addressCountry"], "FR");
    for key in ["latitude", "longitude"] {
        let value = shop["geo"][key].as_str().unwrap_or_default();
        let decimals = value.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals >= 5, "{key} {value} has at least five decimals");
    }
    let hours = shop["openingHoursSpecification"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let saturday = hours
        .iter()
        .find(|h| {
            h["dayOfWeek"]
                .as_array()
                .is_some_and(|d| d.contains(&"Saturday".into()))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (saturday["opens"].as_str(), saturday["closes"].as_str()),
        (Some("07:00"), Some("19:30"))
    );
    assert!(
        texts(&html, "table.hours td").contains(&"Fermé".to_owned()),
        "Monday shows closed"
    );
    let cheese = app.get("/boutiques/boutique-marguerite/").await.html();
    assert!(
        json_ld(&cheese)
            .iter()
            .any(|v| v["@type"] == "ClothingStore")
    );
}

#[tokio::test]
async fn home_describes_the_marketplace_with_its_policies() {
    let app = TestApp::new();
    let html = app.get("/").await.html();
    let store = json_ld_of(&html, "OnlineStore");
    assert_eq!(store["url"], format!("{BASE}/"));
    assert_eq!(store["hasMerchantReturnPolicy"]["merchantReturnDays"], 14);
    assert!(
        store["hasShippingService"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
    let links = texts(&html, "header nav a");
    assert!(links.contains(&"Alimentation".to_owned()) && links.contains(&"Boutiques".to_owned()));
}

#[tokio::test]
async fn meta_descriptions_are_cut_at_a_word_boundary() {
    let app = TestApp::new();
    let html = app
        .get("/boutiques/boulangerie-du-parc/baguette-tradition/")
        .await
        .html();
    let description = attr(&html, r#"meta[name="description"]"#, "content").unwrap_or_default();
    assert!(
        description.ends_with('…'),
        "the long description is cut: {description:?}"
    );
    let kept = description.trim_end_matches('…');
    let plain = "Une baguette au levain naturel, pétrie lentement et cuite sur la sole du four. Croûte craquante, mie alvéolée : elle se garde jusqu'au lendemain. Pour les grandes tablées";
    assert!(plain.starts_with(kept), "{kept:?} is a prefix of the text");
    assert!(
        plain[kept.len()..].starts_with([' ', ',', '.', ':']),
        "cut between words: {kept:?}"
    );
}

#[tokio::test]
async fn listings_paginate_with_their_own_canonical() {
    let app = TestApp::with_content(|content| {
        let options = comptoir_indexer::synthetic::Options {
            shops: 1,
            products: 120,
            seed: 7,
        };
        comptoir_indexer::synthetic::write(content, &options).expect("synthetic catalogue");
    });
    let base = "/rayons/alimentation/";
    let second = app.get(&format!("{base}?page=2")).await;
    assert_eq!(second.status, StatusCode::OK);
    let html = second.html();
    let canonical = attr(&html, r#"link[rel="canonical"]"#, "href").unwrap_or_default();
    assert!(
        canonical.ends_with("/rayons/alimentation/?page=2"),
        "{canonical}"
    );
    assert!(texts(&html, "title").join("").contains("page 2"));
    assert_eq!(
        attr(&html, r#"a[rel="prev"]"#, "href").as_deref(),
        Some(base)
    );
    assert_eq!(
        attr(&html, r#"a[rel="next"]"#, "href").as_deref(),
        Some("/rayons/alimentation/?page=3")
    );
    let first = app.get(&format!("{base}?page=1")).await;
    assert_eq!(
        (first.status, first.header("location")),
        (StatusCode::MOVED_PERMANENTLY, base)
    );
    assert_eq!(
        app.get(&format!("{base}?page=4")).await.status,
        StatusCode::NOT_FOUND,
        "120 products make 3 pages"
    );
    assert_eq!(
        app.get(&format!("{base}?page=abc")).await.status,
        StatusCode::NOT_FOUND
    );
}
