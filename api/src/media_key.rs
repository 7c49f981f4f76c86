//! The keys `/media/...` may serve, parsed from the request path.
//!
//! Only the two shapes the mirror writes are accepted:
//! `media/<sha256>/original.<ext>` and `media/<sha256>/w<width>.<format>`.
//! The S3 key is rebuilt from the parsed parts rather than taken from the
//! path, so nothing a client types becomes a key of its own making: no
//! `..`, no `uploads/`, no second `media/`.

use std::fmt;

use galleon_common::domain::Sha256;

/// The widest variant a key may name; also bounds the digits parsed.
const MAX_WIDTH: u32 = 16_384;

/// A file format an object under `media/` may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpg,
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl Format {
    fn parse(ext: &str) -> Option<Self> {
        Some(match ext {
            "jpg" => Format::Jpg,
            "jpeg" => Format::Jpeg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            "gif" => Format::Gif,
            _ => return None,
        })
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Jpg => "jpg",
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpg | Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
        }
    }
}

/// Which rendition of an image a key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    Original(Format),
    /// Variants are never GIFs: the mirror writes stills only.
    Width(u32, Format),
}

/// A validated key under `media/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaKey {
    sha256: Sha256,
    rendition: Rendition,
}

impl MediaKey {
    /// Parses a full key (`media/<sha>/<file>`), as stored in an item.
    pub fn parse(key: &str) -> Option<Self> {
        Self::parse_under_media(key.strip_prefix("media/")?)
    }

    /// Parses what follows `/media/` in a request path.
    pub fn parse_under_media(rest: &str) -> Option<Self> {
        let (sha, file) = rest.split_once('/')?;
        let sha256 = sha.parse().ok()?;
        let rendition = parse_file(file)?;
        Some(MediaKey { sha256, rendition })
    }

    pub fn format(&self) -> Format {
        match self.rendition {
            Rendition::Original(f) | Rendition::Width(_, f) => f,
        }
    }

    /// The relative URL the API serves this key at.
    pub fn url(&self) -> String {
        format!("/{self}")
    }
}

fn parse_file(file: &str) -> Option<Rendition> {
    let (stem, ext) = file.split_once('.')?;
    let format = Format::parse(ext)?;
    if stem == "original" {
        return Some(Rendition::Original(format));
    }
    let digits = stem.strip_prefix('w')?;
    let plain_number = !digits.is_empty()
        && digits.len() <= 5
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    let width: u32 = if plain_number {
        digits.parse().ok()?
    } else {
        return None;
    };
    let still = matches!(
        format,
        Format::Jpg | Format::Jpeg | Format::Png | Format::Webp
    );
    (width <= MAX_WIDTH && still).then_some(Rendition::Width(width, format))
}

impl fmt::Display for MediaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rendition {
            Rendition::Original(format) => {
                write!(f, "media/{}/original.{}", self.sha256, format.ext())
            }
            Rendition::Width(w, format) => write!(f, "media/{}/w{w}.{}", self.sha256, format.ext()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn the_two_stored_shapes_parse_and_print_back() {
        for file in [
            "original.jpg",
            "original.png",
            "w320.webp",
            "w1080.jpg",
            "w640.jpeg",
        ] {
            let key = format!("media/{SHA}/{file}");

            let parsed = MediaKey::parse(&key);

            assert_eq!(parsed.map(|k| k.to_string()), Some(key.clone()), "{key}");
        }
    }

    #[test]
    fn a_variant_key_knows_its_content_type() {
        let key = MediaKey::parse(&format!("media/{SHA}/w320.webp")).expect("valid");

        assert_eq!(key.format().content_type(), "image/webp");
        assert_eq!(key.url(), format!("/media/{SHA}/w320.webp"));
    }

    #[test]
    fn anything_else_is_refused() {
        let upper = SHA.to_uppercase();
        let refused = [
            String::new(),
            "../..".into(),
            "uploads/x".into(),
            format!("media/{SHA}/../../x"),
            format!("{SHA}/../x.jpg"),
            format!("{SHA}/original.jpg/extra"),
            format!("{SHA}/original.exe"),
            format!("{SHA}/original"),
            format!("{SHA}/w.webp"),
            format!("{SHA}/w0320.webp"),
            format!("{SHA}/w99999999.webp"),
            format!("{SHA}/w320.gif"),
            format!("{SHA}/w320.webp.jpg"),
            format!("{SHA}/w+320.webp"),
            format!("{upper}/original.jpg"),
            format!("{}/original.jpg", &SHA[..63]),
        ];
        for rest in refused {
            assert_eq!(MediaKey::parse_under_media(&rest), None, "{rest:?}");
        }
    }
}
