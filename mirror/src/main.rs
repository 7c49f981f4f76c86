//! The mirror Lambda: SQS batches in, partial batch failures out.

use aws_lambda_events::event::sqs::SqsEvent;
use galleon_common::{Config, store::Aws, telemetry};
use galleon_mirror::{Context, handle_batch};
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init();
    let config = Config::from_env()?;
    let ctx = Context::new(&config, &Aws::from_env().await).await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<SqsEvent>| async {
        Ok::<_, Error>(handle_batch(&ctx, event.payload).await)
    }))
    .await
}
