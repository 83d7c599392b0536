//! Test helpers: a temporary work folder and a way to run the real binary in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixture folder.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A temporary folder with an index and output folder, removed on drop.
pub(crate) struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub(crate) fn new() -> Workdir {
        Workdir { dir: tempfile::tempdir().unwrap() }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A corpus folder in this workdir holding one copy of the document `src`, with a manifest of
    /// one row: `row` gives doc_id,country,year,doc_type,lang,title, the path is the file's name.
    /// Returns the manifest's path.
    pub(crate) fn one_document_corpus(&self, src: &Path, row: &str) -> PathBuf {
        let d = self.path("corpus");
        std::fs::create_dir_all(&d).unwrap();
        let name = src.file_name().unwrap().to_str().unwrap();
        std::fs::copy(src, d.join(name)).unwrap();
        let manifest = d.join("manifest.csv");
        std::fs::write(
            &manifest,
            format!("doc_id,country,year,doc_type,lang,title,path\n{row},{name}\n"),
        )
        .unwrap();
        manifest
    }

    /// A command for the napscan binary, run in the repository root.
    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_napscan"));
        c.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
        c
    }

    /// `napscan lexicon test --lang LANG [EXTRA…] TEXT` with the built-in lexicon: its exit status
    /// and, as text, what it printed (the analysed tokens and the terms that fire).
    pub(crate) fn lexicon_test(&self, lang: &str, extra: &[&str], text: &str) -> (bool, String) {
        let out =
            self.cmd(&["lexicon", "test", "--lang", lang]).args(extra).arg(text).output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// `lexicon test` in `lang`: `concept` does not fire on the `absent` text and fires on the
    /// `present` one, each with its own extra arguments (a title, a document type).
    pub(crate) fn senses_apart(
        &self,
        lang: &str,
        concept: &str,
        (absent_args, absent): (&[&str], &str),
        (present_args, present): (&[&str], &str),
    ) {
        let (_, s) = self.lexicon_test(lang, absent_args, absent);
        assert!(!s.contains(concept), "{absent}: {s}");
        let (_, s) = self.lexicon_test(lang, present_args, present);
        assert!(s.contains(concept), "{present}: {s}");
    }

    /// `napscan run` on a manifest with this workdir's index and out folders, quietly.
    pub(crate) fn run(&self, manifest: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["--quiet"];
        args.extend_from_slice(extra);
        self.run_command(manifest, &args).output().unwrap()
    }

    /// The command of `napscan run` on a manifest with this workdir's index and out folders (with
    /// its summary on stderr), to adjust before running.
    pub(crate) fn run_command(&self, manifest: &Path, extra: &[&str]) -> Command {
        let idx = self.path("index");
        let out = self.path("out");
        let mut args = vec![
            "run",
            "--manifest",
            manifest.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        self.cmd(&args)
    }

    /// `napscan text` on a manifest with this workdir's index, into its `txt` folder, quietly.
    pub(crate) fn text(&self, manifest: &Path) -> Output {
        let (idx, txt) = (self.path("index"), self.path("txt"));
        let args = ["text", "--manifest", manifest.to_str().unwrap(), "--index"];
        let mut c = self.cmd(&args);
        c.args([idx.to_str().unwrap(), "--out", txt.to_str().unwrap(), "-q"]);
        c.output().unwrap()
    }

    /// Reads a CSV output as header-keyed rows.
    pub(crate) fn csv(&self, name: &str) -> Vec<std::collections::HashMap<String, String>> {
        let mut r = csv::Reader::from_path(self.path("out").join(name)).unwrap();
        let headers = r.headers().unwrap().clone();
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                headers
                    .iter()
                    .zip(rec.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    }
}
