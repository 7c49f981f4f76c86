//! The media bucket. Objects under `media/` are content-addressed and
//! immutable: written once, with a year-long immutable cache lifetime.

use aws_sdk_s3::primitives::ByteStream;

use super::StoreError;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Whether a put wrote the object or found it already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Created,
    AlreadyStored,
}

/// A stored object on its way out: its bytes as a stream, and its headers.
pub struct ObjectBody {
    pub body: ByteStream,
    pub content_type: Option<String>,
    pub content_length: Option<i64>,
    pub cache_control: Option<String>,
    pub etag: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Bucket {
    client: aws_sdk_s3::Client,
    name: String,
}

impl Bucket {
    pub fn new(client: aws_sdk_s3::Client, name: impl Into<String>) -> Self {
        Bucket {
            client,
            name: name.into(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub async fn exists(&self, key: &str) -> Result<bool, StoreError> {
        match self
            .client
            .head_object()
            .bucket(&self.name)
            .key(key)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(false),
            Err(e) => Err(StoreError::aws("head object")(e)),
        }
    }

    /// Stores a content-addressed object unless it is already there. The
    /// key names the content, so a concurrent writer can only write the
    /// same bytes, and the check-then-put race is harmless.
    pub async fn put_immutable(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<PutOutcome, StoreError> {
        if self.exists(key).await? {
            return Ok(PutOutcome::AlreadyStored);
        }
        self.client
            .put_object()
            .bucket(&self.name)
            .key(key)
            .content_type(content_type)
            .cache_control(IMMUTABLE)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(StoreError::aws("put object"))?;
        Ok(PutOutcome::Created)
    }

    /// The object at `key`, or `None` when there is none.
    pub async fn get(&self, key: &str) -> Result<Option<ObjectBody>, StoreError> {
        match self
            .client
            .get_object()
            .bucket(&self.name)
            .key(key)
            .send()
            .await
        {
            Ok(out) => Ok(Some(ObjectBody {
                content_type: out.content_type,
                content_length: out.content_length,
                cache_control: out.cache_control,
                etag: out.e_tag,
                body: out.body,
            })),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) => Err(StoreError::aws("get object")(e)),
        }
    }

    /// The keys under `prefix`, for tests and the CLI's summaries.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let pages = self
            .client
            .list_objects_v2()
            .bucket(&self.name)
            .prefix(prefix)
            .into_paginator()
            .send();
        let pages = pages
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(StoreError::aws("list objects"))?;
        Ok(pages
            .into_iter()
            .flat_map(|p| p.contents.unwrap_or_default())
            .filter_map(|o| o.key)
            .collect())
    }
}
