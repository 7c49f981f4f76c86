//! `galleon status`: what is stored, at a glance.
//!
//! Counting items per event scans the table: fine for an operator's
//! occasional look, and never on a guest's path.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::AttributeValue;
use galleon_common::Config;
use galleon_common::store::{Aws, Bucket, Queue, Table};

pub async fn run(config: &Config, aws: &Aws) -> anyhow::Result<()> {
    let table = Table::new(aws.dynamo.clone(), &config.table);
    if let Some(user) = &config.ig_user_id
        && let Some(state) = table.get_sync(user).await?
    {
        let newest = state
            .newest_seen
            .map_or("nothing yet".into(), |t| t.to_rfc3339());
        println!(
            "sync      account {user}, newest post {newest}, last run {}",
            state.last_run.to_rfc3339()
        );
    }
    for (name, url) in [("queue", &config.queue_url), ("dlq", &config.dlq_url)] {
        if let Some(url) = url {
            let d = Queue::new(aws.sqs.clone(), url).depth().await?;
            println!("{name:<9} {} visible, {} in flight", d.visible, d.in_flight);
        }
    }
    let objects = Bucket::new(aws.s3.clone(), &config.bucket)
        .list("media/")
        .await?;
    println!("objects   {} under media/", objects.len());
    for (pk, n) in count_items(aws, &config.table).await? {
        println!("{pk:<9} {n}");
    }
    Ok(())
}

/// Items per partition kind: each event's gallery, media records, events.
async fn count_items(aws: &Aws, table: &str) -> anyhow::Result<BTreeMap<String, usize>> {
    let pages = aws
        .dynamo
        .scan()
        .table_name(table)
        .projection_expression("pk")
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await?;
    let mut counts = BTreeMap::new();
    for item in pages {
        let pk = item
            .get("pk")
            .and_then(|v: &AttributeValue| v.as_s().ok())
            .cloned()
            .unwrap_or_default();
        let label = match pk.split_once('#') {
            Some(("EVENT", id)) => format!("gallery {id}:"),
            Some(("MEDIA", _)) => "media records:".into(),
            _ if pk == "EVENTS" => "events:".into(),
            _ => continue,
        };
        *counts.entry(label).or_insert(0) += 1;
    }
    Ok(counts)
}
