//! `galleon`, the operator's command line: each command a thin call into
//! the same libraries the Lambdas run, so a local run and a Lambda run go
//! through the same code. `cmd/` holds one module per command group.
//!
//! Every command reads its configuration from the environment (the table
//! in DESIGN.md), exits non-zero on failure, and says why in one line.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    galleon_common::telemetry::init();
    let cli = cmd::Cli::parse();
    match cmd::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("galleon: {e:#}");
            ExitCode::FAILURE
        }
    }
}
