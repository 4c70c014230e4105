//! The command line: `build`, `serve`, `demo`, `watch`, `gen-catalogue`, `search-stats`,
//! `merchant add`, `admin add`. Every option can also be
//! set by a `COMPTOIR_*` environment variable; the command line wins.

use crate::config::{Config, Secret};
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// comptoir — the online marketplace of a town's independent shops.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log format: `text` for people, `json` for one object per line.
    #[arg(
        long,
        global = true,
        env = "COMPTOIR_LOG_FORMAT",
        value_enum,
        default_value_t
    )]
    pub log_format: crate::ops::logging::LogFormat,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from the catalogue and publish it atomically.
    Build(BuildArgs),
    /// Serve the published site.
    Serve(ServeArgs),
    /// Build the catalogue in ./content (the demo town) and serve it, following its changes.
    Demo(ServeArgs),
    /// Build the catalogue, then keep the published build up to date as its files change
    /// (for a server running elsewhere on the same data folder).
    Watch(WatchArgs),
    /// Write a synthetic but realistic French catalogue, for tests and benchmarks.
    GenCatalogue(GenArgs),
    /// Print what shoppers searched for, and what found nothing, over the last days.
    SearchStats(StatsArgs),
    /// Manage the back-office accounts of merchants.
    #[command(subcommand)]
    Merchant(MerchantCommand),
    /// Manage the accounts of the association's staff (the console at /admin/).
    #[command(subcommand)]
    Admin(AdminCommand),
}

/// `comptoir admin …`.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff account and print its one-time link to choose a password (valid 7
    /// days).
    Add(AdminAddArgs),
}

/// Options of `admin add`.
#[derive(Debug, Clone, Args)]
pub struct AdminAddArgs {
    /// Data folder, database and catalogue.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// The staff member's e-mail address (their login).
    #[arg(long)]
    pub email: String,
}

/// `comptoir merchant …`.
#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// Create a merchant account for a shop and print its one-time link to choose a
    /// password (valid 7 days): send it to the merchant.
    Add(MerchantAddArgs),
}

/// Options of `merchant add`.
#[derive(Debug, Clone, Args)]
pub struct MerchantAddArgs {
    /// Data folder, database and catalogue.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// The shop's slug (its folder in content/shops/).
    #[arg(long)]
    pub shop: String,
    /// The merchant's e-mail address (their login).
    #[arg(long)]
    pub email: String,
}

/// Options of `search-stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// Data folder and database.
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Days to look back, today included.
    #[arg(long, default_value_t = 30)]
    pub days: i64,
    /// Queries listed in each table.
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
}

/// Where the catalogue and the data live, and how to build.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// The catalogue folder.
    #[arg(long, env = "COMPTOIR_CONTENT", default_value = "content")]
    pub content: PathBuf,
    /// The data folder: published builds, caches, database.
    #[arg(long, env = "COMPTOIR_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Also write brotli/gzip copies of every HTML page (for static hosts that do not
    /// compress; `serve` compresses pages itself).
    #[arg(long, env = "COMPTOIR_PRECOMPRESS_PAGES")]
    pub precompress_pages: bool,
}

/// Options of `serve` and `demo`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Catalogue and data folders, build options.
    #[command(flatten)]
    pub build: BuildArgs,
    /// Address to listen on.
    #[arg(long, env = "COMPTOIR_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Database URL: `postgres://…` for PostgreSQL; `DATABASE_URL` is read too. Default:
    /// the SQLite file `comptoir.db` in the data folder.
    #[arg(long, env = "COMPTOIR_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// SMTP server for e-mails (`smtp://user:password@host:587`, `smtps://…`). Default:
    /// `.eml` files in `<data>/outbox/`.
    #[arg(long, env = "COMPTOIR_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Prefix of order numbers (`SC` gives `SC-2026-000123`). Default: from the town's name.
    #[arg(long, env = "COMPTOIR_ORDER_PREFIX")]
    pub order_prefix: Option<String>,
    /// Build the catalogue at start, then follow its changes: an edited product is on the
    /// site within a moment, without a full rebuild (`demo` always does).
    #[arg(long, env = "COMPTOIR_WATCH")]
    pub watch: bool,
    /// How long the catalogue folder must stay quiet before a burst of changes is
    /// published, in milliseconds.
    #[arg(long, env = "COMPTOIR_DEBOUNCE_MS", default_value_t = 50)]
    pub debounce_ms: u64,
    /// IndexNow endpoint (`https://api.indexnow.org/indexnow`): after each publish, the
    /// changed pages' URLs are posted there. Default: off.
    #[arg(long, env = "COMPTOIR_INDEXNOW_ENDPOINT")]
    pub indexnow_endpoint: Option<String>,
    /// IndexNow key (8–128 letters, digits, hyphens). Default: made once and kept in
    /// `<data>/indexnow.key`.
    #[arg(long, env = "COMPTOIR_INDEXNOW_KEY")]
    pub indexnow_key: Option<String>,
    /// Bearer token required to read `/metrics` (Prometheus). Default: no token, and
    /// `/metrics` answers direct connections from the loopback interface only.
    #[arg(long, env = "COMPTOIR_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Search results kept in memory, so that a search made again (the same words,
    /// filters, sort and page, the same day) is answered without searching; forgotten at
    /// each publish. 0 turns it off.
    #[arg(long, env = "COMPTOIR_SEARCH_CACHE", default_value_t = crate::config::SEARCH_CACHE)]
    pub search_cache: usize,
}

/// Options of `watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Catalogue and data folders.
    #[command(flatten)]
    pub build: BuildArgs,
    /// How long the catalogue folder must stay quiet before a burst of changes is
    /// published, in milliseconds (editors save in several steps).
    #[arg(long, env = "COMPTOIR_DEBOUNCE_MS", default_value_t = 50)]
    pub debounce_ms: u64,
}

/// Options of `gen-catalogue`.
#[derive(Debug, Clone, Args)]
pub struct GenArgs {
    /// Number of shops.
    #[arg(long, env = "COMPTOIR_GEN_SHOPS", default_value_t = 30)]
    pub shops: usize,
    /// Number of products, spread over the shops.
    #[arg(long, env = "COMPTOIR_GEN_PRODUCTS", default_value_t = 1000)]
    pub products: usize,
    /// Folder to write (must be empty or absent).
    #[arg(long, env = "COMPTOIR_GEN_OUT")]
    pub out: PathBuf,
    /// Seed of the generator: the same seed writes the same catalogue.
    #[arg(long, env = "COMPTOIR_GEN_SEED", default_value_t = 1)]
    pub seed: u64,
}

impl ServeArgs {
    fn config(&self) -> Config {
        Config {
            content: self.build.content.clone(),
            data: self.build.data.clone(),
            addr: self.addr,
            database_url: self
                .database_url
                .clone()
                .or_else(|| std::env::var("DATABASE_URL").ok())
                .map(Secret::new),
            smtp_url: self.smtp_url.clone().map(Secret::new),
            order_prefix: self.order_prefix.clone(),
            watch: self
                .watch
                .then(|| std::time::Duration::from_millis(self.debounce_ms)),
            indexnow: self.indexnow_endpoint.as_ref().map(|endpoint| {
                crate::indexnow::IndexNowConfig {
                    key: self.indexnow_key.clone(),
                    ..crate::indexnow::IndexNowConfig::new(endpoint.clone())
                }
            }),
            metrics_token: self
                .metrics_token
                .clone()
                .filter(|t| !t.trim().is_empty())
                .map(Secret::new),
            search_cache: self.search_cache,
        }
    }
}

/// Runs a command.
///
/// # Errors
///
/// Whatever the command failed on, with its context.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build(args) => build(&args).map(drop),
        Command::Serve(args) => serve(args.config()),
        Command::Demo(mut args) => {
            args.watch = true;
            serve(args.config())
        }
        Command::Watch(args) => crate::live::watch_only(
            &args.build.content,
            &args.build.data,
            std::time::Duration::from_millis(args.debounce_ms),
        ),
        Command::SearchStats(args) => search_stats(&args),
        Command::Merchant(MerchantCommand::Add(args)) => merchant_add(&args),
        Command::Admin(AdminCommand::Add(args)) => {
            account_add(&args.serve, &args.email, &crate::accounts::Role::Admin)
        }
        Command::GenCatalogue(args) => {
            let options = comptoir_indexer::synthetic::Options {
                shops: args.shops,
                products: args.products,
                seed: args.seed,
            };
            comptoir_indexer::synthetic::write(&args.out, &options)
                .with_context(|| format!("cannot write the catalogue in {}", args.out.display()))?;
            println!(
                "wrote {} products in {} shops to {}",
                args.products,
                args.shops,
                args.out.display()
            );
            Ok(())
        }
    }
}

/// Prints the top queries and the zero-result queries of the last `args.days` days.
fn search_stats(args: &StatsArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async {
        let db = crate::db::Db::open(&args.serve.config()).await?;
        let to = crate::config::today();
        let from = to
            .checked_sub(jiff::Span::new().days(args.days.max(1) - 1))
            .unwrap_or(to);
        let top = crate::search::stats::top_queries(&db, from, to, args.limit).await?;
        let zero = crate::search::stats::zero_result_queries(&db, from, to, args.limit).await?;
        println!("Recherches du {from} au {to}\n\nLes plus fréquentes :");
        for q in &top {
            println!("{:>8}  {}", q.searches, q.query);
        }
        println!("\nSans résultat (ce que personne ne vend encore) :");
        for q in &zero {
            println!("{:>8}  {}", q.zero_results, q.query);
        }
        Ok(())
    })
}

/// Creates a merchant account and prints the link to choose a password.
fn merchant_add(args: &MerchantAddArgs) -> Result<()> {
    let content = &args.serve.build.content;
    let shop_file = content.join("shops").join(&args.shop).join("shop.toml");
    anyhow::ensure!(
        shop_file.is_file(),
        "no shop {:?}: expected {} (the shop's slug is its folder's name in {}/shops/)",
        args.shop,
        shop_file.display(),
        content.display()
    );
    let role = crate::accounts::Role::Merchant {
        shop: args.shop.clone(),
    };
    account_add(&args.serve, &args.email, &role)
}

/// Creates an account with `role` and prints the link to choose a password.
fn account_add(serve: &ServeArgs, email: &str, role: &crate::accounts::Role) -> Result<()> {
    let town_file = serve.build.content.join("town.toml");
    let town_text = std::fs::read_to_string(&town_file)
        .with_context(|| format!("cannot read {}", town_file.display()))?;
    let town = comptoir_indexer::parse::parse_town(&town_file, &town_text).map_err(|problems| {
        anyhow::anyhow!(
            "{} has problems: {}",
            town_file.display(),
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async {
        let db = crate::db::Db::open(&serve.config()).await?;
        let user = crate::accounts::create(&db, email, role).await?;
        let token = crate::accounts::links::issue(
            &db,
            &user.id,
            crate::accounts::links::Purpose::Invite,
            jiff::Timestamp::now(),
        )
        .await?;
        let whom = user.shop().unwrap_or("association");
        println!(
            "Compte créé pour {} ({whom}). Lien pour choisir le mot de passe (valable 7 jours, une seule fois) :\n{}{}",
            user.email,
            town.base_url,
            crate::accounts::links::path(&token)
        );
        Ok(())
    })
}

/// Builds and publishes, printing what was done.
///
/// # Errors
///
/// The catalogue's problems (every one, with file and line) or the I/O error.
pub fn build(args: &BuildArgs) -> Result<comptoir_indexer::pipeline::BuildReport> {
    let options = comptoir_indexer::pipeline::BuildOptions {
        content: &args.content,
        data: &args.data,
        assets: crate::assets::ASSETS,
        today: crate::config::today(),
        precompress_pages: args.precompress_pages,
        stock: None,
    };
    let report = comptoir_indexer::pipeline::build(&options)
        .context("the build failed; the published site is unchanged")?;
    tracing::info!(
        pages = report.pages,
        products = report.products,
        pictures_resized = report.images_resized,
        pages_ms = report.pages_time().as_millis() as u64,
        pictures_ms = report.pictures_time().as_millis() as u64,
        stages = %stages(&report),
        build = %report.build.display(),
        "published"
    );
    Ok(report)
}

/// `load=120ms listings=80ms …` for the log.
fn stages(report: &comptoir_indexer::pipeline::BuildReport) -> String {
    report
        .stages
        .iter()
        .map(|(stage, time)| format!("{stage}={}ms", time.as_millis()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn serve(config: Config) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(crate::serve(config))
}
