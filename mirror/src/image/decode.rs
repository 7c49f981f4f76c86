//! Reading an original: first its header (format from the magic bytes,
//! dimensions, EXIF orientation), checked against [`Limits`] before any
//! pixel buffer exists; then its pixels, as 8-bit RGB.
//!
//! The decoder gets the same bounds as `image::Limits`, so a header that
//! lies about its size cannot make it allocate more than `max_alloc`. An
//! animated GIF or WebP gives its first frame.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage, RgbaImage};

use super::{Format, ImageError, Limits};

/// What the header of an accepted original says.
#[derive(Debug, Clone, Copy)]
pub(super) struct Header {
    pub format: Format,
    /// As stored, before the orientation is applied.
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
}

impl Header {
    /// Width and height as displayed, after the orientation.
    pub fn displayed_size(&self) -> (u32, u32) {
        if swaps_axes(self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Whether the orientation turns the image a quarter turn.
pub(super) fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Checks an original's size, format and header, and returns a decoder
/// ready to produce its pixels.
pub(super) fn open<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<(Header, impl ImageDecoder + 'a), ImageError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooManyBytes { bytes: bytes.len() });
    }
    let format = Format::sniff(bytes)?;
    if format == Format::Jpeg && !jpeg_has_end(bytes) {
        return Err(ImageError::Undecodable(
            "JPEG ends before its end marker".into(),
        ));
    }

    let mut decoder = header_decoder(bytes, format, limits)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;
    decoder
        .set_limits(decoder_limits(limits))
        .map_err(|_| ImageError::TooLarge { width, height })?;

    // A broken EXIF block is common and harmless: show the image unturned.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let header = Header {
        format,
        width,
        height,
        orientation,
    };
    Ok((header, decoder))
}

/// A decoder that has read the header. Only the allocation cap is set
/// yet, so that an oversized image is reported with its dimensions.
fn header_decoder<'a>(
    bytes: &'a [u8],
    format: Format,
    limits: &Limits,
) -> Result<impl ImageDecoder + 'a, ImageError> {
    let mut alloc_only = image::Limits::no_limits();
    alloc_only.max_alloc = Some(limits.max_alloc);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.to_image_format());
    reader.limits(alloc_only);
    reader
        .into_decoder()
        .map_err(|e| ImageError::Undecodable(e.to_string()))
}

fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::Undecodable(format!(
            "image of {width}x{height}"
        )));
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > limits.max_width || height > limits.max_height || pixels > limits.max_pixels {
        return Err(ImageError::TooLarge { width, height });
    }
    Ok(())
}

fn decoder_limits(limits: &Limits) -> image::Limits {
    let mut bounds = image::Limits::no_limits();
    bounds.max_image_width = Some(limits.max_width);
    bounds.max_image_height = Some(limits.max_height);
    bounds.max_alloc = Some(limits.max_alloc);
    bounds
}

/// Whether a JPEG's entropy-coded data is followed by an end-of-image
/// marker. The JPEG decoder fills a truncated image with grey and reports
/// success; a half-grey photo must not be stored as if it were whole.
fn jpeg_has_end(bytes: &[u8]) -> bool {
    let Some(scan) = first_scan(bytes) else {
        return false;
    };
    // Entropy-coded data escapes 0xFF, so the pair only occurs as a marker.
    bytes[scan..]
        .windows(2)
        .rev()
        .any(|pair| pair == [0xFF, 0xD9])
}

/// Offset of the first scan's data, found by walking the segments that
/// precede it (an EXIF thumbnail's own end marker lives in one of them).
fn first_scan(bytes: &[u8]) -> Option<usize> {
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]);
        let next = at + 2 + usize::from(length);
        if marker == 0xDA {
            return (next <= bytes.len()).then_some(next);
        }
        at = next;
    }
}

/// Decodes the pixels as 8-bit RGB, the one full-size buffer of the path.
///
/// JPEGs decode straight into it. Images with transparency are flattened
/// onto white, since variants carry no alpha channel.
pub(super) fn rgb8(decoder: impl ImageDecoder, header: &Header) -> Result<RgbImage, ImageError> {
    let image = DynamicImage::from_decoder(decoder).map_err(|error| match error {
        image::ImageError::Limits(_) => ImageError::TooLarge {
            width: header.width,
            height: header.height,
        },
        other => ImageError::Undecodable(other.to_string()),
    })?;
    Ok(match image {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other if other.color().has_alpha() => flatten_on_white(&other.into_rgba8()),
        other => other.into_rgb8(),
    })
}

fn flatten_on_white(rgba: &RgbaImage) -> RgbImage {
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let c = u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a));
            // Rounded division by 255; the result is at most 255.
            ((c + 127) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}
