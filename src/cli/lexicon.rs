//! `napscan lexicon check` validates lexicon files; `napscan lexicon test` shows which terms fire
//! on a snippet, for lexicon authors.

use std::path::PathBuf;

use napscan::analyzer::Analyzer;
use napscan::flag::Flagger;
use napscan::lexicon::Lexicon;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Validate lexicon files (default: lexicons/ungp.toml).
    Check {
        /// Files to check.
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
        /// The text.
        text: String,
    },
}

fn load(files: &[PathBuf]) -> anyhow::Result<Vec<Lexicon>> {
    if files.is_empty() {
        let default = PathBuf::from("lexicons/ungp.toml");
        if default.is_file() {
            return Ok(vec![napscan::lexicon::read(&default)?]);
        }
        return Ok(vec![Lexicon::builtin()]);
    }
    let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    Ok(napscan::lexicon::read_all(&paths)?)
}

pub(crate) fn run(cmd: Command) -> anyhow::Result<i32> {
    match cmd {
        Command::Check { files } => {
            for l in load(&files)? {
                let terms: usize = l.concepts.iter().map(|c| c.terms.len()).sum();
                let langs: Vec<String> = l.languages().into_iter().collect();
                println!(
                    "{} {}: {} concepts, {} terms, languages {} (sha256 {})",
                    l.name,
                    l.version,
                    l.concepts.len(),
                    terms,
                    langs.join(", "),
                    &l.hash[..12]
                );
            }
            Ok(0)
        }
        Command::Test { lang, lexicons, text } => {
            let flagger = Flagger::new(load(&lexicons)?);
            let Some(m) = flagger.matcher(&lang) else {
                println!("no lexicon term for language `{lang}`");
                return Ok(0);
            };
            let an = Analyzer::new(&lang).analyze(&text);
            let stems: Vec<&str> = an.stems();
            println!("tokens: {}", stems.join(" "));
            let hits = m.find(&text, &an);
            if hits.is_empty() {
                println!("no term fires");
            }
            for h in hits {
                let (id, _) = &m.concepts()[h.concept];
                println!("{id:<32} {:<40} \"{}\"", m.term_text(h.term), &text[h.start..h.end]);
            }
            Ok(0)
        }
    }
}
