//! `napscan commitment`: classifies arbitrary sentences (CSV `id,lang,sentence` in, `id,label,cue`
//! out), so researchers can check the smart-mix classifier on their own text.

use std::path::PathBuf;

use anyhow::Context;
use napscan::commitment::Classifier;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// CSV with columns id,lang,sentence.
    #[arg(long)]
    input: PathBuf,
    /// Where to write id,label,cue (default: standard output).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Commitment rules (default: the built-in lexicons/commitment.toml).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Manifest(s) giving each `doc_id` of the input its document type (repeatable); a
    /// `doc_type` column in the input does the same.
    #[arg(long = "manifest")]
    manifests: Vec<PathBuf>,
    /// Folder of the documents' text as `napscan text` writes it (`<doc_id>.txt`): a sentence
    /// found in the recitals of an act (before "ONT ADOPTÉ LA PRÉSENTE DIRECTIVE:") is read as
    /// a recital, as a run reads it.
    #[arg(long)]
    text: Option<PathBuf>,
}

#[derive(serde::Deserialize)]
struct In {
    id: String,
    lang: String,
    sentence: String,
    #[serde(default)]
    doc_id: String,
    #[serde(default)]
    doc_type: String,
}

/// Document id → type, from manifests.
pub(crate) fn doc_types(
    manifests: &[PathBuf],
) -> anyhow::Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    for m in manifests {
        for d in napscan::manifest::read(m)?.docs {
            out.insert(d.doc_id, d.doc_type);
        }
    }
    Ok(out)
}

#[derive(serde::Serialize)]
struct Out<'a> {
    id: &'a str,
    label: &'static str,
    cue: &'a str,
}

/// The preambles of `doc_ids` from a folder `napscan text` wrote (`--text`); none without one.
pub(crate) fn preambles<'a>(
    dir: Option<&PathBuf>,
    doc_ids: impl IntoIterator<Item = &'a str>,
) -> anyhow::Result<napscan::commitment::Preambles> {
    Ok(match dir {
        Some(d) => napscan::commitment::Preambles::read(d, doc_ids)?,
        None => Default::default(),
    })
}

pub(crate) fn load_rules(path: Option<&PathBuf>) -> anyhow::Result<Classifier> {
    Ok(match path {
        Some(p) => Classifier::read(p)?,
        None => Classifier::builtin(),
    })
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    let classifier = load_rules(args.rules.as_ref())?;
    let types = doc_types(&args.manifests)?;
    let mut r = csv::Reader::from_path(&args.input)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let mut recs = Vec::new();
    for (i, rec) in r.deserialize::<In>().enumerate() {
        recs.push(rec.with_context(|| {
            format!("{}:{}: expected columns id,lang,sentence", args.input.display(), i + 2)
        })?);
    }
    let preambles = preambles(args.text.as_ref(), recs.iter().map(|r| r.doc_id.as_str()))?;
    let mut rows = Vec::new();
    for rec in recs {
        let ty = if rec.doc_type.is_empty() {
            types.get(&rec.doc_id).map_or("", String::as_str)
        } else {
            rec.doc_type.as_str()
        };
        let recital = preambles.contains(&rec.doc_id, &rec.sentence);
        let (label, cue) = classifier.classify_at(&rec.lang, ty, recital, &rec.sentence);
        rows.push((rec.id, label, cue));
    }
    let outs = rows.iter().map(|(id, label, cue)| Out { id, label: label.as_str(), cue });
    match &args.output {
        Some(p) => napscan::output::write_csv(p, outs)?,
        None => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            for o in outs {
                w.serialize(o)?;
            }
            w.flush()?;
        }
    }
    Ok(0)
}
