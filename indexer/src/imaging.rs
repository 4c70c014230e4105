//! The image stage: writes every picture's responsive JPEG variants into the build.
//!
//! Resizing is the slow part of a build, so results are cached in `data/cache/images`,
//! keyed by the source file's content hash and the width: a rebuild only resizes new or
//! changed pictures, and links the cached files into the new build.

use crate::Error;
use crate::model::{Catalogue, Image};
use crate::render::images::{Variant, variants};
use image::imageops::FilterType;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// JPEG quality of resized pictures: visually clean for product photos at a small size.
const JPEG_QUALITY: u8 = 80;

/// Every picture the site shows: (shop slug, image).
fn used(catalogue: &Catalogue) -> BTreeSet<(&str, &Image)> {
    let shops = catalogue
        .shops
        .iter()
        .filter_map(|s| s.image.as_ref().map(|i| (s.slug.as_str(), i)));
    let products = catalogue.published().flat_map(|p| {
        p.images
            .iter()
            .map(move |i| (catalogue.shops[p.shop].slug.as_str(), i))
    });
    shops.chain(products).collect()
}

/// Writes the variants of every picture used by `catalogue` below `site`; returns how
/// many pictures had to be resized (not found in `cache`).
///
/// # Errors
///
/// When a picture cannot be read, decoded or written.
pub fn write_images(
    content: &Path,
    catalogue: &Catalogue,
    site: &Path,
    cache: &Path,
) -> Result<usize, Error> {
    let images: Vec<_> = used(catalogue).into_iter().collect();
    write_all(content, &images, site, cache)
}

/// Writes the variants of `images`, pictures of the shop `shop`, below `site`: what a
/// product saved on the live site needs before its page names them. Returns how many
/// had to be resized.
///
/// # Errors
///
/// As [`write_images`].
pub fn write_shop_images(
    content: &Path,
    shop: &str,
    images: &[Image],
    site: &Path,
    cache: &Path,
) -> Result<usize, Error> {
    let images: Vec<_> = images.iter().map(|i| (shop, i)).collect();
    write_all(content, &images, site, cache)
}

fn write_all(
    content: &Path,
    images: &[(&str, &Image)],
    site: &Path,
    cache: &Path,
) -> Result<usize, Error> {
    fs::create_dir_all(cache).map_err(|source| Error::Io {
        path: cache.to_path_buf(),
        source,
    })?;
    let resized: Vec<bool> = images
        .par_iter()
        .map(|(shop, image)| {
            let source = content
                .join("shops")
                .join(shop)
                .join("images")
                .join(&image.file);
            write_one(&source, &variants(shop, image), site, cache)
        })
        .collect::<Result<_, _>>()?;
    Ok(resized.into_iter().filter(|r| *r).count())
}

/// Writes one picture's variants; returns whether it had to be decoded and resized.
fn write_one(source: &Path, wanted: &[Variant], site: &Path, cache: &Path) -> Result<bool, Error> {
    let bytes = fs::read(source).map_err(|e| Error::Io {
        path: source.to_path_buf(),
        source: e,
    })?;
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    let cached: Vec<PathBuf> = wanted
        .iter()
        .map(|v| cache.join(format!("{hash:032x}-{}.jpg", v.width)))
        .collect();
    let missing: Vec<usize> = (0..wanted.len()).filter(|&i| !cached[i].exists()).collect();
    if !missing.is_empty() {
        let decoded = image::load_from_memory(&bytes).map_err(|e| Error::Image {
            path: source.to_path_buf(),
            message: e.to_string(),
        })?;
        let rgb = image::DynamicImage::ImageRgb8(decoded.to_rgb8());
        for &i in &missing {
            let resized = if wanted[i].width == rgb.width() {
                rgb.clone()
            } else {
                rgb.resize_exact(wanted[i].width, wanted[i].height, FilterType::CatmullRom)
            };
            encode_into_cache(&resized, &cached[i]).map_err(|message| Error::Image {
                path: source.to_path_buf(),
                message,
            })?;
        }
    }
    for (variant, file) in wanted.iter().zip(&cached) {
        let target = site.join(variant.path.trim_start_matches('/'));
        link_or_copy(file, &target)?;
    }
    Ok(!missing.is_empty())
}

fn encode_into_cache(image: &image::DynamicImage, path: &Path) -> Result<(), String> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
    image
        .write_with_encoder(encoder)
        .map_err(|e| e.to_string())?;
    // Unique per write: two shops may hold the same picture, resized at the same time.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
    fs::write(&temporary, &bytes)
        .and_then(|()| fs::rename(&temporary, path))
        .map_err(|e| e.to_string())
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: to.to_path_buf(),
        source,
    };
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    // A variant already in a live build is replaced, never copied onto: it may be a
    // link to `from` itself.
    match fs::remove_file(to) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to).map_err(io)?;
    }
    Ok(())
}
