//! The `comptoir` command: parses the command line, sets up logging, runs the command.

use clap::Parser;

/// mimalloc keeps freed memory for reuse: a build allocates and frees compressor tables and
/// page buffers for every page, on every thread, which glibc's allocator serves with
/// mmap/munmap churn.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = comptoir::cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    match comptoir::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
