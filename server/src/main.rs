//! The `dockerfile-ls` binary: parse the command line, set up logging, then serve LSP or run a
//! subcommand.

use std::process::ExitCode;

use clap::Parser;
use dockerfile_ls::cli::{self, Cli, Command};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Logs go to stderr or `--log-file`, never stdout (stdout is the protocol). The level comes
/// from `DOCKERFILE_LS_LOG`: a level (`debug`) or per-module ones (`dockerfile_ls=debug,warn`).
/// (`Targets` rather than `EnvFilter`: the latter compiles regexes at start-up, paging in part
/// of 0.65 MB of regex code for a filter that never needs a pattern.)
fn init_logging(log_file: Option<&std::path::Path>, default_level: &str) {
    let filter = std::env::var("DOCKERFILE_LS_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .or_else(|| default_level.parse().ok())
        .unwrap_or_default();
    // The builder's own filter (INFO unless told) would cap what `filter` lets through.
    let builder = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE);
    let opened = log_file.map(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    });
    let writer = match opened {
        Some(Ok(file)) => BoxMakeWriter::new(std::sync::Mutex::new(file)),
        Some(Err(_)) | None => BoxMakeWriter::new(std::io::stderr),
    };
    builder.with_writer(writer).finish().with(filter).init();
}

fn main() -> ExitCode {
    dockerfile_ls::memory::tune();
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Serve) => {
            // Editors show stderr in their logs: keep it to warnings unless asked for more.
            let level = if cli.log_file.is_some() {
                "info"
            } else {
                "warn"
            };
            init_logging(cli.log_file.as_deref(), level);
            // The protocol loop runs on this thread and handlers on the runtime's blocking
            // pool; the few async tasks (asking the client for settings) need no more than
            // one thread, which drives a current-thread runtime. (The multi-thread scheduler
            // would add a worker per core, its code and libm to the resident set.)
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    tracing::error!("cannot start the async runtime: {error}");
                    return ExitCode::from(2);
                }
            };
            let handle = runtime.handle().clone();
            let driver = std::thread::Builder::new()
                .name("async".into())
                .spawn(move || runtime.block_on(std::future::pending::<()>()));
            if let Err(error) = driver {
                tracing::error!("cannot start the async runtime: {error}");
                return ExitCode::from(2);
            }
            let _entered = handle.enter();
            if dockerfile_ls::lsp::serve_stdio() {
                ExitCode::SUCCESS
            } else {
                tracing::info!("the client left without shutdown");
                ExitCode::from(1)
            }
        }
        Some(command) => {
            init_logging(cli.log_file.as_deref(), "warn");
            cli::run(command)
        }
    }
}
