//! `napscan search`: full-text search over the page index, as a table (highlights in colour on a
//! terminal, `**markers**` otherwise), JSON or CSV; `--by-document` groups pages by document.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use napscan::index::PageIndex;
use napscan::search::{SearchHit, SearchOptions, mark, parse_years, search_all};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The query: words (all must match), "a phrase", AND/OR/NOT, field:value.
    query: String,
    /// The index folder.
    #[arg(long, default_value = "indexes/default")]
    index: PathBuf,
    #[command(flatten)]
    filter: super::FilterArgs,
    /// Only these years: 2017, 2015..2020, 2015.., ..2020.
    #[arg(long)]
    year: Option<String>,
    /// Only pages flagged for this concept (repeatable).
    #[arg(long)]
    concept: Vec<String>,
    /// At most this many pages.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// List documents with their matching pages.
    #[arg(long)]
    by_document: bool,
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    let years = args.year.as_deref().map(parse_years).transpose().map_err(anyhow::Error::msg)?;
    let index = PageIndex::open(&args.index)?;
    let opts = SearchOptions {
        query: args.query.clone(),
        countries: args.filter.country.clone(),
        doc_types: args.filter.doc_type.clone(),
        langs: args.filter.lang.clone(),
        years,
        concepts: args.concept.clone(),
        commitments: args.filter.commitment.clone(),
        limit: args.limit,
    };
    let results = search_all(&index, &opts)?;
    let hits = results.hits;
    if results.total > hits.len() {
        eprintln!(
            "napscan: showing the best {} of {} matching pages (--limit {} shows them all)",
            hits.len(),
            results.total,
            results.total
        );
    }
    let mut out = std::io::stdout().lock();
    if args.by_document {
        by_document(&mut out, &hits, args.format)?;
    } else {
        match args.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut out, &hits)?;
                writeln!(out)?;
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                for h in &hits {
                    w.serialize(h)?;
                }
                w.flush()?;
            }
            Format::Table => table(&mut out, &hits)?,
        }
    }
    if hits.is_empty() && (args.by_document || !matches!(args.format, Format::Table)) {
        // The table says it on stdout; JSON and CSV keep stdout parseable.
        eprintln!("napscan: no page matches `{}`", args.query);
    }
    Ok(if hits.is_empty() { 1 } else { 0 })
}

fn table(out: &mut dyn Write, hits: &[SearchHit]) -> anyhow::Result<()> {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for h in hits {
        let page = if h.page_label != h.page.to_string() {
            format!("p.{} [{}]", h.page, h.page_label)
        } else {
            format!("p.{}", h.page)
        };
        let ocr = if h.ocr { " (OCR)" } else { "" };
        writeln!(
            out,
            "{} {}{ocr}  {} {} {} {}  score {:.2}",
            h.doc_id, page, h.country, h.year, h.doc_type, h.lang, h.score
        )?;
        let snippet = if color {
            mark(&h.fragment, &h.highlights, "\x1b[1;31m", "\x1b[0m")
        } else {
            h.snippet.clone()
        };
        writeln!(out, "    {snippet}")?;
    }
    if hits.is_empty() {
        writeln!(out, "no page matches")?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct DocGroup<'a> {
    doc_id: &'a str,
    country: &'a str,
    year: u16,
    doc_type: &'a str,
    lang: &'a str,
    title: &'a str,
    pages: Vec<u32>,
    best_score: f32,
}

fn by_document(out: &mut dyn Write, hits: &[SearchHit], format: Format) -> anyhow::Result<()> {
    let mut groups: BTreeMap<&str, DocGroup<'_>> = BTreeMap::new();
    for h in hits {
        let g = groups.entry(&h.doc_id).or_insert_with(|| DocGroup {
            doc_id: &h.doc_id,
            country: &h.country,
            year: h.year,
            doc_type: &h.doc_type,
            lang: &h.lang,
            title: &h.title,
            pages: Vec::new(),
            best_score: h.score,
        });
        g.pages.push(h.page);
        g.best_score = g.best_score.max(h.score);
    }
    let mut groups: Vec<DocGroup<'_>> = groups.into_values().collect();
    for g in &mut groups {
        g.pages.sort_unstable();
    }
    groups.sort_by(|a, b| b.best_score.total_cmp(&a.best_score));
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &groups)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "doc_id",
                "country",
                "year",
                "doc_type",
                "lang",
                "title",
                "pages",
                "best_score",
            ])?;
            for g in &groups {
                let pages: Vec<String> = g.pages.iter().map(u32::to_string).collect();
                w.write_record([
                    g.doc_id,
                    g.country,
                    &g.year.to_string(),
                    g.doc_type,
                    g.lang,
                    g.title,
                    &pages.join(" "),
                    &format!("{:.3}", g.best_score),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            for g in &groups {
                let pages: Vec<String> = g.pages.iter().map(u32::to_string).collect();
                writeln!(
                    out,
                    "{} ({} {} {})  pages {}",
                    g.doc_id,
                    g.country,
                    g.year,
                    g.doc_type,
                    pages.join(", ")
                )?;
            }
        }
    }
    Ok(())
}
