//! Storing a processed image: the original once under its sha256, then
//! each variant beside it. Objects are written before any metadata points
//! at them, so an item never names a missing object.

use galleon_common::domain::{StoredImage, Variant};
use galleon_common::store::{Bucket, StoreError};

use crate::image::{self, ImageError, Limits};

#[derive(Debug, thiserror::Error)]
pub enum StoreImageError {
    #[error("the image was refused")]
    Image(#[from] ImageError),
    #[error("storing the image failed")]
    Store(#[from] StoreError),
}

/// Checks, resizes and stores `bytes`. The image work runs on the blocking
/// pool so that it does not stall the runtime.
pub async fn store_image(
    bucket: &Bucket,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<StoredImage, StoreImageError> {
    let limits = limits.clone();
    let (processed, bytes) = tokio::task::spawn_blocking(move || {
        let processed = image::process(&bytes, &limits);
        (processed, bytes)
    })
    .await
    .expect("image processing does not panic");
    let processed = processed?;

    let original_key = processed.original_key();
    bucket
        .put_immutable(&original_key, bytes, processed.format.content_type())
        .await?;
    let mut variants = Vec::with_capacity(processed.variants.len());
    for rendition in processed.variants {
        let key = rendition.key(&processed.sha256);
        let (width, height) = (rendition.width, rendition.height);
        bucket
            .put_immutable(&key, rendition.bytes, rendition.format.content_type())
            .await?;
        variants.push(Variant { width, height, key });
    }
    Ok(StoredImage {
        sha256: processed.sha256,
        original_key,
        width: processed.width,
        height: processed.height,
        variants,
        placeholder: processed.placeholder,
    })
}
