//! Writing build files, with brotli and gzip copies of text files so the server (or any
//! static host) can send them precompressed, and the compressors the server uses for
//! files without copies.
//!
//! Which files get copies: assets, sitemaps, robots.txt — always; HTML pages only when
//! asked (`precompress_pages`). Measured on a 7 KB product page, one brotli copy costs
//! 0.27 ms at quality 4 (6.9 ms at quality 5, where the encoder's 1 MiB tables dominate)
//! and one gzip copy 0.15 ms: for 100,000 pages that is more than the whole rest of the
//! build. The server compresses pages without copies per response instead (BENCHMARKS.md).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Brotli quality: 4 is the last level with small encoder tables; 5 compresses a product
/// page only 4 % better for 25× the time.
pub const BROTLI_QUALITY: i32 = 4;
/// Brotli's smallest and largest window (log2 of bytes), RFC 7932 §9.1.
const BROTLI_MIN_WINDOW: i32 = 10;
const BROTLI_MAX_WINDOW: i32 = 24;
/// gzip level: 6 is zlib's default balance.
const GZIP_LEVEL: u32 = 6;
/// Files smaller than this are not worth compressing (headers would eat the gain).
const MIN_COMPRESS_BYTES: usize = 512;

/// Extensions of files served compressed.
const COMPRESSIBLE: [&str; 8] = [
    "html",
    "css",
    "js",
    "xml",
    "txt",
    "json",
    "svg",
    "webmanifest",
];

/// A folder that build files are written into.
#[derive(Debug, Clone)]
pub struct Output {
    root: PathBuf,
    precompress_pages: bool,
}

impl Output {
    /// Files go below `root`, which is created.
    ///
    /// # Errors
    ///
    /// When the folder cannot be created.
    pub fn new(root: &Path, precompress_pages: bool) -> io::Result<Self> {
        fs::create_dir_all(root)?;
        Ok(Self {
            root: root.to_path_buf(),
            precompress_pages,
        })
    }

    /// The folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` to `relative` (and its `.br`/`.gz` copies if it gets them); returns
    /// the bytes written.
    ///
    /// # Errors
    ///
    /// Any I/O error, with the file's path.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<u64, crate::Error> {
        let page = relative.ends_with(".html");
        let copies = compressible(relative)
            && bytes.len() >= MIN_COMPRESS_BYTES
            && (self.precompress_pages || !page);
        self.write_file(relative, bytes, copies)
    }

    /// Writes `bytes` to `relative` with its `.br`/`.gz` copies whatever its size (sitemaps,
    /// whose `.gz` crawlers may fetch directly).
    ///
    /// # Errors
    ///
    /// Any I/O error, with the file's path.
    pub fn write_with_copies(&self, relative: &str, bytes: &[u8]) -> Result<u64, crate::Error> {
        self.write_file(relative, bytes, true)
    }

    /// Replaces `relative` (and its copies) atomically when its content differs, for
    /// updates of a live build; returns whether it changed.
    ///
    /// # Errors
    ///
    /// Any I/O error, with the file's path.
    pub fn replace(&self, relative: &str, bytes: &[u8]) -> Result<bool, crate::Error> {
        let path = self.root.join(relative);
        let io = |source| crate::Error::Io {
            path: path.clone(),
            source,
        };
        if !replace_file(&path, bytes).map_err(io)? {
            return Ok(false);
        }
        let (br, gz) = (with_suffix(&path, ".br"), with_suffix(&path, ".gz"));
        let page = relative.ends_with(".html");
        if compressible(relative)
            && bytes.len() >= MIN_COMPRESS_BYTES
            && (self.precompress_pages || !page || br.exists())
        {
            replace_file(&br, &brotli_bytes(bytes).map_err(io)?).map_err(io)?;
            replace_file(&gz, &gzip_bytes(bytes).map_err(io)?).map_err(io)?;
        } else {
            remove_quietly(&br);
            remove_quietly(&gz);
        }
        Ok(true)
    }

    /// Removes `relative` and its copies; returns whether it existed.
    pub fn remove(&self, relative: &str) -> bool {
        let path = self.root.join(relative);
        let existed = fs::remove_file(&path).is_ok();
        remove_quietly(&with_suffix(&path, ".br"));
        remove_quietly(&with_suffix(&path, ".gz"));
        if let Some(parent) = path.parent()
            && parent != self.root
        {
            // The folder of a page (`boutiques/x/p/`) goes with its last file.
            let _ = fs::remove_dir(parent);
        }
        existed
    }

    fn write_file(&self, relative: &str, bytes: &[u8], copies: bool) -> Result<u64, crate::Error> {
        let path = self.root.join(relative);
        let io = |source| crate::Error::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, bytes).map_err(io)?;
        let mut written = bytes.len() as u64;
        if copies {
            let (br, gz) = (with_suffix(&path, ".br"), with_suffix(&path, ".gz"));
            let brotli = brotli_bytes(bytes).map_err(io)?;
            let gzip = gzip_bytes(bytes).map_err(io)?;
            fs::write(&br, &brotli).map_err(|source| crate::Error::Io { path: br, source })?;
            fs::write(&gz, &gzip).map_err(|source| crate::Error::Io { path: gz, source })?;
            written += (brotli.len() + gzip.len()) as u64;
        }
        Ok(written)
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader sees the
/// old content or the new, never a part; does nothing when the content is the same.
/// Returns whether the file changed.
///
/// # Errors
///
/// When the folder or the file cannot be written.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    let temporary = path.with_file_name(name);
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| remove_quietly(&temporary))?;
    Ok(true)
}

fn remove_quietly(path: &Path) {
    let _ = fs::remove_file(path);
}

/// Whether files named like `relative` get precompressed copies.
#[must_use]
pub fn compressible(relative: &str) -> bool {
    Path::new(relative)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `bytes` compressed with brotli. The window is sized to the input: the encoder's tables
/// grow with the window, and clearing 4 MiB of tables for a 7 KiB page would cost more
/// than compressing it.
///
/// # Errors
///
/// Only if the in-memory writer fails.
pub fn brotli_bytes(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: window_bits(bytes.len()),
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// The smallest brotli window (log2, 10 to 24) that holds `len` bytes.
fn window_bits(len: usize) -> i32 {
    let bits = usize::BITS - len.max(1).saturating_sub(1).leading_zeros();
    i32::try_from(bits)
        .unwrap_or(BROTLI_MAX_WINDOW)
        .clamp(BROTLI_MIN_WINDOW, BROTLI_MAX_WINDOW)
}

thread_local! {
    /// One deflate state per thread, reset between files: allocating and clearing a fresh
    /// state for every small page dominated the build.
    static DEFLATE: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(GZIP_LEVEL), false));
}

/// The gzip header of RFC 1952 §2.3: magic, deflate, no flags, no time, no extra flags, Unix.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];

/// `bytes` compressed with gzip (RFC 1952).
///
/// # Errors
///
/// If deflate reports an error.
pub fn gzip_bytes(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&GZIP_HEADER);
    DEFLATE.with(|cell| -> io::Result<()> {
        let mut deflate = cell.borrow_mut();
        deflate.reset();
        loop {
            let consumed = usize::try_from(deflate.total_in()).unwrap_or(usize::MAX);
            out.reserve(bytes.len().saturating_sub(consumed) / 2 + 1024);
            let status = deflate
                .compress_vec(
                    &bytes[consumed.min(bytes.len())..],
                    &mut out,
                    flate2::FlushCompress::Finish,
                )
                .map_err(io::Error::other)?;
            if status == flate2::Status::StreamEnd {
                return Ok(());
            }
        }
    })?;
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_original() {
        let page = "<p>Baguette de tradition, pain au levain</p>".repeat(500);
        for _ in 0..2 {
            let mut unzipped = String::new();
            flate2::read::GzDecoder::new(
                gzip_bytes(page.as_bytes()).unwrap_or_default().as_slice(),
            )
            .read_to_string(&mut unzipped)
            .unwrap_or_default();
            assert_eq!(unzipped, page, "gzip, with a reused state");
        }
        let mut unbrotli = Vec::new();
        brotli::Decompressor::new(
            brotli_bytes(page.as_bytes()).unwrap_or_default().as_slice(),
            4096,
        )
        .read_to_end(&mut unbrotli)
        .unwrap_or_default();
        assert_eq!(unbrotli, page.as_bytes());
        assert_eq!(
            gzip_bytes(b"").map(|g| g.len()).unwrap_or_default() > 10,
            true
        );
    }

    #[test]
    fn brotli_window_fits_the_input() {
        assert_eq!(window_bits(7_000), 13);
        assert_eq!(window_bits(1), BROTLI_MIN_WINDOW);
        assert_eq!(window_bits(100 << 20), BROTLI_MAX_WINDOW);
    }
}
