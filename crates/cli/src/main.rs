//! `parallax`: the one binary. Reads the configuration, runs the commands, prints.

use parallax_cli::app::StoryCommand;
use parallax_cli::{app, config, tools};

// Parsing feeds and pages is a storm of small allocations; mimalloc serves them about a
// fifth faster than the system allocator (examples/parse_corpus.rs: 26.7 -> 22.0 ms).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "parallax",
    version,
    about = "Self-hosted news aggregator: one event, every outlet's version side by side"
)]
struct Cli {
    /// Configuration file (TOML). Every key can also be set as PARALLAX_<SECTION>__<KEY>.
    #[arg(long, global = true, env = "PARALLAX_CONFIG")]
    config: Option<PathBuf>,
    /// Where the database and search index live (overrides the configuration).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start bundled fictional outlets on loopback, ingest them, and serve the site.
    Demo {
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Run the scheduler and the site (the site alone with `server.ingest = false`).
    Serve,
    /// Poll feeds and store their articles, without the site: one of many processes that
    /// share a PostgreSQL store (`database_url`), each leasing its own hosts.
    Worker,
    /// Subscribe to a feed, or to the feed a site's page names.
    AddFeed {
        url: String,
        /// The outlet's name (default: the feed's host name).
        #[arg(long)]
        source: Option<String>,
    },
    /// Subscribe to every feed of an OPML file; folders become the feeds' categories.
    ImportOpml { file: PathBuf },
    /// Write the subscribed feeds as OPML, by folder (to stdout, or FILE).
    ExportOpml { file: Option<PathBuf> },
    /// Add or update outlets and their feeds from CSV (columns: name, domain, country,
    /// leaning, language, notes, feeds); each bad row is reported, the rest imported.
    ImportSources { file: PathBuf },
    /// Write every outlet and its feeds as CSV (to stdout, or FILE).
    ExportSources { file: Option<PathBuf> },
    /// Run one ingest cycle over every feed now, then print a summary.
    Fetch,
    /// Extract articles from saved HTML pages; one JSON object a line.
    Extract {
        /// An HTML file.
        file: Option<PathBuf>,
        /// The page's URL, for resolving relative links.
        #[arg(long)]
        url: Option<String>,
        /// A JSON Lines file of {"file": PATH, "url": URL}.
        #[arg(long, conflicts_with = "file")]
        manifest: Option<PathBuf>,
    },
    /// Feed tools.
    Feed {
        #[command(subcommand)]
        command: FeedCommand,
    },
    /// Evaluate a stage on third-party corpora (read from ../shared/data by default).
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
    /// Cluster articles (JSON Lines of {"id","source","url","published","title","text"}) into
    /// stories, with the same online code ingestion uses.
    Cluster {
        #[arg(long)]
        input: PathBuf,
    },
    /// Editors' access to the site.
    Admin {
        #[command(subcommand)]
        command: app::AdminCommand,
    },
    /// Correct the clusterer as an editor; later assignments respect the correction.
    Story {
        #[command(subcommand)]
        command: StoryCommand,
    },
    /// Copy a whole site (every table, every id) into an empty PostgreSQL database, then
    /// check the copy row by row.
    MigrateStore {
        /// The site to copy: sqlite://PATH (the data directory's parallax.db) or postgres://…
        #[arg(long)]
        from: String,
        /// An empty PostgreSQL database: postgres://user@host:port/db
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Article extraction: the Scrapinghub benchmark, trafilatura's set, Readability's pages.
    Extraction {
        /// The shared data folder (it holds extraction/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Also score the outputs published with the Scrapinghub benchmark, to check the scorer.
        #[arg(long)]
        check_scorer: bool,
        /// List the metadata (title, date, author) that did not match.
        #[arg(long)]
        verbose: bool,
    },
    /// Story clustering: ECB+ in fixed shuffled orders, the AllSides roundups among the same
    /// days' articles; BCubed and pairwise precision, recall and F1.
    Clustering {
        /// The shared data folder (it holds clustering/ and news/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// List the stories that mix events and the events split over stories (ECB+: the
        /// first arrival order).
        #[arg(long)]
        verbose: bool,
        /// Instead, replay the AllSides period's articles, shifted in time pass after pass,
        /// until this many went through one clusterer, and report speed and memory every
        /// 100,000 (or every tenth, if fewer).
        #[arg(long)]
        replay: Option<usize>,
    },
    /// Story analysis (how versions differ) on Parallax's own labelled fixtures: sentence
    /// splitting, shared and unique sentences, which outlets carry each.
    Analysis {
        /// List each mislabelled sentence.
        #[arg(long)]
        verbose: bool,
        /// Instead, print the analysis of this many AllSides roundups (from --data) for an
        /// editor to read.
        #[arg(long)]
        sample: Option<usize>,
        /// The shared data folder (it holds news/), for --sample.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
    },
    /// Feed parsing: Universal Feed Parser's test suite, date vectors, and every corpus file.
    Feeds {
        /// The shared data folder (it holds feeds/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Show a few failing cases per category.
        #[arg(long)]
        verbose: bool,
        /// Print one file's parse in Universal Feed Parser's shape instead.
        #[arg(long)]
        dump: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum FeedCommand {
    /// Parse feed files; one JSON object a line.
    Parse {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let verbose = matches!(
        cli.command,
        Command::Serve | Command::Worker | Command::Demo { .. }
    );
    init_tracing(verbose);
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_tracing(verbose: bool) {
    let default = if verbose {
        "info,tantivy=warn,hyper=warn,reqwest=warn,html5ever=error"
    } else {
        "warn,tantivy=error,html5ever=error"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PARALLAX_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // PARALLAX_LOG_FORMAT=json: one JSON object a line, for log collectors.
    let json = std::env::var("PARALLAX_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn run(cli: Cli) -> Result<()> {
    let mut config = config::Config::load(cli.config.as_deref(), std::env::vars())?;
    let explicit_data_dir = cli.data_dir.is_some();
    if let Some(dir) = cli.data_dir {
        config.data_dir = dir;
    }
    match cli.command {
        Command::Extract {
            file,
            url,
            manifest,
        } => tools::extract(file, url, manifest),
        Command::Feed {
            command: FeedCommand::Parse { files },
        } => tools::parse_feeds(&files),
        Command::Cluster { input } => tools::cluster(&input, &config),
        Command::Story { command } => app::edit_story(&config, command),
        Command::MigrateStore { from, to } => app::migrate_store(&from, &to),
        Command::Admin { command } => app::admin(&config, command),
        Command::Eval {
            command:
                EvalCommand::Extraction {
                    data,
                    check_scorer,
                    verbose,
                },
        } => tools::eval_extraction(&data, check_scorer, verbose),
        Command::Eval {
            command:
                EvalCommand::Clustering {
                    data,
                    verbose,
                    replay,
                },
        } => match replay {
            Some(total) => tools::replay_clustering(&data, &config, total),
            None => tools::eval_clustering(&data, &config, verbose),
        },
        Command::Eval {
            command:
                EvalCommand::Analysis {
                    verbose,
                    sample,
                    data,
                },
        } => match sample {
            Some(n) => tools::sample_analysis(&data, n),
            None => tools::eval_analysis(verbose),
        },
        Command::Eval {
            command:
                EvalCommand::Feeds {
                    data,
                    verbose,
                    dump,
                },
        } => match dump {
            Some(file) => tools::dump_feed(&file),
            None => tools::eval_feeds(&data, verbose),
        },
        Command::AddFeed { url, source } => {
            block_on(app::add_feed(&config, &url, source.as_deref()))
        }
        Command::ExportOpml { file } => match file {
            Some(path) => {
                let mut f = std::fs::File::create(&path)?;
                app::export_opml(&config, &mut f)
            }
            None => app::export_opml(&config, &mut std::io::stdout()),
        },
        Command::ImportOpml { file } => app::import_opml(&config, &file),
        Command::ImportSources { file } => app::import_sources(&config, &file),
        Command::ExportSources { file } => match file {
            Some(path) => {
                let mut f = std::fs::File::create(&path)?;
                app::export_sources(&config, &mut f)
            }
            None => app::export_sources(&config, &mut std::io::stdout()),
        },
        Command::Fetch => block_on(app::fetch(&config)),
        Command::Serve => block_on(app::serve(&config)),
        Command::Worker => block_on(app::worker(&config)),
        Command::Demo { port } => block_on(app::demo(config, explicit_data_dir, port)),
    }
}

fn block_on(future: impl std::future::Future<Output = Result<()>>) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(future)
}
