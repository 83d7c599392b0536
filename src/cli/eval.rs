//! `napscan eval`: scores the flags of the last run against hand coding and prints a table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use napscan::eval::{self, LevelReport};
use napscan::lexicon::Lexicon;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Gold pages read by the coders (CSV: doc_id,page).
    #[arg(long)]
    gold_pages: PathBuf,
    /// Gold labels (CSV: doc_id,page,concept[,evidence]).
    #[arg(long)]
    gold_labels: PathBuf,
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
    let evidence = args.out.join("evidence.csv");
    anyhow::ensure!(
        evidence.is_file(),
        "{} not found: run `napscan run` first",
        evidence.display()
    );
    let report =
        eval::evaluate(&evidence, &args.gold_pages, &args.gold_labels, &parents, &concepts)?;
    print_level("page", &report.page);
    print_level("document", &report.document);
    eval::write_csv(&args.out.join("eval.csv"), &report)?;
    println!("written: {}", args.out.join("eval.csv").display());
    Ok(0)
}

fn print_level(name: &str, level: &LevelReport) {
    println!("{name}-level");
    println!(
        "{:<28} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
        "concept", "tp", "fp", "fn", "prec", "recall", "f1"
    );
    for (c, s) in &level.per_concept {
        println!(
            "{:<28} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
            c,
            s.tp,
            s.fp,
            s.fn_,
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
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
