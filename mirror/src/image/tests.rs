//! Tests of the image path on the fixture photos and on hand-built files.

use std::io::Cursor;

use image::{ImageFormat, RgbImage, RgbaImage};

use super::*;

fn photo(name: &str) -> Vec<u8> {
    let path = format!("{}/../fixture/photos/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn png_of(image: impl Into<image::DynamicImage>) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image
        .into()
        .write_to(&mut bytes, ImageFormat::Png)
        .expect("png encodes");
    bytes.into_inner()
}

fn sizes(processed: &Processed) -> Vec<(u32, u32)> {
    processed
        .variants
        .iter()
        .map(|v| (v.width, v.height))
        .collect()
}

/// A PNG chunk: length, type, data and the CRC of type and data.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    let length = u32::try_from(data.len()).expect("small chunk");
    [
        &length.to_be_bytes()[..],
        kind,
        data,
        &crc.finalize().to_be_bytes(),
    ]
    .concat()
}

/// A PNG whose header declares `width` x `height` RGB pixels but whose
/// data is a few bytes: only a decoder that trusts the header allocates.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let ihdr = [
        &width.to_be_bytes()[..],
        &height.to_be_bytes(),
        &[8, 2, 0, 0, 0],
    ]
    .concat();
    let idat = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    [
        &b"\x89PNG\r\n\x1a\n"[..],
        &png_chunk(b"IHDR", &ihdr),
        &png_chunk(b"IDAT", &idat),
        &png_chunk(b"IEND", &[]),
    ]
    .concat()
}

/// `jpeg` with an EXIF block right after its start marker saying the
/// camera was turned: orientation 6, shown rotated 90 degrees clockwise.
fn with_exif_orientation_6(jpeg: &[u8]) -> Vec<u8> {
    let tiff = [
        &b"MM\x00\x2a\x00\x00\x00\x08"[..],
        &[0x00, 0x01],
        &[
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
        ],
        &[0x00, 0x00, 0x00, 0x00],
    ]
    .concat();
    let payload = [&b"Exif\x00\x00"[..], &tiff].concat();
    let length = u16::try_from(payload.len() + 2)
        .expect("small segment")
        .to_be_bytes();
    [&jpeg[..2], &[0xFF, 0xE1], &length, &payload, &jpeg[2..]].concat()
}

#[test]
fn a_1080_by_1350_jpeg_yields_variants_at_320_640_and_1080() {
    let processed = process(&photo("portrait-chelsea.jpg"), &Limits::default()).expect("ok");

    assert_eq!(
        (processed.format, processed.width, processed.height),
        (Format::Jpeg, 1080, 1350)
    );
    assert_eq!(sizes(&processed), [(320, 400), (640, 800), (1080, 1350)]);
    assert!(
        processed
            .variants
            .iter()
            .all(|v| v.bytes.starts_with(b"RIFF"))
    );
}

#[test]
fn a_12_megapixel_phone_photo_is_resized_to_the_three_widths() {
    let processed = process(&photo("phone-chelsea.jpg"), &Limits::default()).expect("ok");

    assert_eq!((processed.width, processed.height), (4032, 3024));
    assert_eq!(sizes(&processed), [(320, 240), (640, 480), (1080, 810)]);
}

#[test]
fn a_200_pixel_wide_image_yields_one_variant_at_its_own_width() {
    let small = RgbImage::from_fn(200, 150, |x, y| image::Rgb([x as u8, y as u8, 90]));

    let processed = process(&png_of(small), &Limits::default()).expect("ok");

    assert_eq!(processed.format, Format::Png);
    assert_eq!(sizes(&processed), [(200, 150)]);
}

#[test]
fn an_image_between_two_widths_is_never_upscaled() {
    let medium = RgbImage::from_pixel(800, 400, image::Rgb([10, 20, 30]));

    let processed = process(&png_of(medium), &Limits::default()).expect("ok");

    assert_eq!(sizes(&processed), [(320, 160), (640, 320)]);
}

#[test]
fn the_exif_orientation_turns_the_image_and_its_variants() {
    let landscape = RgbImage::from_pixel(400, 200, image::Rgb([200, 100, 50]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .encode_image(&landscape)
        .expect("encodes");

    let processed = process(&with_exif_orientation_6(&jpeg), &Limits::default()).expect("ok");

    assert_eq!((processed.width, processed.height), (200, 400));
    assert_eq!(sizes(&processed), [(200, 400)]);
}

#[test]
fn bytes_that_are_not_an_image_are_refused_as_not_an_image() {
    let html = b"<!doctype html><title>Login</title>";

    assert!(matches!(
        process(html, &Limits::default()),
        Err(ImageError::NotAnImage)
    ));
    assert!(matches!(
        process(&[], &Limits::default()),
        Err(ImageError::NotAnImage)
    ));
}

#[test]
fn a_truncated_jpeg_is_undecodable() {
    let whole = photo("portrait-chelsea.jpg");

    let result = process(&whole[..whole.len() / 2], &Limits::default());

    assert!(
        matches!(result, Err(ImageError::Undecodable(_))),
        "{result:?}"
    );
}

#[test]
fn a_truncated_png_is_undecodable() {
    let whole = png_of(RgbImage::from_fn(300, 300, |x, y| {
        image::Rgb([x as u8, y as u8, 0])
    }));

    let result = process(&whole[..whole.len() / 2], &Limits::default());

    assert!(
        matches!(result, Err(ImageError::Undecodable(_))),
        "{result:?}"
    );
}

#[test]
fn a_png_declaring_30000_by_30000_is_too_large_from_its_header() {
    let bytes = png_declaring(30_000, 30_000);

    let processed = process(&bytes, &Limits::default());
    let probed = probe(&bytes, &Limits::default());

    assert!(matches!(
        processed,
        Err(ImageError::TooLarge {
            width: 30_000,
            height: 30_000
        })
    ));
    assert!(matches!(
        probed,
        Err(ImageError::TooLarge {
            width: 30_000,
            height: 30_000
        })
    ));
}

#[test]
fn a_png_within_each_side_but_over_the_pixel_count_is_too_large() {
    let limits = Limits {
        max_pixels: 1_000_000,
        ..Limits::default()
    };

    let result = probe(&png_declaring(2000, 1000), &limits);

    assert!(matches!(
        result,
        Err(ImageError::TooLarge {
            width: 2000,
            height: 1000
        })
    ));
}

#[test]
fn an_original_over_the_byte_limit_is_refused_before_anything_else() {
    let limits = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };

    let result = process(&photo("portrait-chelsea.jpg"), &limits);

    assert!(
        matches!(result, Err(ImageError::TooManyBytes { bytes: 285_697 })),
        "{result:?}"
    );
}

#[test]
fn probe_reads_the_format_and_size_of_a_phone_photo() {
    let probed = probe(&photo("phone-hubble.jpg"), &Limits::default()).expect("ok");

    assert_eq!(probed, (Format::Jpeg, 3024, 4032));
}

#[test]
fn the_same_bytes_give_the_same_sha256_and_identical_variants() {
    let bytes = photo("square-coffee.jpg");

    let first = process(&bytes, &Limits::default()).expect("ok");
    let second = process(&bytes, &Limits::default()).expect("ok");

    assert_eq!(first.sha256, second.sha256);
    assert_eq!(first.sha256, Sha256::of(&bytes));
    assert_eq!(first.variants, second.variants);
}

#[test]
fn the_placeholder_is_an_rrggbb_colour() {
    let processed = process(&photo("landscape-rocket.jpg"), &Limits::default()).expect("ok");

    let hex = processed
        .placeholder
        .strip_prefix('#')
        .expect("starts with #");
    assert_eq!(hex.len(), 6);
    assert!(
        hex.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    );
}

#[test]
fn the_placeholder_is_the_average_colour() {
    let halves = RgbImage::from_fn(100, 100, |x, _| {
        if x < 50 {
            image::Rgb([0, 0, 0])
        } else {
            image::Rgb([255, 255, 255])
        }
    });

    let processed = process(&png_of(halves), &Limits::default()).expect("ok");

    assert_eq!(processed.placeholder, "#808080");
}

#[test]
fn a_transparent_png_is_flattened_onto_white() {
    let clear = RgbaImage::from_pixel(50, 50, image::Rgba([0, 0, 0, 0]));

    let processed = process(&png_of(clear), &Limits::default()).expect("ok");

    assert_eq!(processed.placeholder, "#ffffff");
}

#[test]
fn keys_follow_the_content_addressed_layout() {
    let processed = process(&photo("portrait-rocket.jpg"), &Limits::default()).expect("ok");
    let sha = &processed.sha256;

    assert_eq!(
        processed.original_key(),
        format!("media/{sha}/original.jpg")
    );
    assert_eq!(
        processed.variants[0].key(sha),
        format!("media/{sha}/w320.webp")
    );
}

#[test]
fn the_jpeg_encoder_kept_beside_webp_writes_jpeg() {
    let pixels = RgbImage::from_pixel(64, 48, image::Rgb([1, 2, 3]));

    let bytes = encode::encode(&pixels, OutputFormat::Jpeg).expect("encodes");

    assert_eq!(Format::sniff(&bytes).ok(), Some(Format::Jpeg));
}
