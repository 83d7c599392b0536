//! OCR of image-only pages: which engine is installed ([`Engine::probe`]), which Tesseract
//! language packs a manifest language needs, and the OCR of one page ([`ocr_page`]): poppler's
//! `pdftoppm` renders the page in greyscale and pipes it to the `tesseract` program, whose TSV
//! output gives the words, their layout and their confidence. Both programs run as child processes
//! of an extraction worker (so under its memory limit) with a deadline of their own, and with
//! Tesseract's OpenMP threads limited to one, because the worker pool already runs one page per
//! core. The pipeline decides which pages to OCR and caches the results.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Which pages get OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// No OCR: image-only pages stay `needs_ocr`.
    Off,
    /// Pages that carry an image and (almost) no text layer.
    #[default]
    Auto,
    /// Every page of every PDF; the OCR text replaces the text layer.
    Force,
}

impl Mode {
    /// The mode's name, as `--ocr` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Auto => "auto",
            Mode::Force => "force",
        }
    }
}

/// How OCR runs in a batch.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Which pages.
    pub mode: Mode,
    /// Rendering resolution in dots per inch.
    pub dpi: u32,
    /// Wall-clock limit for one page (rendering and recognition).
    pub page_timeout: Duration,
}

/// The rendering resolution: on 200 dpi greyscale scans of law pages (en, fr, de, es), rendering
/// at 150 dpi lost 0.1 to 0.3 points of token F1 against 200, and 300 dpi gained at most 0.2
/// points for 15 to 25% more time (README, "OCR").
pub const DEFAULT_DPI: u32 = 200;

impl Default for Settings {
    fn default() -> Settings {
        Settings { mode: Mode::Auto, dpi: DEFAULT_DPI, page_timeout: Duration::from_secs(60) }
    }
}

/// The OCR programs found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// Tesseract's version line (`tesseract 5.3.0`).
    pub version: String,
    /// The language packs installed (`eng`, `fra`, …).
    pub langs: Vec<String>,
}

/// What to install on Debian for OCR in the given Tesseract languages.
pub fn install_hint(langs: &[&str]) -> String {
    let mut pkgs = vec!["poppler-utils".to_string(), "tesseract-ocr".to_string()];
    pkgs.extend(langs.iter().map(|l| format!("tesseract-ocr-{l}")));
    format!("apt-get install {}", pkgs.join(" "))
}

impl Engine {
    /// Finds `tesseract` and `pdftoppm` on the `PATH` and lists Tesseract's language packs.
    /// The error says what is missing and what to install.
    pub fn probe() -> Result<Engine, String> {
        let run = |prog: &str, args: &[&str]| {
            Command::new(prog)
                .args(args)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("`{prog}` cannot be run ({e})"))
        };
        let version = run("tesseract", &["--version"])?;
        // Tesseract 4 prints its version on stderr, 5 on stdout.
        let text = String::from_utf8_lossy(if version.stdout.is_empty() {
            &version.stderr
        } else {
            &version.stdout
        })
        .into_owned();
        let version = text.lines().next().unwrap_or("tesseract").trim().to_string();
        let list = run("tesseract", &["--list-langs"])?;
        let langs = String::from_utf8_lossy(&list.stdout)
            .lines()
            .skip(1)
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty() && l != "osd")
            .collect();
        run("pdftoppm", &["-v"])?;
        Ok(Engine { version, langs })
    }

    /// What cached OCR results depend on: the engine version and the language packs.
    pub fn signature(&self) -> String {
        format!("{} [{}]", self.version, self.langs.join(" "))
    }

    /// The Tesseract languages to read a document in `lang` (ISO 639-1) with, or what to install.
    /// Documents in a language Tesseract has no pack for here are read as English, the most
    /// common second language of the corpus, with a note.
    pub fn langs_for(&self, lang: &str) -> Result<String, String> {
        let want = tesseract_lang(lang);
        if self.langs.iter().any(|l| l == want) {
            return Ok(want.to_string());
        }
        Err(format!(
            "Tesseract has no language pack `{want}` for documents in `{lang}` (installed: {}); \
             install it: {}",
            if self.langs.is_empty() { "none".to_string() } else { self.langs.join(", ") },
            install_hint(&[want])
        ))
    }
}

/// Tesseract's language code (ISO 639-2/T, as its packs are named) for an ISO 639-1 code; codes
/// that are already three letters pass through.
pub fn tesseract_lang(iso: &str) -> &str {
    match iso.to_ascii_lowercase().as_str() {
        "en" => "eng",
        "fr" => "fra",
        "es" => "spa",
        "de" => "deu",
        "pt" => "por",
        "it" => "ita",
        "nl" => "nld",
        "sv" => "swe",
        "da" => "dan",
        "fi" => "fin",
        "no" | "nb" => "nor",
        "pl" => "pol",
        "cs" => "ces",
        "ro" => "ron",
        "hu" => "hun",
        "el" => "ell",
        "ru" => "rus",
        "tr" => "tur",
        "ar" => "ara",
        "zh" => "chi_sim",
        "ja" => "jpn",
        "ko" => "kor",
        _ if iso.len() == 3 => iso,
        _ => "eng",
    }
}

/// The OCR text of one page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OcrPage {
    /// The recognised text, lines and paragraphs as Tesseract found them (words below
    /// [`MIN_WORD_CONFIDENCE`] left out).
    pub text: String,
    /// Mean word confidence, 0 to 100 (0 when no word was found).
    pub confidence: f32,
    /// Words kept.
    pub words: usize,
}

/// Words Tesseract is less sure of than this (0 to 100) are left out: on logos and photographs it
/// reads noise as short words at confidence 0 to 20, while words of real text on the test scans
/// sat above 30 (dropping below 20 changed no scan's token F1).
pub const MIN_WORD_CONFIDENCE: f32 = 20.0;

/// Reads Tesseract's TSV output (level 5 rows are words, numbered by block, paragraph and line).
pub fn parse_tsv(tsv: &str) -> OcrPage {
    let mut text = String::new();
    let mut last: Option<(u32, u32, u32)> = None;
    let (mut words, mut conf_sum) = (0usize, 0f64);
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let word = f[11].trim();
        let conf: f32 = f[10].parse().unwrap_or(-1.0);
        if word.is_empty() || conf < MIN_WORD_CONFIDENCE {
            continue;
        }
        let num = |i: usize| f[i].parse::<u32>().unwrap_or(0);
        let here = (num(2), num(3), num(4));
        match last {
            Some((b, p, l)) if (b, p, l) == here => text.push(' '),
            Some((b, p, _)) if (b, p) == (here.0, here.1) => text.push('\n'),
            Some(_) => text.push_str("\n\n"),
            None => {}
        }
        text.push_str(word);
        last = Some(here);
        words += 1;
        conf_sum += f64::from(conf);
    }
    let confidence = if words == 0 { 0.0 } else { (conf_sum / words as f64) as f32 };
    OcrPage { text, confidence, words }
}

/// OCRs page `page` (1-based) of the PDF at `pdf` in the Tesseract languages `langs` (`fra`,
/// `deu+eng`), rendered at `dpi`, within `timeout`. Errors say which program failed and how.
pub fn ocr_page(
    pdf: &Path,
    page: u32,
    langs: &str,
    dpi: u32,
    timeout: Duration,
) -> Result<OcrPage, String> {
    let deadline = Instant::now() + timeout;
    let p = page.to_string();
    let mut render = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-f", &p, "-l", &p, "-singlefile"])
        .arg(pdf)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("pdftoppm cannot be run ({e}); {}", install_hint(&[])))?;
    let image = render.stdout.take().expect("piped stdout");
    let tess = Command::new("tesseract")
        // The resolution is given: a piped image carries none, and Tesseract's estimate is off.
        .args(["stdin", "stdout", "-l", langs, "--psm", "3", "--dpi", &dpi.to_string(), "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::from(image))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut tess = match tess {
        Ok(t) => t,
        Err(e) => {
            let _ = render.kill();
            let _ = render.wait();
            return Err(format!("tesseract cannot be run ({e}); {}", install_hint(&[])));
        }
    };
    let out = drain(tess.stdout.take());
    let tess_err = drain(tess.stderr.take());
    let render_err = drain(render.stderr.take());
    let render_status = wait_until(&mut render, deadline);
    let tess_status = wait_until(&mut tess, deadline);
    let (Some(render_status), Some(tess_status)) = (render_status, tess_status) else {
        for c in [&mut render, &mut tess] {
            let _ = c.kill();
            let _ = c.wait();
        }
        return Err(format!("no OCR result after {} s; stopped", timeout.as_secs_f32()));
    };
    let join = |h: std::thread::JoinHandle<Vec<u8>>| h.join().unwrap_or_default();
    let (out, tess_err, render_err) = (join(out), join(tess_err), join(render_err));
    let last_line = |b: &[u8]| {
        String::from_utf8_lossy(b).lines().rev().find(|l| !l.trim().is_empty()).map_or_else(
            || "no message".to_string(),
            |l| l.trim().chars().take(200).collect::<String>(),
        )
    };
    if !render_status.success() {
        return Err(format!("pdftoppm failed ({render_status}): {}", last_line(&render_err)));
    }
    if !tess_status.success() {
        return Err(format!("tesseract failed ({tess_status}): {}", last_line(&tess_err)));
    }
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// Reads a child's pipe to the end on a thread, so that neither pipe fills up and blocks it.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// Waits for `child` to exit until `deadline`; `None` when it is still running then.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<std::process::ExitStatus> {
    let mut pause = Duration::from_millis(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() >= deadline => return None,
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.5\tArticle
5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t95.0\t1
5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t91.0\tLes
5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t3.9\tsumiso
5\t1\t1\t1\t2\t3\t0\t0\t1\t1\t89.0\tsociétés
5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t90.0\tFin
";

    #[test]
    fn tsv_keeps_lines_and_paragraphs_and_drops_unsure_words() {
        let p = parse_tsv(TSV);
        assert_eq!(p.text, "Article 1\nLes sociétés\n\nFin");
        assert_eq!(p.words, 5);
        assert!((p.confidence - 92.3).abs() < 0.01, "{}", p.confidence);
    }

    #[test]
    fn an_empty_page_has_no_words_and_no_confidence() {
        let p = parse_tsv("level\tpage_num\n1\t1\t0\t0\t0\t0\t0\t0\t9\t9\t-1\t\n");
        assert_eq!((p.text.as_str(), p.words, p.confidence), ("", 0, 0.0));
    }

    #[test]
    fn manifest_languages_map_to_tesseract_packs() {
        assert_eq!(tesseract_lang("fr"), "fra");
        assert_eq!(tesseract_lang("DE"), "deu");
        assert_eq!(tesseract_lang("pt"), "por");
        assert_eq!(tesseract_lang("spa"), "spa");
        assert_eq!(tesseract_lang("xx"), "eng");
        let engine = Engine { version: "tesseract 5".into(), langs: vec!["eng".into()] };
        assert_eq!(engine.langs_for("en").unwrap(), "eng");
        let err = engine.langs_for("fr").unwrap_err();
        assert!(err.contains("tesseract-ocr-fra"), "{err}");
    }
}
