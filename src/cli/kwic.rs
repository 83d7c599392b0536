//! `napscan kwic`: keyword-in-context lines for a concept (from the run's evidence) or for any term
//! (matched with the shared analyzer over the extracted text), with document and page.

use std::io::Write;
use std::path::PathBuf;

use napscan::flag::{Evidence, Flagger};

use super::CorpusArgs;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A concept id (`hrdd`, `access_to_remedy`) or a term (`"grievance mechanism"`, `vigilan*`).
    query: String,
    #[command(flatten)]
    corpus: CorpusArgs,
    /// The run's output folder (for concept evidence).
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
    #[command(flatten)]
    filter: super::FilterArgs,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 60)]
    width: usize,
    /// At most this many lines.
    #[arg(long)]
    limit: Option<usize>,
}

fn keep(args: &Args, country: &str, doc_type: &str, lang: &str) -> bool {
    (args.filter.country.is_empty()
        || args.filter.country.iter().any(|c| c.eq_ignore_ascii_case(country)))
        && (args.filter.doc_type.is_empty()
            || args.filter.doc_type.iter().any(|c| c.eq_ignore_ascii_case(doc_type)))
        && (args.filter.lang.is_empty()
            || args.filter.lang.iter().any(|c| c.eq_ignore_ascii_case(lang)))
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    // A concept id of the lexicons this command resolves (`--lexicon`, else the built-in one).
    let lexicons = napscan::lexicon::resolve(&args.corpus.lexicons)?;
    let is_concept = lexicons.iter().any(|l| l.concept(&args.query).is_some());
    let mut rows = if is_concept { concept_rows(&args)? } else { term_rows(&args)? };
    if !args.filter.commitment.is_empty() {
        rows.retain(|e| {
            args.filter.commitment.iter().any(|c| c.eq_ignore_ascii_case(&e.commitment))
        });
    }
    let mut out = std::io::stdout().lock();
    for e in rows.iter().take(args.limit.unwrap_or(usize::MAX)) {
        writeln!(
            out,
            "{}\tp.{} ({})\t{}\t{}\t{}",
            e.doc_id, e.page, e.page_label, e.concept, e.commitment, e.snippet
        )?;
    }
    if rows.is_empty() {
        eprintln!("napscan: no match for `{}` with these filters", args.query);
        return Ok(1);
    }
    Ok(0)
}

fn concept_rows(args: &Args) -> anyhow::Result<Vec<Evidence>> {
    let path = args.out.join("evidence.csv");
    anyhow::ensure!(path.is_file(), "{} not found: run `napscan run` first", path.display());
    let mut r = csv::Reader::from_path(&path)?;
    let mut rows = Vec::new();
    for e in r.deserialize::<Evidence>() {
        let e = e?;
        if (e.concept == args.query || e.parent == args.query)
            && keep(args, &e.country, &e.doc_type, &e.lang)
        {
            rows.push(e);
        }
    }
    Ok(rows)
}

fn term_rows(args: &Args) -> anyhow::Result<Vec<Evidence>> {
    let plan = args.corpus.plan(args.out.clone())?;
    let docs = napscan::pipeline::texts(&plan, &napscan::events::Quiet)?;
    let langs: std::collections::BTreeSet<&str> =
        docs.iter().map(|(m, _)| m.lang.as_str()).collect();
    let escaped = args.query.replace('\\', "\\\\").replace('"', "\\\"");
    let mut toml = String::from(
        "name = \"kwic\"\nversion = \"0\"\n[[concept]]\nid = \"term\"\nlabel = \"term\"\npillar = \"\"\nungp = \"\"\n[concept.terms]\n",
    );
    for l in langs {
        toml.push_str(&format!("{l} = [\"{escaped}\"]\n"));
    }
    let lex = napscan::lexicon::parse(std::path::Path::new("<query>"), &toml)?;
    let flagger = Flagger::new(vec![lex]);
    let mut rows = Vec::new();
    for (meta, slot) in &docs {
        let Some(Ok(x)) = slot else { continue };
        if keep(args, &meta.country, &meta.doc_type, &meta.lang) {
            for mut e in flagger.flag_document(meta, &x.pages) {
                let page = &x.pages[e.page as usize - 1].text;
                let (s, t) = char_to_byte(page, e.start, e.end);
                e.snippet = napscan::flag::snippet(page, s, t, args.width);
                rows.push(e);
            }
        }
    }
    Ok(rows)
}

fn char_to_byte(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut it = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let s = it.clone().nth(start).unwrap_or(text.len());
    let e = it.nth(end).unwrap_or(text.len());
    (s, e)
}
