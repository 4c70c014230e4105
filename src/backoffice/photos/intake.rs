//! What an uploaded photo goes through before it is kept: the checks (size, type read
//! from the content, never from the name) and the cleaning (EXIF orientation applied, the
//! longest side capped, re-encoded as a plain JPEG).
//!
//! Re-encoding is what strips the metadata: the JPEG written here holds pixels and a JFIF
//! header only, so the location, the camera's serial number and the date a phone puts in
//! EXIF, XMP or IPTC never reach `content/` nor the responsive variants the build makes
//! from it. No I/O here: bytes in, bytes out.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// Largest file accepted, in bytes: 15 Mo holds a full-size photo from any recent phone
/// (a 48 Mpx JPEG is 8–12 Mo) and stops videos or scans sent by mistake.
pub const MAX_FILE_BYTES: usize = 15 * 1024 * 1024;

/// Longest side of the kept picture, in pixels: above the widest responsive variant
/// (`comptoir_indexer::render::images::WIDTHS`, 1280) with room for a later larger one,
/// and far below a phone's 8000 px, so `content/` stays small.
pub const MAX_SIDE: u32 = 2400;

/// JPEG quality of the kept picture: visually lossless for photos at this size.
pub const JPEG_QUALITY: u8 = 90;

/// Largest picture decoded, in pixels per side: a decompression bomb (a tiny file that
/// claims a huge size) is refused before any memory is taken for it.
const MAX_DECODED_SIDE: u32 = 12_000;

/// Memory a decoder may take, in bytes (a 12 000 × 12 000 RGBA picture is 576 Mo).
const MAX_DECODER_ALLOC: u64 = 600 * 1024 * 1024;

/// A photo that passed the checks, cleaned: a JPEG without metadata, upright.
#[derive(Debug)]
pub struct CleanPhoto {
    /// The file's name on the phone, as shown back (last path segment, shortened).
    pub name: String,
    /// The JPEG file's bytes.
    pub jpeg: Vec<u8>,
    /// Width in pixels, after rotation and resizing.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why an uploaded file was refused; [`Refusal::message`] tells the merchant in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The file is empty (a field sent without choosing a file is skipped, not refused).
    Empty {
        /// The file's name on the phone.
        name: String,
    },
    /// Over [`MAX_FILE_BYTES`].
    TooLarge {
        /// The file's name on the phone.
        name: String,
    },
    /// Not a JPEG, PNG or WebP whatever its name says; `kind` names what it is when known.
    NotAPhoto {
        /// The file's name on the phone.
        name: String,
        /// What the content is, in French ("un document PDF").
        kind: Option<&'static str>,
    },
    /// A JPEG, PNG or WebP that cannot be decoded (truncated, damaged) or is too big.
    Unreadable {
        /// The file's name on the phone.
        name: String,
    },
}

impl Refusal {
    /// The French sentence shown next to the upload field: what is wrong, what to do.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::Empty { name } => {
                format!("« {name} » est vide : choisissez la photo à nouveau.")
            }
            Self::TooLarge { name } => format!(
                "« {name} » dépasse {} Mo : envoyez une photo plus légère (réglage « taille \
                 réelle » désactivé, ou une capture d’écran de la photo).",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            Self::NotAPhoto { name, kind } => format!(
                "« {name} » {} : envoyez une photo au format JPEG, PNG ou WebP.",
                kind.map_or_else(
                    || "n’est pas une photo".to_owned(),
                    |kind| format!("n’est pas une photo mais {kind}")
                )
            ),
            Self::Unreadable { name } => format!(
                "« {name} » est abîmée ou trop grande pour être lue : ouvrez-la sur votre \
                 téléphone et enregistrez-la à nouveau, ou envoyez-en une autre."
            ),
        }
    }
}

/// Checks `bytes` (the file `name` as uploaded) and cleans it: upright, at most
/// [`MAX_SIDE`] px on its longest side, re-encoded as a JPEG without metadata.
///
/// # Errors
///
/// A [`Refusal`] when the file is empty, too large, not a JPEG/PNG/WebP by its content, or
/// cannot be decoded.
pub fn clean(name: &str, bytes: &[u8]) -> Result<CleanPhoto, Refusal> {
    let name = display_name(name);
    if bytes.is_empty() {
        return Err(Refusal::Empty { name });
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge { name });
    }
    let format = accepted_format(bytes).ok_or_else(|| Refusal::NotAPhoto {
        name: name.clone(),
        kind: other_kind(bytes),
    })?;
    let photo = decode_upright(bytes, format).map_err(|error| {
        tracing::info!(%name, %error, "uploaded photo refused: cannot decode it");
        Refusal::Unreadable { name: name.clone() }
    })?;
    let photo = cap_size(photo);
    let (width, height) = (photo.width(), photo.height());
    let jpeg = encode_jpeg(&flatten(photo)).map_err(|error| {
        tracing::warn!(%name, %error, "cannot encode an uploaded photo as JPEG");
        Refusal::Unreadable { name: name.clone() }
    })?;
    Ok(CleanPhoto {
        name,
        jpeg,
        width,
        height,
    })
}

/// The format read from the file's first bytes, when it is one the site serves.
fn accepted_format(bytes: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Some(format),
        _ => None,
    }
}

/// What a refused file is, for the message, by its magic bytes.
fn other_kind(bytes: &[u8]) -> Option<&'static str> {
    // HEIC/HEIF: an ISO-BMFF `ftyp` box with a HEIF brand (ISO/IEC 23008-12).
    let heif = bytes.get(4..8) == Some(b"ftyp")
        && bytes
            .get(8..12)
            .is_some_and(|brand| [&b"heic"[..], b"heix", b"mif1", b"msf1"].contains(&brand));
    if heif {
        return Some("une photo HEIC (format Apple)");
    }
    if bytes.starts_with(b"%PDF") {
        return Some("un document PDF");
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Gif) => Some("une image GIF"),
        Ok(ImageFormat::Tiff) => Some("une image TIFF"),
        Ok(ImageFormat::Bmp) => Some("une image BMP"),
        _ => None,
    }
}

/// Decodes with limits and turns the picture the way its EXIF orientation says.
fn decode_upright(bytes: &[u8], format: ImageFormat) -> image::ImageResult<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    // A damaged EXIF block must not cost the photo: it is then shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut photo = DynamicImage::from_decoder(decoder)?;
    photo.apply_orientation(orientation);
    Ok(photo)
}

/// The picture scaled down so that its longest side is at most [`MAX_SIDE`].
fn cap_size(photo: DynamicImage) -> DynamicImage {
    if photo.width().max(photo.height()) <= MAX_SIDE {
        return photo;
    }
    photo.resize(MAX_SIDE, MAX_SIDE, FilterType::Lanczos3)
}

/// RGB pixels; transparent areas (PNG, WebP) laid on white, as a shop's page shows them.
fn flatten(photo: DynamicImage) -> RgbImage {
    if !photo.color().has_alpha() {
        return photo.into_rgb8();
    }
    let rgba = photo.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let on_white = |c: u8| {
            let mixed = (u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255;
            u8::try_from(mixed).unwrap_or(u8::MAX)
        };
        image::Rgb([on_white(r), on_white(g), on_white(b)])
    })
}

fn encode_jpeg(pixels: &RgbImage) -> image::ImageResult<Vec<u8>> {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY).encode_image(pixels)?;
    Ok(jpeg)
}

/// The uploaded file's name as shown back: its last path segment, at most 60 characters.
pub(crate) fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let base = if base.is_empty() { "photo" } else { base };
    let mut shown: String = base.chars().take(60).collect();
    if shown.len() < base.len() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A `width` × `height` JPEG whose left half is red and right half blue.
    pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let pixels = RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        });
        encode_jpeg(&pixels).unwrap_or_default()
    }

    /// Inserts an APP1 Exif segment (TIFF, little endian) right after the JPEG's SOI:
    /// IFD0 with Orientation = `orientation` and a GPS IFD holding a latitude reference.
    pub(crate) fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut tiff: Vec<u8> = b"II*\0".to_vec();
        tiff.extend(8u32.to_le_bytes()); // IFD0 right after the header
        tiff.extend(2u16.to_le_bytes()); // two entries
        // 0x0112 Orientation, SHORT, 1 value
        tiff.extend(0x0112u16.to_le_bytes());
        tiff.extend(3u16.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(u32::from(orientation).to_le_bytes());
        // 0x8825 GPSInfo IFD pointer, LONG, 1 value: after IFD0 (8 + 2 + 2×12 + 4 = 38)
        tiff.extend(0x8825u16.to_le_bytes());
        tiff.extend(4u16.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(38u32.to_le_bytes());
        tiff.extend(0u32.to_le_bytes()); // no IFD1
        // GPS IFD: GPSLatitudeRef = "N"
        tiff.extend(1u16.to_le_bytes());
        tiff.extend(0x0001u16.to_le_bytes());
        tiff.extend(2u16.to_le_bytes()); // ASCII
        tiff.extend(2u32.to_le_bytes());
        tiff.extend(*b"N\0\0\0");
        tiff.extend(0u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let length = u16::try_from(app1.len() + 2).unwrap_or(u16::MAX);
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(length.to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_is_applied_and_metadata_dropped() {
        let upload = with_exif(&jpeg(40, 20), 6);
        assert!(upload.windows(4).any(|w| w == b"Exif"));
        let photo = clean("IMG_0001.JPG", &upload).unwrap_or_else(|r| panic!("{r:?}"));
        assert_eq!((photo.width, photo.height), (20, 40));
        assert!(!photo.jpeg.windows(4).any(|w| w == b"Exif"));
        let decoded = image::load_from_memory(&photo.jpeg).map(DynamicImage::into_rgb8);
        let decoded = decoded.unwrap_or_default();
        // Orientation 6: turned 90° clockwise, so the red left half is now on top.
        assert!(decoded.get_pixel(10, 5).0[0] > 150, "top is red");
        assert!(decoded.get_pixel(10, 35).0[2] > 150, "bottom is blue");
    }

    #[test]
    fn large_photos_are_capped_on_their_longest_side() {
        let photo = clean("grand.jpg", &jpeg(3000, 1500)).unwrap_or_else(|r| panic!("{r:?}"));
        assert_eq!((photo.width, photo.height), (MAX_SIDE, MAX_SIDE / 2));
    }

    #[test]
    fn png_and_webp_are_turned_into_jpeg() {
        let pixels = image::RgbaImage::from_pixel(8, 6, image::Rgba([0, 0, 0, 0]));
        for format in [ImageFormat::Png, ImageFormat::WebP] {
            let mut bytes = Cursor::new(Vec::new());
            let written = DynamicImage::ImageRgba8(pixels.clone()).write_to(&mut bytes, format);
            assert!(written.is_ok(), "{format:?}: {written:?}");
            let photo = clean("photo.png", bytes.get_ref()).unwrap_or_else(|r| panic!("{r:?}"));
            assert_eq!(
                image::guess_format(&photo.jpeg).ok(),
                Some(ImageFormat::Jpeg)
            );
            let decoded = image::load_from_memory(&photo.jpeg).map(DynamicImage::into_rgb8);
            assert!(
                decoded.unwrap_or_default().get_pixel(0, 0).0[0] > 240,
                "white"
            );
        }
    }

    #[test]
    fn files_are_judged_by_content_not_by_name() {
        let cases: [(&str, &[u8], &str); 5] = [
            (
                "facture.jpg",
                b"%PDF-1.7\n%\xe2\xe3",
                "n’est pas une photo mais un document PDF",
            ),
            ("IMG_2.jpg", b"\0\0\0\x18ftypheic\0\0\0\0", "une photo HEIC"),
            (
                "notes.png",
                b"bonjour, ceci est du texte",
                "« notes.png » n’est pas une photo :",
            ),
            ("anim.webp", b"GIF89a\x01\0\x01\0", "mais une image GIF"),
            ("vide.jpg", b"", "est vide"),
        ];
        for (name, bytes, expected) in cases {
            let refusal = clean(name, bytes).err().map(|r| r.message());
            assert!(
                refusal.as_deref().is_some_and(|m| m.contains(expected)),
                "{name}: {refusal:?}"
            );
        }
    }

    #[test]
    fn damaged_and_oversized_files_are_refused() {
        let mut truncated = jpeg(64, 64);
        truncated.truncate(200);
        let refused = clean("coupée.jpg", &truncated).err();
        assert_eq!(
            refused,
            Some(Refusal::Unreadable {
                name: "coupée.jpg".into()
            })
        );
        let mut huge = jpeg(16, 16);
        huge.resize(MAX_FILE_BYTES + 1, 0);
        let refused = clean("C:\\Photos\\énorme.jpg", &huge).err();
        assert_eq!(
            refused,
            Some(Refusal::TooLarge {
                name: "énorme.jpg".into()
            })
        );
        assert!(refused.is_some_and(|r| r.message().contains("dépasse 15 Mo")));
    }
}
