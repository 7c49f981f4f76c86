//! The mirror's image path: an original's bytes in, its sha256, size,
//! placeholder colour and encoded variants out. Pure: no I/O, no clock, so
//! the mirror Lambda and `galleon guest import` run the same code.
//!
//! [`process`] runs these steps, each a module here:
//!
//! 1. `decode`: recognise the format from magic bytes, read the header
//!    and refuse an original over [`Limits`] before any pixel buffer is
//!    allocated; then decode to 8-bit RGB.
//! 2. `resize`: plan the widths in [`WIDTHS`] and resize (Lanczos3),
//!    applying the EXIF orientation to the small results.
//! 3. `encode`: encode each variant in [`OUTPUT_FORMAT`]; the re-encoding
//!    drops all metadata (EXIF, GPS, ICC).
//!
//! Each step runs in a debug span (`hash`, `decode`, `resize`, `encode`),
//! which is how `examples/process.rs` splits the time between them.
//!
//! The decoded original (36 MB for a 12-megapixel photo) is the one
//! full-size buffer; it is dropped as soon as the resized pixels exist.
//! BENCHMARKS.md has the throughput and peak memory figures.
//!
//! Known limit: colour profiles are dropped, not converted, so a Display P3
//! phone photo is shown as if it were sRGB (slightly duller). Converting
//! needs a CMS such as lcms2 and is not done yet.

mod decode;
mod encode;
mod format;
mod resize;
#[cfg(test)]
mod tests;

use galleon_common::domain::Sha256;

pub use encode::{JPEG_QUALITY, OUTPUT_FORMAT, WEBP_QUALITY};
pub use format::{Format, OutputFormat};

/// The widths variants are made at, smallest first.
///
/// An original is never upscaled: it gets every width not wider than
/// itself, and an original narrower than the smallest gets one variant at
/// its own width.
pub const WIDTHS: [u32; 3] = [320, 640, 1080];

/// Bounds on the work one original may cause, checked before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted original, in bytes.
    pub max_bytes: usize,
    pub max_width: u32,
    pub max_height: u32,
    /// Largest accepted width times height.
    pub max_pixels: u64,
    /// Cap handed to the decoder on everything it allocates at once.
    pub max_alloc: u64,
}

impl Default for Limits {
    /// 25 MiB, 12000 px a side, 50 megapixels, 256 MiB of decoder memory.
    fn default() -> Self {
        Limits {
            max_bytes: 25 * 1024 * 1024,
            max_width: 12_000,
            max_height: 12_000,
            max_pixels: 50_000_000,
            max_alloc: 256 * 1024 * 1024,
        }
    }
}

/// Why an original was refused.
///
/// Every variant is permanent: the same bytes fail the same way on every
/// try, so a caller must not retry them (a mirror message carrying them
/// belongs in the dead-letter queue, a guest upload is rejected).
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The magic bytes are none of JPEG, PNG, WebP or GIF.
    #[error("not a JPEG, PNG, WebP or GIF image")]
    NotAnImage,
    /// The header declares dimensions over [`Limits`], or decoding would
    /// need more memory than `max_alloc`.
    #[error("image of {width}x{height} is over the size limits")]
    TooLarge { width: u32, height: u32 },
    #[error("image of {bytes} bytes is over the byte limit")]
    TooManyBytes { bytes: usize },
    /// Truncated or corrupt data, or a feature the decoder lacks.
    #[error("image cannot be decoded: {0}")]
    Undecodable(String),
    #[error("variant cannot be encoded: {0}")]
    Encode(String),
}

/// One encoded variant of an original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    pub bytes: Vec<u8>,
}

impl Rendition {
    /// `media/<sha256>/w<width>.<ext>`, beside the original it came from.
    pub fn key(&self, sha: &Sha256) -> String {
        format!("media/{sha}/w{}.{}", self.width, self.format.extension())
    }
}

/// An original that passed every check, with its variants.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Of the original's bytes, exactly as received.
    pub sha256: Sha256,
    pub format: Format,
    /// As displayed, that is after the EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// Smallest first; never empty.
    pub variants: Vec<Rendition>,
    /// `#rrggbb`: the average colour, shown while a variant loads.
    pub placeholder: String,
}

impl Processed {
    /// `media/<sha256>/original.<ext>`.
    pub fn original_key(&self) -> String {
        format!("media/{}/original.{}", self.sha256, self.format.extension())
    }
}

/// Checks, decodes, resizes and encodes one original.
///
/// The output is a function of the bytes alone: the same bytes give the
/// same sha256 and byte-identical variants on the same build and CPU
/// family, so a replayed message rewrites identical objects. (The SIMD
/// paths of the resizer and encoder may round differently on another CPU
/// family; the keys stay the same and the pixels differ invisibly.)
pub fn process(bytes: &[u8], limits: &Limits) -> Result<Processed, ImageError> {
    let (header, decoder) = decode::open(bytes, limits)?;
    let sha256 = tracing::debug_span!("hash").in_scope(|| Sha256::of(bytes));
    let source = tracing::debug_span!("decode").in_scope(|| decode::rgb8(decoder, &header))?;

    let (width, height) = header.displayed_size();
    let sizes = resize::variant_sizes(width, height);
    let pixels = tracing::debug_span!("resize")
        .in_scope(|| resize::resize_all(&source, header.orientation, &sizes))?;
    drop(source);

    let placeholder = resize::average_colour(&pixels[0]);
    let variants = tracing::debug_span!("encode").in_scope(|| encode::renditions(&pixels))?;
    Ok(Processed {
        sha256,
        format: header.format,
        width,
        height,
        variants,
        placeholder,
    })
}

/// The format and displayed dimensions of an original, from its header
/// alone, with the same checks [`process`] makes before decoding.
pub fn probe(bytes: &[u8], limits: &Limits) -> Result<(Format, u32, u32), ImageError> {
    let (header, _decoder) = decode::open(bytes, limits)?;
    let (width, height) = header.displayed_size();
    Ok((header.format, width, height))
}
