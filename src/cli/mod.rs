//! Command-line parsing (clap derive), logging set-up, exit codes and error printing. Each
//! subcommand lives in its own file and returns `anyhow::Result<ExitCode-like i32>`.

/// `println!` that returns the write error instead of panicking: output piped into `head`
/// ends the command quietly (see `is_broken_pipe`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod commitment;
mod eval;
mod kwic;
mod lexicon;
mod progress;
mod run;
mod search;
mod serve;
mod text;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Scan National Action Plans and laws on business and human rights for UNGP concepts.
#[derive(Debug, Parser)]
#[command(name = "napscan", version, about)]
pub(crate) struct Cli {
    /// More log output (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest the corpus, extract page text and write the reports.
    Run(run::Args),
    /// Write the extracted text of every document to DIR/<doc_id>.txt (pages separated by form feeds).
    Text(text::Args),
    /// Score the flags of the last run against hand coding (page and document level).
    Eval(eval::Args),
    /// Search the page index (run `napscan run` first).
    Search(search::Args),
    /// Classify sentences as mandatory, voluntary or none (CSV id,lang,sentence in; id,label,cue out).
    Commitment(commitment::Args),
    /// Serve the local web app: heatmap, search, documents, concepts, evidence.
    Serve(serve::ServeArgs),
    /// Write a self-contained HTML report.
    Report(serve::ReportArgs),
    /// Keyword in context for a concept or a term.
    Kwic(kwic::Args),
    /// Check lexicon files, or test which terms fire on a text.
    #[command(subcommand)]
    Lexicon(lexicon::Command),
    /// Internal: extraction worker process (reads JSON requests on stdin).
    #[command(name = "__worker", hide = true)]
    Worker {
        /// Memory limit in MiB (0 = none).
        #[arg(long, default_value_t = 0)]
        memory_mb: u64,
    },
}

/// Filters shared by `search` and `kwic`.
#[derive(Debug, clap::Args)]
pub(crate) struct FilterArgs {
    /// Only these countries (repeatable).
    #[arg(long)]
    pub(crate) country: Vec<String>,
    /// Only these document types.
    #[arg(long)]
    pub(crate) doc_type: Vec<String>,
    /// Only these languages.
    #[arg(long)]
    pub(crate) lang: Vec<String>,
    /// Only evidence sentences (or pages with evidence) of this commitment label: mandatory, voluntary, none.
    #[arg(long)]
    pub(crate) commitment: Vec<String>,
}

/// Options shared by the commands that read the corpus.
#[derive(Debug, clap::Args)]
pub(crate) struct CorpusArgs {
    /// The corpus manifest.
    #[arg(long, default_value = "corpus/manifest.csv")]
    pub(crate) manifest: PathBuf,
    /// The index folder (search index and extraction cache).
    #[arg(long, default_value = "indexes/default")]
    pub(crate) index: PathBuf,
    /// Parallel jobs (default: number of cores).
    #[arg(short, long)]
    pub(crate) jobs: Option<usize>,
    /// Wall-clock limit for extracting one PDF, in seconds.
    #[arg(long, default_value_t = 120)]
    pub(crate) timeout: u64,
    /// Memory limit of one extraction worker process, in MiB (0 = none).
    #[arg(long, default_value_t = 2048)]
    pub(crate) memory_mb: u64,
    /// No progress bar.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Lexicon file(s) (default: the built-in lexicons/ungp.toml).
    #[arg(long = "lexicon")]
    pub(crate) lexicons: Vec<PathBuf>,
    /// Do not build or update the search index.
    #[arg(long)]
    pub(crate) no_index: bool,
    /// Commitment rules (default: the built-in lexicons/commitment.toml).
    #[arg(long)]
    pub(crate) commitment_rules: Option<PathBuf>,
    /// OCR of PDF pages with Tesseract: `auto` reads image-only pages, `force` every page (the OCR
    /// text replaces the text layer), `off` none.
    #[arg(long, value_enum, default_value_t = OcrMode::Auto)]
    pub(crate) ocr: OcrMode,
    /// Resolution at which pages are rendered for OCR, in dots per inch.
    #[arg(long, default_value_t = napscan::ocr::DEFAULT_DPI, value_parser = clap::value_parser!(u32).range(50..=1200))]
    pub(crate) ocr_dpi: u32,
    /// Wall-clock limit for the OCR of one page, in seconds.
    #[arg(long, default_value_t = 60)]
    pub(crate) ocr_timeout: u64,
}

/// `--ocr` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OcrMode {
    /// Image-only pages.
    Auto,
    /// No OCR.
    Off,
    /// Every page.
    Force,
}

impl CorpusArgs {
    pub(crate) fn plan(&self, out: PathBuf) -> anyhow::Result<napscan::plan::Plan> {
        let exe = std::env::current_exe()?;
        let jobs = self
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        anyhow::ensure!(jobs > 0, "--jobs must be at least 1");
        anyhow::ensure!(self.timeout > 0, "--timeout must be at least 1 second");
        Ok(napscan::plan::Plan {
            manifest: default_corpus(&self.manifest)?,
            index_dir: self.index.clone(),
            out_dir: out,
            jobs,
            timeout: std::time::Duration::from_secs(self.timeout),
            memory_mb: self.memory_mb,
            worker: exe,
            lexicons: self.lexicons.clone(),
            build_index: !self.no_index,
            commitment_rules: self.commitment_rules.clone(),
            ocr: napscan::ocr::Settings {
                mode: match self.ocr {
                    OcrMode::Auto => napscan::ocr::Mode::Auto,
                    OcrMode::Off => napscan::ocr::Mode::Off,
                    OcrMode::Force => napscan::ocr::Mode::Force,
                },
                dpi: self.ocr_dpi,
                page_timeout: std::time::Duration::from_secs(self.ocr_timeout.max(1)),
            },
        })
    }

    pub(crate) fn progress(&self) -> progress::Progress {
        progress::Progress::new(!self.quiet && std::io::stderr().is_terminal())
    }
}

/// The manifest to read: as given, except that the default `corpus/manifest.csv`, when the current
/// folder has none, is the embedded corpus of the napscan checkout this binary was built from.
fn default_corpus(manifest: &std::path::Path) -> anyhow::Result<PathBuf> {
    const DEFAULT: &str = "corpus/manifest.csv";
    if manifest.exists() || manifest != std::path::Path::new(DEFAULT) {
        return Ok(manifest.to_path_buf());
    }
    let embedded = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT);
    anyhow::ensure!(
        embedded.is_file(),
        "there is no {DEFAULT} here and the default corpus ({}) is gone: run napscan from its \
         folder or give --manifest",
        embedded.display()
    );
    log::info!("using the default corpus {}", embedded.display());
    Ok(embedded)
}

/// Runs the CLI and returns the process exit code.
pub(crate) fn main() -> i32 {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level))
        .format_timestamp(None)
        .init();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Text(args) => text::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Kwic(args) => kwic::run(args),
        Command::Serve(args) => serve::serve(args),
        Command::Report(args) => serve::report(args),
        Command::Commitment(args) => commitment::run(args),
        Command::Search(args) => search::run(args),
        Command::Lexicon(cmd) => lexicon::run(cmd),
        Command::Worker { memory_mb } => {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::stdout().lock();
            napscan::worker::serve(memory_mb, stdin, stdout).map(|()| 0).map_err(Into::into)
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return 0;
            }
            eprintln!("napscan: error: {}", error_text(&err));
            // 0 found / done, 1 nothing found, 2 error: as grep, and as clap's usage errors.
            2
        }
    }
}

/// The error and its causes, each said once: a cause whose text the message already holds (as
/// `Error::Io` repeating its `io::Error`) is left out.
fn error_text(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
