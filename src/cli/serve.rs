//! `napscan serve` (the local web app) and `napscan report --html` (the self-contained report).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use napscan::web::{App, Data};

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// The index folder of the run.
    #[arg(long, default_value = "indexes/default")]
    index: PathBuf,
    /// The output folder of the run.
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
    /// The manifest (default: the one recorded in run.json).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
}

pub(crate) fn serve(args: ServeArgs) -> anyhow::Result<i32> {
    let app = App::load(&args.out, &args.index, args.manifest.as_deref())?;
    if !args.bind.is_loopback() {
        eprintln!(
            "napscan: warning: listening on {} makes the corpus readable by anyone who can reach this machine",
            args.bind
        );
    }
    if app.index.is_none() {
        eprintln!(
            "napscan: warning: no search index in {}: search is disabled",
            args.index.display()
        );
    }
    napscan::web::serve(app, SocketAddr::new(args.bind, args.port), |addr| {
        eprintln!("napscan: serving on http://{addr}/ (Ctrl-C to stop)");
    })?;
    Ok(0)
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// Where to write the HTML report.
    #[arg(long)]
    html: PathBuf,
    /// The output folder of the run.
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
}

pub(crate) fn report(args: ReportArgs) -> anyhow::Result<i32> {
    let data = Data::load(&args.out, None)?;
    let html = napscan::web::report::render(&data);
    napscan::output::write_atomic(&args.html, html.as_bytes())
        .with_context(|| format!("writing {}", args.html.display()))?;
    eprintln!("napscan: report written to {}", args.html.display());
    Ok(0)
}
