//! `napscan eval`: scores the flags of the last run against hand coding and prints tables (per
//! concept, per language, per document type); with `--misses`, the pages it got wrong.

use std::collections::BTreeMap;
use std::path::PathBuf;

use napscan::eval::{self, DocInfo, LevelReport};
use napscan::lexicon::Lexicon;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Gold pages read by the coders (CSV: doc_id,page).
    #[arg(long, requires = "gold_labels")]
    gold_pages: Option<PathBuf>,
    /// Gold labels (CSV: doc_id,page,concept[,evidence]).
    #[arg(long, requires = "gold_pages")]
    gold_labels: Option<PathBuf>,
    /// Hand-labelled sentences (CSV: id,doc_id,lang,sentence,label) for the commitment classifier.
    #[arg(long)]
    gold_commitment: Option<PathBuf>,
    /// The run's output folder (reads evidence.csv, writes eval.csv).
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
    /// Manifest(s) giving the gold sentences' documents their type (repeatable).
    #[arg(long = "sentence-manifest")]
    manifests: Vec<PathBuf>,
    /// Folder of the documents' text as `napscan text` writes it: gold sentences found in an
    /// act's recitals are classified as recitals, as a run classifies them.
    #[arg(long)]
    text: Option<PathBuf>,
    /// Also list, per concept, the coded pages with no hit (with their most distinctive words)
    /// and the hits on pages coded absent (with the terms that fired).
    #[arg(long)]
    misses: bool,
    #[command(flatten)]
    corpus: super::CorpusArgs,
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    let lexicons: Vec<Lexicon> = args.corpus.plan(args.out.clone())?.read_lexicons()?;
    let parents: BTreeMap<String, String> = lexicons
        .iter()
        .flat_map(|l| l.concepts.iter().map(|c| (c.id.clone(), c.parent.clone())))
        .collect();
    let concepts: Vec<String> = lexicons
        .iter()
        .flat_map(|l| l.concepts.iter().filter(|c| c.parent.is_empty()).map(|c| c.id.clone()))
        .collect();
    anyhow::ensure!(
        args.gold_pages.is_some() || args.gold_commitment.is_some(),
        "give --gold-pages and --gold-labels, or --gold-commitment, or both"
    );
    let report = match (&args.gold_pages, &args.gold_labels) {
        (Some(pages), Some(labels)) => {
            let evidence = args.out.join("evidence.csv");
            anyhow::ensure!(
                evidence.is_file(),
                "{} not found: run `napscan run` first",
                evidence.display()
            );
            let docs = doc_infos(&args.out.join("documents.csv"))?;
            let report = eval::evaluate(&evidence, pages, labels, &parents, &concepts, &docs)?;
            print_level("page", &report.page)?;
            print_level("document", &report.document)?;
            outln!("page-level, per language")?;
            print_table("language", &report.per_lang)?;
            outln!("\npage-level, per document type")?;
            print_table("doc_type", &report.per_type)?;
            outln!()?;
            if args.misses {
                print_misses(&args, &report, pages)?;
            }
            Some(report)
        }
        _ => None,
    };
    let commitment = match &args.gold_commitment {
        Some(gold) => {
            let classifier = super::commitment::load_rules(args.corpus.commitment_rules.as_ref())?;
            let mut manifests = args.manifests.clone();
            if args.corpus.manifest.is_file() {
                manifests.insert(0, args.corpus.manifest.clone());
            }
            let types = super::commitment::doc_types(&manifests)?;
            let preambles =
                super::commitment::preambles(args.text.as_ref(), types.keys().map(String::as_str))?;
            let c = eval::evaluate_commitment(gold, &classifier, &types, &preambles)?;
            outln!("commitment ({} sentences)", c.n)?;
            print_table("label", &c.per_label)?;
            let langs: Vec<String> = c
                .per_lang
                .iter()
                .map(|(l, (right, n))| format!("{l} {:.3} ({n})", *right as f64 / *n as f64))
                .collect();
            outln!("accuracy per language: {}", langs.join(", "))?;
            outln!("accuracy {:.3}, macro-F1 {:.3}\n", c.accuracy, c.macro_f1)?;
            Some(c)
        }
        None => None,
    };
    eval::write_csv(&args.out.join("eval.csv"), report.as_ref(), commitment.as_ref())?;
    outln!("written: {}", args.out.join("eval.csv").display())?;
    Ok(0)
}

/// Language and type of every document of a run, from its `documents.csv`.
fn doc_infos(path: &std::path::Path) -> anyhow::Result<BTreeMap<String, DocInfo>> {
    let mut out = BTreeMap::new();
    if !path.is_file() {
        return Ok(out);
    }
    let mut r = csv::Reader::from_path(path)?;
    let h = r.headers()?.clone();
    let col = |n: &str| h.iter().position(|x| x == n);
    let (Some(d), Some(l), Some(t)) = (col("doc_id"), col("lang"), col("doc_type")) else {
        return Ok(out);
    };
    for rec in r.records() {
        let rec = rec?;
        out.insert(
            rec[d].to_string(),
            DocInfo { lang: rec[l].to_string(), doc_type: rec[t].to_string() },
        );
    }
    Ok(out)
}

fn print_misses(args: &Args, report: &eval::Report, pages: &std::path::Path) -> anyhow::Result<()> {
    let texts = super::lexicon::gold_texts(&args.corpus, &args.out, pages)?;
    let counts = super::lexicon::page_counts(&texts, None);
    let mut by_concept: BTreeMap<&str, Vec<&eval::Miss>> = BTreeMap::new();
    for m in &report.misses {
        by_concept.entry(&m.concept).or_default().push(m);
    }
    for (concept, misses) in by_concept {
        let fn_ = misses.iter().filter(|m| m.terms.is_none()).count();
        outln!(
            "{concept}: {fn_} coded pages without a hit, {} hits on pages coded absent",
            misses.len() - fn_
        )?;
        for m in misses {
            let key = (m.doc_id.clone(), m.page);
            match &m.terms {
                None => {
                    let words = match (counts.get(&key), texts.get(&key)) {
                        (Some(page), Some((meta, _))) => {
                            let reference: Vec<_> = counts
                                .iter()
                                .filter(|(k, _)| {
                                    **k != key
                                        && texts.get(*k).is_some_and(|(o, _)| o.lang == meta.lang)
                                })
                                .map(|(_, c)| c)
                                .collect();
                            napscan::keyness::keywords(&[page], &reference, 1, 6)
                                .into_iter()
                                .map(|k| k.gram)
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                        _ => "(page text not found)".into(),
                    };
                    outln!("  miss   {} p.{}  distinctive: {words}", m.doc_id, m.page)?;
                }
                Some(terms) => {
                    outln!("  false  {} p.{}  fired: {}", m.doc_id, m.page, terms.join(" | "))?;
                }
            }
        }
        outln!()?;
    }
    Ok(())
}

/// Prints one row per key with counts, precision, recall and F1.
fn print_table(key: &str, rows: &BTreeMap<String, eval::Score>) -> std::io::Result<()> {
    outln!(
        "{key:<28} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
        "tp",
        "fp",
        "fn",
        "prec",
        "recall",
        "f1"
    )?;
    for (k, s) in rows {
        outln!(
            "{k:<28} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
            s.tp,
            s.fp,
            s.fn_,
            s.precision(),
            s.recall(),
            s.f1()
        )?;
    }
    Ok(())
}

fn print_level(name: &str, level: &LevelReport) -> std::io::Result<()> {
    outln!("{name}-level")?;
    print_table("concept", &level.per_concept)?;
    let m = &level.micro;
    outln!(
        "{:<28} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
        "micro",
        m.tp,
        m.fp,
        m.fn_,
        m.precision(),
        m.recall(),
        m.f1()
    )?;
    outln!(
        "{:<28} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6.3}\n",
        "macro",
        "",
        "",
        "",
        "",
        "",
        level.macro_f1
    )
}
