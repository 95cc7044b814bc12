//! The `dockerfile-ls` binary: parse the command line, set up logging, then serve LSP or run a
//! subcommand.

use std::process::ExitCode;

use clap::Parser;
use dockerfile_ls::cli::{self, Cli, Command};
use tracing_subscriber::EnvFilter;

/// Logs go to stderr or `--log-file`, never stdout (stdout is the protocol).
fn init_logging(log_file: Option<&std::path::Path>, default_level: &str) {
    let filter = EnvFilter::try_from_env("DOCKERFILE_LS_LOG")
        .unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false);
    let opened = log_file.map(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    });
    match opened {
        Some(Ok(file)) => builder.with_writer(std::sync::Mutex::new(file)).init(),
        Some(Err(_)) | None => builder.with_writer(std::io::stderr).init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Serve) => {
            init_logging(cli.log_file.as_deref(), "info");
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    tracing::error!("cannot start the async runtime: {error}");
                    return ExitCode::from(2);
                }
            };
            runtime.block_on(dockerfile_ls::lsp::serve_stdio());
            ExitCode::SUCCESS
        }
        Some(command) => {
            init_logging(cli.log_file.as_deref(), "warn");
            cli::run(command)
        }
    }
}
