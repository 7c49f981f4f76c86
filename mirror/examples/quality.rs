//! The measurements behind two choices of the image path, printed for
//! BENCHMARKS.md: WebP or JPEG for variants, and cascaded or direct
//! resizing.
//!
//! For each photo and width it resizes the decoded original straight to the
//! width (the reference) and encodes the reference as a good JPEG (4:2:0,
//! optimised Huffman tables, quality [`JPEG_QUALITY`]) and as WebP at
//! [`WEBP_QUALITY`]. It then finds, by SSIM against the reference, the WebP
//! quality that matches the JPEG and the JPEG quality that matches the
//! WebP, and prints the sizes. It also prints the SSIM of a cascaded resize
//! (1080 -> 640 -> 320) against the reference.
//!
//! Rows where the reference is the original itself (a 1080-wide original
//! at 1080) are summed apart: re-encoding a JPEG as JPEG on the same 8x8
//! grid keeps its artefacts almost for free, which SSIM rewards.
//!
//! ```text
//! cargo run --release -p galleon-mirror --example quality -- fixture/photos/*.jpg
//! ```

use std::error::Error;
use std::io::Cursor;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use galleon_mirror::image::{JPEG_QUALITY, WEBP_QUALITY, WIDTHS};
use image::RgbImage;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// An encoding at one quality: its size and its SSIM against the reference.
#[derive(Clone, Copy)]
struct Sample {
    quality: u8,
    bytes: usize,
    ssim: f64,
}

/// One photo at one width.
struct Row {
    reencode: bool,
    jpeg: Sample,
    webp: Sample,
    /// The lowest WebP quality at least as good as `jpeg`.
    webp_matching_jpeg: Sample,
    /// The lowest JPEG quality at least as good as `webp`.
    jpeg_matching_webp: Sample,
    /// The image crate's encoder (4:4:4, fixed tables) at [`JPEG_QUALITY`].
    image_crate_jpeg_bytes: usize,
    cascade_ssim: f64,
}

#[derive(Clone, Copy)]
enum Codec {
    Jpeg,
    Webp,
}

fn main() -> Result<()> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        return Err("usage: quality FILE...".into());
    }
    println!(
        "{:<24} {:>5}  {:>18}  {:>18}  {:>12}  {:>12}  cascade",
        "file", "width", "jpeg B (ssim)", "webp B (ssim)", "webp=jpeg", "jpeg=webp"
    );
    let mut rows = Vec::new();
    for file in &files {
        let source = image::open(file)?.into_rgb8();
        let name = file.rsplit('/').next().unwrap_or(file);
        for (width, row) in measure(&source)? {
            print_row(name, width, &row);
            rows.push(row);
        }
    }
    println!();
    summarise("resized variants", rows.iter().filter(|r| !r.reencode));
    summarise("same-size re-encodes", rows.iter().filter(|r| r.reencode));
    let worst = rows.iter().map(|r| r.cascade_ssim).fold(1.0, f64::min);
    let mean = rows.iter().map(|r| r.cascade_ssim).sum::<f64>() / rows.len() as f64;
    println!("cascade against direct resize: mean ssim {mean:.4}, worst {worst:.4}");
    Ok(())
}

fn print_row(name: &str, width: u32, row: &Row) {
    let sample = |s: Sample| format!("{:>7} ({:.4})", s.bytes, s.ssim);
    let matched = |s: Sample| format!("q{:<3}{:>7}", s.quality, s.bytes);
    println!(
        "{name:<24} {width:>5}  {:>18}  {:>18}  {:>12}  {:>12}  {:.4}",
        sample(row.jpeg),
        sample(row.webp),
        matched(row.webp_matching_jpeg),
        matched(row.jpeg_matching_webp),
        row.cascade_ssim
    );
}

fn measure(source: &RgbImage) -> Result<Vec<(u32, Row)>> {
    let widths: Vec<u32> = WIDTHS
        .into_iter()
        .filter(|&w| w <= source.width())
        .collect();
    let mut cascade = source.clone();
    let mut rows = Vec::new();
    for &width in widths.iter().rev() {
        let height = (source.height() * width + source.width() / 2) / source.width();
        let reference = resize(source, width, height)?;
        cascade = resize(&cascade, width, height)?;
        let mut row = row(&reference, &cascade)?;
        row.reencode = width == source.width();
        rows.push((width, row));
    }
    rows.reverse();
    Ok(rows)
}

fn row(reference: &RgbImage, cascade: &RgbImage) -> Result<Row> {
    let jpeg = sample(reference, Codec::Jpeg, JPEG_QUALITY)?;
    let webp = sample(reference, Codec::Webp, WEBP_QUALITY as u8)?;
    let mut image_crate_jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut image_crate_jpeg, JPEG_QUALITY)
        .encode_image(reference)?;
    Ok(Row {
        reencode: false,
        jpeg,
        webp,
        webp_matching_jpeg: matching(reference, Codec::Webp, jpeg.ssim)?,
        jpeg_matching_webp: matching(reference, Codec::Jpeg, webp.ssim)?,
        image_crate_jpeg_bytes: image_crate_jpeg.len(),
        cascade_ssim: ssim(reference, cascade),
    })
}

fn sample(reference: &RgbImage, codec: Codec, quality: u8) -> Result<Sample> {
    let (bytes, decoded) = match codec {
        Codec::Jpeg => (
            jpeg(reference, quality, true)?,
            decode(&jpeg(reference, quality, false)?)?,
        ),
        Codec::Webp => {
            let bytes = webp(reference, f32::from(quality))?;
            let decoded = decode(&bytes)?;
            (bytes, decoded)
        }
    };
    Ok(Sample {
        quality,
        bytes: bytes.len(),
        ssim: ssim(reference, &decoded),
    })
}

/// The lowest quality of `codec` whose SSIM reaches `target`, by bisection
/// (SSIM grows with quality, near enough).
fn matching(reference: &RgbImage, codec: Codec, target: f64) -> Result<Sample> {
    let (mut low, mut high) = (1u8, 100u8);
    while low < high {
        let middle = low + (high - low) / 2;
        if sample(reference, codec, middle)?.ssim >= target {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    sample(reference, codec, high)
}

fn summarise<'a>(label: &str, rows: impl Iterator<Item = &'a Row>) {
    let rows: Vec<&Row> = rows.collect();
    if rows.is_empty() {
        return;
    }
    let total = |f: fn(&Row) -> usize| rows.iter().map(|r| f(r)).sum::<usize>();
    let mean = |f: fn(&Row) -> f64| rows.iter().map(|r| f(r)).sum::<f64>() / rows.len() as f64;
    let jpeg = total(|r| r.jpeg.bytes);
    let percent = |bytes: usize| 100.0 * bytes as f64 / jpeg as f64;
    println!("{label} ({} rows):", rows.len());
    println!(
        "  jpeg 4:2:0 q{JPEG_QUALITY}: {jpeg} B, mean ssim {:.4}",
        mean(|r| r.jpeg.ssim)
    );
    let webp = total(|r| r.webp.bytes);
    println!(
        "  webp q{WEBP_QUALITY}: {webp} B ({:.0}% of jpeg), mean ssim {:.4}",
        percent(webp),
        mean(|r| r.webp.ssim)
    );
    let matched = total(|r| r.webp_matching_jpeg.bytes);
    println!(
        "  webp at the jpeg's ssim: {matched} B ({:.0}%), mean quality {:.1}",
        percent(matched),
        mean(|r| f64::from(r.webp_matching_jpeg.quality))
    );
    let matched = total(|r| r.jpeg_matching_webp.bytes);
    println!(
        "  jpeg at the webp's ssim: {matched} B ({:.0}%), mean quality {:.1}; webp is {:.0}% of it",
        percent(matched),
        mean(|r| f64::from(r.jpeg_matching_webp.quality)),
        100.0 * webp as f64 / matched as f64
    );
    let crate_jpeg = total(|r| r.image_crate_jpeg_bytes);
    println!(
        "  image crate jpeg q{JPEG_QUALITY} (4:4:4): {crate_jpeg} B ({:.0}%)",
        percent(crate_jpeg)
    );
}

fn resize(from: &RgbImage, width: u32, height: u32) -> Result<RgbImage> {
    let source = ImageRef::new(from.width(), from.height(), from.as_raw(), PixelType::U8x3)?;
    let mut target = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(&source, &mut target, &options)?;
    RgbImage::from_raw(width, height, target.into_vec()).ok_or_else(|| "bad buffer".into())
}

/// A JPEG as a good encoder writes it by default: 4:2:0 below quality 90,
/// optimised Huffman tables if `optimised`.
///
/// zune-jpeg 0.5 misdecodes jpeg-encoder 0.7's optimised tables (libjpeg
/// reads them), so the SSIM of a JPEG is taken on the standard-table
/// encoding: the tables are lossless, the pixels are the same.
fn jpeg(image: &RgbImage, quality: u8, optimised: bool) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, quality);
    encoder.set_optimized_huffman_tables(optimised);
    let (width, height) = (
        u16::try_from(image.width())?,
        u16::try_from(image.height())?,
    );
    encoder.encode(image.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)?;
    Ok(bytes)
}

/// WebP with the mirror's settings (libwebp defaults, method 4).
fn webp(image: &RgbImage, quality: f32) -> Result<Vec<u8>> {
    let mut config = webp::WebPConfig::new().map_err(|()| "libwebp config")?;
    config.quality = quality;
    config.method = 4;
    let memory = webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height())
        .encode_advanced(&config)
        .map_err(|e| format!("webp: {e:?}"))?;
    Ok(memory.to_vec())
}

fn decode(bytes: &[u8]) -> Result<RgbImage> {
    Ok(image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .decode()?
        .into_rgb8())
}

/// Mean SSIM of the luma of two images of the same size, over 8x8 windows
/// at a stride of 4, with the usual constants for 8-bit samples.
fn ssim(a: &RgbImage, b: &RgbImage) -> f64 {
    let (la, lb) = (luma(a), luma(b));
    let width = a.width() as usize;
    let height = a.height() as usize;
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (mut total, mut windows) = (0.0, 0usize);
    for top in (0..height.saturating_sub(7)).step_by(4) {
        for left in (0..width.saturating_sub(7)).step_by(4) {
            let at = |y: usize, x: usize| (top + y) * width + left + x;
            let pairs = (0..64).map(|i| (la[at(i / 8, i % 8)], lb[at(i / 8, i % 8)]));
            let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for (x, y) in pairs {
                sa += x;
                sb += y;
                saa += x * x;
                sbb += y * y;
                sab += x * y;
            }
            let (ma, mb) = (sa / 64.0, sb / 64.0);
            let (va, vb, cov) = (
                saa / 64.0 - ma * ma,
                sbb / 64.0 - mb * mb,
                sab / 64.0 - ma * mb,
            );
            total += ((2.0 * ma * mb + c1) * (2.0 * cov + c2))
                / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            windows += 1;
        }
    }
    total / windows.max(1) as f64
}

fn luma(image: &RgbImage) -> Vec<f64> {
    image
        .pixels()
        .map(|p| {
            let [r, g, b] = p.0.map(f64::from);
            0.299 * r + 0.587 * g + 0.114 * b
        })
        .collect()
}
