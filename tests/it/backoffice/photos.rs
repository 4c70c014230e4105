//! Product photos over HTTP: a phone's JPEG with EXIF location and orientation goes in,
//! upright pictures without metadata come out in every served variant; files that are not
//! photos or too large are refused in French with nothing written; reordering and alt
//! texts reach the file and the product page; another shop's product is a 404.

use super::{BAKERY, CLOTHES, MerchantClient, Part, until, watching_app};
use crate::helpers::{TestApp, attrs};
use axum::http::StatusCode;
use image::{ImageFormat, RgbImage};
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

const PULL: &str = "marguerite-pull-marin";
const PULL_PAGE: &str = "/boutiques/boutique-marguerite/pull-marin/";
const PULL_FILE: &str = "shops/boutique-marguerite/products/pull-marin.md";

fn photos(id: &str) -> String {
    format!("/espace-commercant/produits/{id}/photos")
}

fn upload_path(id: &str) -> String {
    format!("/espace-commercant/produits/{id}/photos/ajout")
}

/// A `width` × `height` JPEG: left half red, right half blue.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut bytes, ImageFormat::Jpeg)
        .expect("encode JPEG");
    bytes.into_inner()
}

/// `jpeg` with an APP1 Exif segment after its SOI, as a phone writes it: IFD0 with
/// Orientation = 6 (turn 90° clockwise to view) and a GPS IFD with latitude 48°46'N.
fn phone_photo(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    for (tag, kind, value) in [(0x0112u16, 3u16, 6u32), (0x8825, 4, 38)] {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(kind.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(value.to_le_bytes());
    }
    tiff.extend(0u32.to_le_bytes());
    // GPS IFD at 38: GPSLatitudeRef "N", GPSLatitude 48/1 46/1 0/1 (rationals at 68).
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([1u16.to_le_bytes(), 2u16.to_le_bytes()].concat());
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend([2u16.to_le_bytes(), 5u16.to_le_bytes()].concat());
    tiff.extend(3u32.to_le_bytes());
    tiff.extend(68u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    for (numerator, denominator) in [(48u32, 1u32), (46, 1), (0, 1)] {
        tiff.extend(numerator.to_le_bytes());
        tiff.extend(denominator.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(
        u16::try_from(app1.len() + 2)
            .expect("short segment")
            .to_be_bytes(),
    );
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every file of the content folder with its bytes: "nothing written" is this unchanged.
fn snapshot(app: &TestApp) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![app.content.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).expect("read"));
            }
        }
    }
    files
}

fn images_line(app: &TestApp) -> String {
    let text = fs::read_to_string(app.content.join(PULL_FILE)).expect("product file");
    text.lines()
        .find(|l| l.starts_with("images = "))
        .unwrap_or_default()
        .to_owned()
}

/// The alt texts of the product page's pictures, in order.
async fn gallery_alts(app: &TestApp) -> Vec<String> {
    let page = app.get(PULL_PAGE).await;
    attrs(&page.html(), ".gallery img", "alt")
}

#[tokio::test]
async fn a_phone_photo_is_served_upright_without_its_location() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, CLOTHES).await;
    let taken = phone_photo(&jpeg(800, 400));
    assert!(contains(&taken, b"Exif") && contains(&taken, &[0x25, 0x88]));
    let png = {
        let mut bytes = std::io::Cursor::new(Vec::new());
        RgbImage::new(30, 20)
            .write_to(&mut bytes, ImageFormat::Png)
            .expect("encode PNG");
        bytes.into_inner()
    };
    let answer = client
        .post_multipart(
            &upload_path(PULL),
            vec![
                Part::file("photos", "IMG_0042.JPG", "image/jpeg", taken),
                Part::file("photos", "étiquette.png", "image/png", png),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        format!("{}?fait=ajout", photos(PULL))
    );
    assert_eq!(
        images_line(&app),
        r#"images = ["pull.jpg", "pull-dos.jpg", "pull-marin-1.jpg", "pull-marin-2.jpg"]"#
    );
    let kept = fs::read(
        app.content
            .join("shops/boutique-marguerite/images/pull-marin-1.jpg"),
    );
    let kept = kept.expect("the photo is in content/");
    assert!(!contains(&kept, b"Exif") && !contains(&kept, b"GPS"));
    assert_eq!(
        image::load_from_memory(&kept)
            .map(|i| (i.width(), i.height()))
            .ok(),
        Some((400, 800))
    );

    until(
        &app,
        "the new photos are on the product page",
        async |app| gallery_alts(app).await.len() == 4,
    )
    .await;
    let page = app.get(PULL_PAGE).await.html();
    let variants: Vec<String> = attrs(&page, ".gallery img", "srcset")
        .iter()
        .flat_map(|s| {
            s.split(", ")
                .map(|v| v.split(' ').next().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|url| url.contains("/pull-marin-1-"))
        .collect();
    assert!(!variants.is_empty(), "no variant of the new photo");
    for url in variants {
        let served = app.get(&url).await;
        assert_eq!(served.status, StatusCode::OK, "{url}");
        assert!(
            !contains(&served.body, b"Exif") && !contains(&served.body, b"GPS"),
            "{url}"
        );
        let picture = image::load_from_memory(&served.body)
            .expect("a picture")
            .into_rgb8();
        assert!(picture.height() > picture.width(), "{url} is upright");
        // Orientation 6 turns the picture clockwise: the red left half is now on top.
        assert!(
            picture.get_pixel(picture.width() / 2, 2).0[0] > 150,
            "{url}: red on top"
        );
    }

    let listed = client.get(&format!("{}?fait=ajout", photos(PULL))).await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed = listed.html();
    let notice = crate::helpers::texts(&listed, ".notice");
    assert!(
        notice.iter().any(|n| n.starts_with("Photos ajoutées")),
        "{notice:?}"
    );
    assert_eq!(
        attrs(&listed, ".photo-list input", "name"),
        [
            "alt:pull.jpg",
            "alt:pull-dos.jpg",
            "alt:pull-marin-1.jpg",
            "alt:pull-marin-2.jpg"
        ]
    );
    assert_eq!(
        attrs(&listed, ".photo-list img", "src").len(),
        4,
        "every thumbnail is served"
    );
}

#[tokio::test]
async fn a_pdf_named_jpg_is_refused_in_french_and_nothing_is_written() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, CLOTHES).await;
    let before = snapshot(&app);
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let answer = client
        .post_multipart(
            &upload_path(PULL),
            vec![Part::file("photos", "facture.jpg", "image/jpeg", pdf)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = answer.html();
    let error = crate::helpers::texts(&page, "#photos-erreur li");
    assert_eq!(
        error,
        [
            "« facture.jpg » n’est pas une photo mais un document PDF : envoyez une photo au format JPEG, PNG ou WebP."
        ]
    );
    assert_eq!(
        crate::helpers::attr(&page, "#photos", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(snapshot(&app), before);
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_refused_and_nothing_is_written() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, CLOTHES).await;
    let before = snapshot(&app);
    let mut huge = jpeg(16, 16);
    huge.resize(comptoir::backoffice::photos::intake::MAX_FILE_BYTES + 1, 0);
    let answer = client
        .post_multipart(
            &upload_path(PULL),
            vec![Part::file("photos", "panorama.jpg", "image/jpeg", huge)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.text().contains("« panorama.jpg » dépasse 15 Mo"),
        "{}",
        answer.text()
    );
    assert_eq!(snapshot(&app), before);
}

#[tokio::test]
async fn reordering_and_alt_texts_reach_the_file_and_the_product_page() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, CLOTHES).await;
    let answer = client
        .post(
            &photos(PULL),
            &[
                ("alt:pull.jpg", ""),
                ("alt:pull-dos.jpg", "Le dos du pull,\n col rond"),
                ("action", "monter:pull-dos.jpg"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        images_line(&app),
        r#"images = [{ file = "pull-dos.jpg", alt = "Le dos du pull, col rond" }, "pull.jpg"]"#
    );
    until(
        &app,
        "the product page shows the new order and alt text",
        async |app| {
            gallery_alts(app).await == ["Le dos du pull, col rond", "Pull marin en laine – photo 2"]
        },
    )
    .await;
    let page = client.get(&photos(PULL)).await.html();
    assert_eq!(
        crate::helpers::attr(&page, "input[name='alt:pull-dos.jpg']", "value").as_deref(),
        Some("Le dos du pull, col rond")
    );

    let removed = client
        .post(&photos(PULL), &[("action", "retirer:pull.jpg")])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(
        !app.content
            .join("shops/boutique-marguerite/images/pull.jpg")
            .exists()
    );
    let before = snapshot(&app);
    let last = client
        .post(&photos(PULL), &[("action", "retirer:pull-dos.jpg")])
        .await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(last.text().contains("Un produit garde au moins une photo"));
    assert_eq!(snapshot(&app), before);
}

#[tokio::test]
async fn another_shops_product_is_not_found_and_nothing_changes() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, BAKERY).await;
    let before = snapshot(&app);
    for id in [PULL, "inconnu"] {
        assert_eq!(
            client.get(&photos(id)).await.status,
            StatusCode::NOT_FOUND,
            "{id}"
        );
        let edit = client
            .post(&photos(id), &[("action", "retirer:pull.jpg")])
            .await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND, "{id}");
        let photo = Part::file("photos", "a.jpg", "image/jpeg", jpeg(8, 8));
        let upload = client.post_multipart(&upload_path(id), vec![photo]).await;
        assert_eq!(upload.status, StatusCode::NOT_FOUND, "{id}");
    }
    assert_eq!(snapshot(&app), before);
}

#[tokio::test]
async fn an_upload_without_its_csrf_token_is_forbidden() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, CLOTHES).await;
    let before = snapshot(&app);
    let photo = Part::file("photos", "a.jpg", "image/jpeg", jpeg(8, 8));
    let answer = client
        .browser
        .post_multipart_raw(&upload_path(PULL), &[photo])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&app), before);
}

#[tokio::test]
async fn a_new_products_photos_go_to_the_shop_folder_first() {
    let app = watching_app().await;
    let mut client = MerchantClient::login(&app, CLOTHES).await;
    let answer = client
        .post_multipart(
            "/espace-commercant/photos/ajout",
            vec![
                Part::file(
                    "photos",
                    "IMG_0042.JPG",
                    "image/jpeg",
                    phone_photo(&jpeg(40, 20)),
                ),
                Part::file("photos", "Robe d'été.jpg", "image/jpeg", jpeg(20, 20)),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        "/espace-commercant/photos?fait=ajout"
    );
    let page = client
        .get("/espace-commercant/photos?fait=ajout")
        .await
        .html();
    let shown = attrs(&page, ".photo-list img", "src");
    for expected in [
        "/espace-commercant/photos/fichier/img-0042.jpg",
        "/espace-commercant/photos/fichier/robe-d-ete.jpg",
    ] {
        assert!(
            shown.iter().any(|s| s == expected),
            "{expected} in {shown:?}"
        );
    }
    let kept = client
        .get("/espace-commercant/photos/fichier/img-0042.jpg")
        .await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.header("content-type"), "image/jpeg");
    assert!(!contains(&kept.body, b"Exif") && !contains(&kept.body, b"GPS"));

    let mut baker = MerchantClient::login(&app, BAKERY).await;
    for path in [
        "/espace-commercant/photos/fichier/img-0042.jpg",
        "/espace-commercant/photos/fichier/..%2F..%2Fboutique-marguerite%2Fimages%2Fpull.jpg",
        "/espace-commercant/photos/fichier/..%2Fshop.toml",
    ] {
        assert_eq!(
            baker.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
