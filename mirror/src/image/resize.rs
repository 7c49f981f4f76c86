//! Which sizes an original's variants get, and making them: a Lanczos3
//! resize with fast_image_resize (SIMD), then the EXIF orientation.
//!
//! Turning a 12-megapixel photo would copy the largest buffer of the path,
//! so the stored pixels are resized first, to the turned target's
//! transposed size, and only the small results are turned.
//!
//! The widths cascade: the largest is made from the original, each smaller
//! one from the one above it. For a 12-megapixel photo that is 18 ms of
//! resizing instead of 43; against resizing each from the original the
//! SSIM is 0.9996 on average (worst 0.9977), far above the encoder's own
//! loss (about 0.94).

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, RgbImage};

use super::decode::swaps_axes;
use super::{ImageError, WIDTHS};

/// A width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Size {
    pub width: u32,
    pub height: u32,
}

/// The variant sizes of a displayed `width` x `height` image, smallest
/// first, keeping the aspect ratio and never wider than the original.
pub(super) fn variant_sizes(width: u32, height: u32) -> Vec<Size> {
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w <= width).collect();
    if widths.is_empty() {
        widths.push(width);
    }
    widths
        .into_iter()
        .map(|w| Size {
            width: w,
            height: scaled_height(width, height, w),
        })
        .collect()
}

/// `height * to / width`, rounded, and at least one pixel.
fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

/// Resizes `source` (as stored) to every size in `sizes` (as displayed,
/// smallest first), turned by `orientation`; smallest first.
pub(super) fn resize_all(
    source: &RgbImage,
    orientation: Orientation,
    sizes: &[Size],
) -> Result<Vec<RgbImage>, ImageError> {
    let mut resizer = Resizer::new();
    let mut stored: Vec<RgbImage> = Vec::with_capacity(sizes.len());
    for size in sizes.iter().rev() {
        let from = stored.last().unwrap_or(source);
        let next = resize(&mut resizer, from, stored_size(*size, orientation))?;
        stored.push(next);
    }
    stored.reverse();
    Ok(stored
        .into_iter()
        .map(|pixels| turned(pixels, orientation))
        .collect())
}

/// The size to resize the stored pixels to so that, once turned, they
/// are `displayed`.
fn stored_size(displayed: Size, orientation: Orientation) -> Size {
    if swaps_axes(orientation) {
        Size {
            width: displayed.height,
            height: displayed.width,
        }
    } else {
        displayed
    }
}

fn resize(resizer: &mut Resizer, from: &RgbImage, to: Size) -> Result<RgbImage, ImageError> {
    if (from.width(), from.height()) == (to.width, to.height) {
        return Ok(from.clone());
    }
    let failed = |e: &dyn std::fmt::Display| ImageError::Encode(format!("resize: {e}"));
    let mut target = Image::new(to.width, to.height, PixelType::U8x3);
    let source = fast_image_resize::images::ImageRef::new(
        from.width(),
        from.height(),
        from.as_raw(),
        PixelType::U8x3,
    )
    .map_err(|e| failed(&e))?;
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    resizer
        .resize(&source, &mut target, &options)
        .map_err(|e| failed(&e))?;
    RgbImage::from_raw(to.width, to.height, target.into_vec())
        .ok_or_else(|| failed(&"buffer of the wrong length"))
}

fn turned(pixels: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return pixels;
    }
    let mut image = DynamicImage::ImageRgb8(pixels);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

/// The mean colour of `pixels` as `#rrggbb`.
pub(super) fn average_colour(pixels: &RgbImage) -> String {
    let mut sums = [0u64; 3];
    for pixel in pixels.pixels() {
        for (sum, channel) in sums.iter_mut().zip(pixel.0) {
            *sum += u64::from(channel);
        }
    }
    let count = u64::from(pixels.width()) * u64::from(pixels.height());
    let [r, g, b] = sums.map(|sum| (sum + count / 2) / count.max(1));
    format!("#{r:02x}{g:02x}{b:02x}")
}
