//! The `comptoir` command: parses the command line, sets up logging, runs the command.

use clap::Parser;

/// mimalloc keeps freed memory for reuse: a build allocates and frees compressor tables and
/// page buffers for every page, on every thread, which glibc's allocator serves with
/// mmap/munmap churn.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = comptoir::cli::Cli::parse();
    comptoir::ops::logging::init(cli.log_format);
    match comptoir::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
