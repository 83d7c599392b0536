//! The status policy: from a document's extraction outcome (pages with text, image-only pages,
//! pages read by OCR, failed pages) to its `documents.csv` row ([`DocRecord`]), its [`Status`] and
//! its failure rows. Pure, and tested case by case.

use std::path::PathBuf;

use crate::error::{DocFailure, Stage};
use crate::extract::Extracted;
use crate::manifest::DocMeta;

/// The document an assessment is about.
struct Src<'a> {
    meta: &'a DocMeta,
    sha: &'a str,
}

/// True when so many pages came out blank (no text, no image to OCR) that the document cannot be
/// taken as read: more than half of them, and at least two. A blank back cover is not that.
fn mostly_empty(pages: usize, empty: usize) -> bool {
    empty >= 2 && empty * 2 > pages
}

/// Status of one document after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every page has text (from its layer or OCR), or is blank, or is a picture without words.
    Ok,
    /// Some pages failed or stay unread, or most pages came out blank; others have text.
    Partial,
    /// No page has text, but pages carry images: OCR needed.
    NeedsOcr,
    /// Nothing could be extracted.
    Failed,
    /// Extracted and indexed, but no lexicon covers its language: not flagged.
    NoLexicon,
}

impl Status {
    /// The status as `documents.csv` writes it (`ok`, `partial`, `needs_ocr`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::NeedsOcr => "needs_ocr",
            Status::Failed => "failed",
            Status::NoLexicon => "no_lexicon",
        }
    }
}

/// One row of `documents.csv`.
#[derive(Debug, Clone)]
pub struct DocRecord {
    /// The manifest row.
    pub meta: DocMeta,
    /// SHA-256 of the file (empty when unreadable).
    pub sha256: String,
    /// Number of physical pages.
    pub pages: usize,
    /// Pages that need OCR and did not get it.
    pub pages_needing_ocr: usize,
    /// The pages read by OCR, with Tesseract's mean word confidence (0 to 100).
    pub ocr_confidence: Vec<(u32, f32)>,
    /// Words extracted.
    pub words: usize,
    /// Outcome.
    pub status: Status,
    /// Extractors used.
    pub extractor: String,
    /// Why the status is not `ok`.
    pub message: String,
}

/// Decides a document's status and failure rows from its extraction outcome (`None`: not
/// attempted); `covered` says whether a lexicon covers its language.
pub(crate) fn assess(
    meta: &DocMeta,
    sha: &str,
    x: Option<&Result<Extracted, (Stage, String)>>,
    covered: bool,
) -> (DocRecord, Vec<DocFailure>) {
    let src = Src { meta, sha };
    let fail = |page: Option<u32>, stage: Stage, reason: String| DocFailure {
        doc_id: src.meta.doc_id.clone(),
        path: PathBuf::from(&src.meta.path),
        page,
        stage,
        reason,
    };
    let mut rec = DocRecord {
        meta: src.meta.clone(),
        sha256: src.sha.to_string(),
        pages: 0,
        pages_needing_ocr: 0,
        ocr_confidence: Vec::new(),
        words: 0,
        status: Status::Failed,
        extractor: String::new(),
        message: String::new(),
    };
    let x = match x {
        Some(Ok(x)) => x,
        Some(Err((stage, reason))) => {
            rec.message = format!("{stage}: {reason}");
            return (rec, vec![fail(None, *stage, reason.clone())]);
        }
        None => {
            rec.message = "not extracted".into();
            return (rec, vec![fail(None, Stage::Extract, "not extracted".into())]);
        }
    };
    rec.pages = x.pages.len();
    rec.pages_needing_ocr = x.pages.iter().filter(|p| p.needs_ocr).count();
    rec.ocr_confidence = x.pages.iter().filter_map(|p| Some((p.number, p.ocr?))).collect();
    rec.words = x.words();
    rec.extractor = x.extractor.clone();
    if !rec.ocr_confidence.is_empty() {
        rec.extractor = if rec.extractor.is_empty() {
            "tesseract".into()
        } else {
            rec.extractor + "+tesseract"
        };
    }
    let mut fails: Vec<DocFailure> =
        x.page_failures.iter().map(|(p, r)| fail(Some(*p), Stage::Extract, r.clone())).collect();
    fails.extend(x.ocr_failures.iter().map(|(p, r)| fail(Some(*p), Stage::Ocr, r.clone())));
    let with_text = x.pages.iter().filter(|p| !p.text.trim().is_empty()).count();
    // Blank pages: no text, no image, no OCR. A page OCR read and found no words on (a logo, a
    // photograph) has been read.
    let empty = x
        .pages
        .iter()
        .filter(|p| !p.needs_ocr && p.ocr.is_none() && p.text.trim().is_empty())
        .count();
    // OCR could not run: one row says why and what to install.
    let unread_note = match (&x.ocr_unavailable, rec.pages_needing_ocr) {
        (Some(why), n) if n > 0 => format!("; {why}"),
        _ => String::new(),
    };
    // Blank pages say a PDF was cut short; in text, Markdown and HTML they are empty sections
    // (a heading with nothing under it) or form feeds, not damage.
    if x.extractor != "text" && with_text > 0 && mostly_empty(rec.pages, empty) {
        fails.push(fail(
            None,
            Stage::Extract,
            format!(
                "{empty} of {} pages have no text and no image (a truncated or damaged file?)",
                rec.pages
            ),
        ));
    }
    rec.status = if rec.words == 0 && rec.pages_needing_ocr > 0 {
        fails.push(fail(
            None,
            Stage::Ocr,
            format!(
                "{} of {} pages are images without text{unread_note}",
                rec.pages_needing_ocr, rec.pages
            ),
        ));
        Status::NeedsOcr
    } else if rec.words == 0 && fails.is_empty() && !rec.ocr_confidence.is_empty() {
        // Every page is blank or a picture that OCR found no words on: read, and empty.
        Status::Ok
    } else if rec.words == 0 && fails.is_empty() {
        fails.push(fail(None, Stage::Extract, "no text on any page".into()));
        Status::Failed
    } else if with_text == 0 {
        Status::Failed
    } else if !fails.is_empty() || rec.pages_needing_ocr > 0 {
        if !unread_note.is_empty() {
            fails.push(fail(
                None,
                Stage::Ocr,
                format!(
                    "{} of {} pages are images without text and stay unread{unread_note}",
                    rec.pages_needing_ocr, rec.pages
                ),
            ));
        }
        Status::Partial
    } else {
        Status::Ok
    };
    let mut msg = Vec::new();
    if !x.page_failures.is_empty() {
        msg.push(format!("{} pages failed", x.page_failures.len()));
    }
    if !x.ocr_failures.is_empty() {
        msg.push(format!("OCR failed on {} pages", x.ocr_failures.len()));
    }
    if rec.pages_needing_ocr > 0 {
        msg.push(format!("{} pages need OCR", rec.pages_needing_ocr));
    }
    if rec.status == Status::Ok && !covered {
        rec.status = Status::NoLexicon;
        msg.push(format!("no lexicon covers language `{}`: not flagged", src.meta.lang));
    }
    if rec.status == Status::Ok && rec.words == 0 {
        msg.push(format!("OCR found no words on its {} image pages", rec.ocr_confidence.len()));
    }
    if rec.status == Status::Failed && msg.is_empty() {
        msg.push("no text extracted".into());
    }
    rec.message = msg.join("; ");
    (rec, fails)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> DocMeta {
        DocMeta {
            doc_id: "d".into(),
            country: "FRA".into(),
            year: 2020,
            doc_type: "law".into(),
            lang: "fr".into(),
            title: "t".into(),
            path: "d.pdf".into(),
            source: String::new(),
        }
    }

    /// A page: `t` text layer, `i` image without text, `o` read by OCR with words, `p` a picture
    /// OCR found no words on, `b` blank (no text, no image).
    fn doc(pages: &str) -> Extracted {
        let pages = pages
            .chars()
            .enumerate()
            .map(|(i, c)| crate::extract::Page {
                number: i as u32 + 1,
                label: (i + 1).to_string(),
                text: if matches!(c, 't' | 'o') {
                    "words of the page".into()
                } else {
                    String::new()
                },
                needs_ocr: c == 'i',
                extractor: if matches!(c, 'o' | 'p') { "tesseract" } else { "lopdf" }.into(),
                ocr: matches!(c, 'o' | 'p').then_some(90.0),
            })
            .collect();
        Extracted { pages, extractor: "lopdf".into(), ..Extracted::default() }
    }

    fn status(x: &Extracted) -> (Status, Vec<(Option<u32>, Stage)>) {
        let (rec, fails) = assess(&meta(), "00", Some(&Ok(x.clone())), true);
        (rec.status, fails.iter().map(|f| (f.page, f.stage)).collect())
    }

    #[test]
    fn pages_read_by_ocr_or_pictures_without_words_make_a_whole_document() {
        assert_eq!(status(&doc("tttt")), (Status::Ok, vec![]));
        assert_eq!(status(&doc("ttot")), (Status::Ok, vec![]));
        assert_eq!(status(&doc("tttp")), (Status::Ok, vec![]), "a back cover of logos");
        assert_eq!(status(&doc("ooo")), (Status::Ok, vec![]), "a scanned document");
        assert_eq!(status(&doc("ppp")), (Status::Ok, vec![]), "pictures only");
        assert_eq!(status(&doc("tttb")), (Status::Ok, vec![]), "one blank page");
    }

    #[test]
    fn a_document_no_lexicon_covers_is_not_ok() {
        let (rec, fails) = assess(&meta(), "00", Some(&Ok(doc("tt"))), false);
        assert_eq!(rec.status, Status::NoLexicon);
        assert!(fails.is_empty());
        assert!(rec.message.contains("no lexicon covers language `fr`"), "{}", rec.message);
        let (rec, _) = assess(&meta(), "00", Some(&Ok(doc("ti"))), false);
        assert_eq!(rec.status, Status::Partial, "an unread page says more than the lexicon");
    }

    #[test]
    fn unread_pages_make_a_partial_document() {
        // OCR off: an image page without text is unread, but not an error row.
        assert_eq!(status(&doc("ttti")), (Status::Partial, vec![]));
        let mut x = doc("ttoi");
        x.ocr_failures.push((4, "tesseract failed".into()));
        assert_eq!(status(&x), (Status::Partial, vec![(Some(4), Stage::Ocr)]));
        // OCR could not run: one row says why.
        let mut x = doc("ttii");
        x.ocr_unavailable = Some("install tesseract-ocr".into());
        let (st, fails) = status(&x);
        assert_eq!((st, fails), (Status::Partial, vec![(None, Stage::Ocr)]));
        let mut x = doc("iii");
        x.ocr_unavailable = Some("install tesseract-ocr".into());
        let (rec, fails) = assess(&meta(), "00", Some(&Ok(x)), true);
        assert_eq!(rec.status, Status::NeedsOcr);
        assert_eq!(fails.len(), 1);
        assert!(fails[0].reason.contains("3 of 3 pages") && fails[0].reason.contains("install"));
        // Mostly blank without images: truncated or damaged, not whole.
        let (st, fails) = status(&doc("tbbbb"));
        assert_eq!((st, fails), (Status::Partial, vec![(None, Stage::Extract)]));
        // The same pages from a text or Markdown file are empty sections: whole.
        let mut md = doc("tbbbb");
        md.extractor = "text".into();
        assert_eq!(status(&md), (Status::Ok, vec![]));
    }

    #[test]
    fn mostly_empty_documents_are_not_whole() {
        assert!(mostly_empty(19, 17));
        assert!(mostly_empty(3, 2));
        assert!(!mostly_empty(20, 1), "one blank page (a back cover) is normal");
        assert!(!mostly_empty(1, 1));
        assert!(!mostly_empty(10, 5));
    }
}
