//! `napscan lexicon check` validates lexicon and commitment-rules files; `napscan lexicon test`
//! shows which terms fire on a snippet; `napscan lexicon suggest` ranks the words and phrases that
//! distinguish hand-coded pages (keyness, G²), for lexicon authors and researchers with their
//! own coding.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use napscan::analyzer::Analyzer;
use napscan::commitment::Classifier;
use napscan::flag::Flagger;
use napscan::keyness::{self, PageCounts};
use napscan::lexicon::Lexicon;
use napscan::manifest::DocMeta;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Validate lexicon files and commitment rules (default: the built-in ones).
    Check {
        /// Files to check (lexicons, or commitment rules such as lexicons/commitment.toml).
        files: Vec<PathBuf>,
    },
    /// Show which terms fire on a text.
    Test {
        /// Language of the text (ISO 639-1).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Lexicon file(s) (default: the built-in one).
        #[arg(long = "lexicon")]
        lexicons: Vec<PathBuf>,
        /// The document's title, for anchors scoped to the title or the document.
        #[arg(long, default_value = "")]
        title: String,
        /// The document's type (`law`, `nap`, …), for `doc_type:` anchors.
        #[arg(long, default_value = "")]
        doc_type: String,
        /// The text, taken as a whole document.
        text: String,
    },
    /// Rank the words and phrases that distinguish the pages coded with a concept from the other
    /// coded pages of their language (log-likelihood G²), leaving out what the lexicon matches.
    Suggest(SuggestArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct SuggestArgs {
    /// Gold pages read by the coders (CSV: doc_id,page).
    #[arg(long)]
    gold_pages: PathBuf,
    /// Gold labels (CSV: doc_id,page,concept[,evidence]).
    #[arg(long)]
    gold_labels: PathBuf,
    /// Only this concept (repeatable; default: every concept with coded pages).
    #[arg(long)]
    concept: Vec<String>,
    /// Only this language (repeatable).
    #[arg(long)]
    lang: Vec<String>,
    /// Candidates per concept and language.
    #[arg(long, default_value_t = 15)]
    limit: usize,
    /// A candidate must stand on at least this many coded pages.
    #[arg(long, default_value_t = 2)]
    min_pages: u32,
    /// Output folder of the plan the page texts are read with (nothing is written there).
    #[arg(short, long, default_value = "out", hide = true)]
    out: PathBuf,
    #[command(flatten)]
    corpus: super::CorpusArgs,
}

/// Reads lexicon files; none means the built-in lexicon (the one `napscan run` uses).
fn load(files: &[PathBuf]) -> anyhow::Result<Vec<Lexicon>> {
    Ok(napscan::lexicon::resolve(files)?)
}

fn is_commitment_rules(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| !t.contains("[[concept]]") && t.contains("default"))
}

pub(crate) fn run(cmd: Command) -> anyhow::Result<i32> {
    match cmd {
        Command::Check { files } => {
            let (rules, lexicons): (Vec<PathBuf>, Vec<PathBuf>) =
                files.into_iter().partition(|f| is_commitment_rules(f));
            let check_builtin_rules = rules.is_empty() && lexicons.is_empty();
            if !lexicons.is_empty() || check_builtin_rules {
                for l in load(&lexicons)? {
                    let terms: usize = l.concepts.iter().map(|c| c.terms.len()).sum();
                    let langs: Vec<String> = l.languages().into_iter().collect();
                    outln!(
                        "{} {}: {} concepts, {} terms, languages {} (sha256 {})",
                        l.name,
                        l.version,
                        l.concepts.len(),
                        terms,
                        langs.join(", "),
                        &l.hash[..12]
                    )?;
                }
            }
            let mut classifiers: Vec<(String, Classifier)> = Vec::new();
            for r in &rules {
                classifiers.push((r.display().to_string(), Classifier::read(r)?));
            }
            if check_builtin_rules {
                classifiers.push(("commitment rules (built-in)".into(), Classifier::builtin()));
            }
            for (name, c) in classifiers {
                outln!("{name} {}: commitment rules (sha256 {})", c.version, &c.hash[..12])?;
            }
            Ok(0)
        }
        Command::Test { lang, lexicons, title, doc_type, text } => {
            let flagger = Flagger::new(load(&lexicons)?);
            let Some(m) = flagger.matcher(&lang) else {
                outln!("no lexicon term for language `{lang}`")?;
                return Ok(0);
            };
            let an = Analyzer::new(&lang).analyze(&text);
            let stems: Vec<&str> = an.stems();
            outln!("tokens: {}", stems.join(" "))?;
            let mut scan = napscan::lexicon::matcher::DocScan::new(&doc_type);
            m.scan_title(&title, &Analyzer::new(&lang).analyze(&title), &mut scan);
            let mut hits = m.find_in(&text, &an, 0, &mut scan);
            hits.extend(m.resolve(&mut scan, &[text.as_str()]).into_iter().map(|(_, h)| h));
            let hits = napscan::lexicon::matcher::dedupe(hits);
            if hits.is_empty() {
                outln!("no term fires")?;
            }
            for h in hits {
                let (id, _) = &m.concepts()[h.concept];
                outln!("{id:<32} {:<40} \"{}\"", m.term_text(h.term), &text[h.start..h.end])?;
            }
            Ok(0)
        }
        Command::Suggest(args) => suggest(args),
    }
}

type PageKey = (String, u32);

/// The text of every gold page, with its document's manifest row (extracted, or read from the
/// extraction cache, like `napscan text`).
pub(crate) fn gold_texts(
    corpus: &super::CorpusArgs,
    out: &Path,
    pages: &Path,
) -> anyhow::Result<BTreeMap<PageKey, (DocMeta, String)>> {
    let read = napscan::eval::read_pages(pages)?;
    let plan = corpus.plan(out.to_path_buf())?;
    let docs = napscan::pipeline::texts(&plan, &napscan::events::Quiet)?;
    let mut outm = BTreeMap::new();
    for (meta, slot) in docs {
        let Some(Ok(x)) = slot else { continue };
        for p in &x.pages {
            let key = (meta.doc_id.clone(), p.number);
            if read.contains(&key) {
                outm.insert(key, (meta.clone(), p.text.clone()));
            }
        }
    }
    anyhow::ensure!(
        !outm.is_empty(),
        "none of the gold pages in {} belongs to a document of {}",
        pages.display(),
        corpus.manifest.display()
    );
    Ok(outm)
}

/// Word and bigram counts of the gold pages; with `skip` (a flagger and a concept), the tokens
/// the concept's terms match (itself or its sub-concepts) are left out.
pub(crate) fn page_counts(
    texts: &BTreeMap<PageKey, (DocMeta, String)>,
    skip: Option<(&Flagger, &str)>,
) -> BTreeMap<PageKey, PageCounts> {
    let mut analyzers: BTreeMap<String, Analyzer> = BTreeMap::new();
    texts
        .iter()
        .map(|(key, (meta, text))| {
            let a = analyzers.entry(meta.lang.clone()).or_insert_with(|| Analyzer::new(&meta.lang));
            let mut covered = Vec::new();
            if let Some((c, m)) = skip.and_then(|(f, c)| Some((c, f.matcher(&meta.lang)?))) {
                let an = a.analyze(text);
                covered = vec![false; an.len()];
                for h in m.find(text, &an) {
                    let (id, parent) = &m.concepts()[h.concept];
                    if id == c || parent == c {
                        covered[h.first..h.last].iter_mut().for_each(|x| *x = true);
                    }
                }
            }
            let counts = keyness::count_page(a, text, |i| covered.get(i).copied().unwrap_or(false));
            (key.clone(), counts)
        })
        .collect()
}

fn suggest(args: SuggestArgs) -> anyhow::Result<i32> {
    let lexicons = args.corpus.plan(args.out.clone())?.read_lexicons()?;
    let parents: BTreeMap<String, String> = lexicons
        .iter()
        .flat_map(|l| l.concepts.iter().map(|c| (c.id.clone(), c.parent.clone())))
        .collect();
    let (_, gold) = napscan::eval::read_gold(&args.gold_pages, &args.gold_labels, &parents)?;
    let texts = gold_texts(&args.corpus, &args.out, &args.gold_pages)?;
    let mut concepts: Vec<String> = gold
        .values()
        .flatten()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !args.concept.is_empty() {
        for c in &args.concept {
            anyhow::ensure!(
                parents.contains_key(c),
                "unknown concept `{c}` (one of {})",
                parents.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
        concepts.retain(|c| args.concept.contains(c));
    }
    let langs: std::collections::BTreeSet<&str> = texts
        .values()
        .map(|(m, _)| m.lang.as_str())
        .filter(|l| args.lang.is_empty() || args.lang.iter().any(|x| x.eq_ignore_ascii_case(l)))
        .collect();
    let flagger = Flagger::new(lexicons);
    let mut found = 0;
    outln!(
        "{:<28} {:<4} {:<36} {:>8} {:>6} {:>6} {:>6}",
        "concept",
        "lang",
        "candidate",
        "G2",
        "pages",
        "count",
        "ref"
    )?;
    for c in &concepts {
        let counts = page_counts(&texts, Some((&flagger, c)));
        for lang in &langs {
            let (target, reference): (Vec<_>, Vec<_>) = counts
                .iter()
                .filter(|(k, _)| texts[*k].0.lang == *lang)
                .partition(|(k, _)| gold.get(*k).is_some_and(|g| g.contains(c)));
            if target.is_empty() {
                continue;
            }
            let target: Vec<&PageCounts> = target.into_iter().map(|(_, v)| v).collect();
            let reference: Vec<&PageCounts> = reference.into_iter().map(|(_, v)| v).collect();
            let mut ranked = keyness::keywords(&target, &reference, args.min_pages, usize::MAX);
            if let Some(m) = flagger.matcher(lang) {
                let mut analyzer = Analyzer::new(lang);
                ranked.retain(|k| {
                    let an = analyzer.analyze(&k.gram);
                    !m.find(&k.gram, &an).iter().any(|h| {
                        let (id, parent) = &m.concepts()[h.concept];
                        id == c || parent == c
                    })
                });
            }
            for k in ranked.iter().take(args.limit) {
                found += 1;
                outln!(
                    "{c:<28} {lang:<4} {:<36} {:>8.1} {:>6} {:>6} {:>6}",
                    k.gram,
                    k.g2,
                    k.target_pages,
                    k.target,
                    k.reference
                )?;
            }
        }
    }
    if found == 0 {
        outln!("no candidate: no coded page, or every distinctive word is already matched")?;
        return Ok(1);
    }
    Ok(0)
}
