//! Writing build files, with brotli and gzip copies of text files so the server (or any
//! static host) can send them precompressed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Brotli quality for build files: 5 compresses HTML about as well as gzip -9 while staying
/// fast enough for a whole catalogue (quality 11 is ~50× slower).
const BROTLI_QUALITY: u32 = 5;
/// Brotli window (log2 of the window size): 22 is the encoder's default.
const BROTLI_WINDOW: u32 = 22;
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
}

impl Output {
    /// Files go below `root`, which is created.
    ///
    /// # Errors
    ///
    /// When the folder cannot be created.
    pub fn new(root: &Path) -> io::Result<Self> {
        fs::create_dir_all(root)?;
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    /// The folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` to `relative` (and its `.br`/`.gz` copies); returns the bytes written.
    ///
    /// # Errors
    ///
    /// Any I/O error, with the file's path.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<u64, crate::Error> {
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
        if compressible(relative) && bytes.len() >= MIN_COMPRESS_BYTES {
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

/// `bytes` compressed with brotli.
///
/// # Errors
///
/// Only if the in-memory writer fails.
pub fn brotli_bytes(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let mut writer = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
    writer.write_all(bytes)?;
    drop(writer);
    Ok(out)
}

/// `bytes` compressed with gzip.
///
/// # Errors
///
/// Only if the in-memory writer fails.
pub fn gzip_bytes(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}
