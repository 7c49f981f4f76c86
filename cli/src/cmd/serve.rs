//! `galleon serve`: the read API on a local address.

use std::net::SocketAddr;

use clap::Args;
use galleon_api::ApiState;
use galleon_common::{Config, store::Aws};

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

pub async fn run(args: ServeArgs, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    eprintln!("serving on http://{}", args.addr);
    galleon_api::serve(args.addr, ApiState::from_config(config, aws)).await
}
