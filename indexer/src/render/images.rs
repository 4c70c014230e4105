//! Responsive picture variants: which widths exist for a picture and where they live.
//!
//! Pure rules shared by the renderer (for `srcset`) and the image stage (which writes the
//! files): every picture is served as JPEG at the standard widths below its own width,
//! plus its own width.

use crate::model::Image;

/// Widths offered in `srcset`, in pixels (phones, tablets, desktops at 1× and 2×).
pub const WIDTHS: [u32; 4] = [320, 640, 960, 1280];

/// One resized file of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// URL path, e.g. `/images/boulangerie/baguette-640.jpg`.
    pub path: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels (aspect ratio kept).
    pub height: u32,
}

/// The variants of `image` of shop `shop`, narrowest first.
#[must_use]
pub fn variants(shop: &str, image: &Image) -> Vec<Variant> {
    let mut widths: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|w| *w < image.width)
        .collect();
    widths.push(image.width.min(*WIDTHS.last().unwrap_or(&1280)));
    widths.dedup();
    let stem = image
        .file
        .rsplit_once('.')
        .map_or(image.file.as_str(), |(stem, _)| stem);
    widths
        .into_iter()
        .map(|width| Variant {
            path: format!("/images/{shop}/{stem}-{width}.jpg"),
            width,
            height: scaled_height(image, width),
        })
        .collect()
}

fn scaled_height(image: &Image, width: u32) -> u32 {
    let height = u64::from(image.height) * u64::from(width) / u64::from(image.width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// The `srcset` attribute value for `variants`.
#[must_use]
pub fn srcset(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", v.path, v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The variant closest to `width` without going under it (or the widest).
#[must_use]
pub fn pick(variants: &[Variant], width: u32) -> Option<&Variant> {
    variants
        .iter()
        .find(|v| v.width >= width)
        .or_else(|| variants.last())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_stop_at_the_picture_width() {
        let image = Image {
            file: "pain.jpg".into(),
            width: 600,
            height: 400,
            alt: None,
        };
        let found = variants("b", &image);
        assert_eq!(
            found.iter().map(|v| v.width).collect::<Vec<_>>(),
            [320, 600]
        );
        assert_eq!(
            found[0],
            Variant {
                path: "/images/b/pain-320.jpg".into(),
                width: 320,
                height: 213
            }
        );
        let big = Image {
            file: "x.webp".into(),
            width: 4000,
            height: 3000,
            alt: None,
        };
        assert_eq!(
            variants("b", &big)
                .iter()
                .map(|v| v.width)
                .collect::<Vec<_>>(),
            WIDTHS
        );
    }
}
