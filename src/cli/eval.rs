//! `napscan eval`: scores the flags of the last run against hand coding and prints a table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use napscan::eval::{self, LevelReport};
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
    /// Commitment rules (default: the built-in lexicons/commitment.toml).
    #[arg(long)]
    commitment_rules: Option<PathBuf>,
    /// The run's output folder (reads evidence.csv, writes eval.csv).
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
    /// Lexicon file(s) used by the run (default: the built-in one).
    #[arg(long = "lexicon")]
    lexicons: Vec<PathBuf>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    let lexicons: Vec<Lexicon> = if args.lexicons.is_empty() {
        vec![Lexicon::builtin()]
    } else {
        let paths: Vec<&std::path::Path> = args.lexicons.iter().map(PathBuf::as_path).collect();
        napscan::lexicon::read_all(&paths)?
    };
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
            let report = eval::evaluate(&evidence, pages, labels, &parents, &concepts)?;
            print_level("page", &report.page);
            print_level("document", &report.document);
            Some(report)
        }
        _ => None,
    };
    let commitment = match &args.gold_commitment {
        Some(gold) => {
            let classifier = super::commitment::load_rules(args.commitment_rules.as_ref())?;
            let c = eval::evaluate_commitment(gold, &classifier)?;
            println!("commitment ({} sentences)", c.n);
            print_table("label", &c.per_label);
            println!("accuracy {:.3}, macro-F1 {:.3}\n", c.accuracy, c.macro_f1);
            Some(c)
        }
        None => None,
    };
    eval::write_csv(&args.out.join("eval.csv"), report.as_ref(), commitment.as_ref())?;
    println!("written: {}", args.out.join("eval.csv").display());
    Ok(0)
}

/// Prints one row per key with counts, precision, recall and F1.
fn print_table(key: &str, rows: &BTreeMap<String, eval::Score>) {
    println!(
        "{key:<28} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
        "tp", "fp", "fn", "prec", "recall", "f1"
    );
    for (k, s) in rows {
        println!(
            "{k:<28} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
            s.tp,
            s.fp,
            s.fn_,
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
}

fn print_level(name: &str, level: &LevelReport) {
    println!("{name}-level");
    print_table("concept", &level.per_concept);
    let m = &level.micro;
    println!(
        "{:<28} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
        "micro",
        m.tp,
        m.fp,
        m.fn_,
        m.precision(),
        m.recall(),
        m.f1()
    );
    println!(
        "{:<28} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6.3}\n",
        "macro", "", "", "", "", "", level.macro_f1
    );
}
