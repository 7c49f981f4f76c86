//! Encoding variants. WebP is the default; the JPEG encoder stays for
//! comparison and as a fallback should a client ever need it.
//!
//! Both encoders run single-threaded with fixed settings, so the same
//! pixels always give the same bytes.

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;

use super::{ImageError, OutputFormat, Rendition};

/// The encoding of every variant.
///
/// WebP, because at equal SSIM it is the smaller file on the photo corpus:
/// 84% of a 4:2:0 JPEG's bytes for resized variants, 73% for re-encodes at
/// the original's size (BENCHMARKS.md has the figures).
pub const OUTPUT_FORMAT: OutputFormat = OutputFormat::Webp;

/// libwebp quality for variants (0-100).
pub const WEBP_QUALITY: f32 = 78.0;

/// The JPEG quality whose SSIM matched [`WEBP_QUALITY`]'s on the corpus
/// (69 on average for resized variants, 71 for same-size re-encodes).
pub const JPEG_QUALITY: u8 = 70;

/// libwebp's effort, 0 (fastest) to 6; 4 is its default and sharp's.
/// Method 2 encodes 2.5 times faster for 3.5% more bytes; variants are
/// encoded once and served many times, so the bytes win.
const WEBP_METHOD: i32 = 4;

/// Encodes each image in [`OUTPUT_FORMAT`], in the order given.
pub(super) fn renditions(pixels: &[RgbImage]) -> Result<Vec<Rendition>, ImageError> {
    pixels
        .iter()
        .map(|image| {
            Ok(Rendition {
                width: image.width(),
                height: image.height(),
                format: OUTPUT_FORMAT,
                bytes: encode(image, OUTPUT_FORMAT)?,
            })
        })
        .collect()
}

pub(super) fn encode(image: &RgbImage, format: OutputFormat) -> Result<Vec<u8>, ImageError> {
    match format {
        OutputFormat::Webp => webp(image),
        OutputFormat::Jpeg => jpeg(image),
    }
}

fn webp(image: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut config = webp::WebPConfig::new()
        .map_err(|()| ImageError::Encode("libwebp rejected its default config".into()))?;
    config.quality = WEBP_QUALITY;
    config.method = WEBP_METHOD;
    config.thread_level = 0;

    webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height())
        .encode_advanced(&config)
        .map(|memory| memory.to_vec())
        .map_err(|e| ImageError::Encode(format!("webp: {e:?}")))
}

fn jpeg(image: &RgbImage) -> Result<Vec<u8>, ImageError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|e| ImageError::Encode(format!("jpeg: {e}")))?;
    Ok(bytes)
}
