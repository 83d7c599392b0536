//! Page text through lopdf's content parser, one document at a time. It produces the same text as
//! lopdf's `Document::extract_text` (strings decoded with each font's encoding, a space after a
//! `TJ` array and for large negative kerning, a line break at `T*`, `'`, `"` and `ET`), but walks
//! the page tree once per document instead of once per page, and resolves each font's encoding
//! (parsing its ToUnicode CMap) once per document instead of once per page that uses it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{DEFAULT_MAX_DECOMPRESSED_SIZE, Dictionary, Document, Encoding, Object, ObjectId};

type FontEncoding<'a> = Result<Rc<Encoding<'a>>, String>;

/// The text extractor for one loaded document.
pub struct LopdfText<'a> {
    doc: &'a Document,
    pages: Vec<ObjectId>,
    /// Encodings by the address of the font dictionary (stable: the document is borrowed).
    encodings: RefCell<HashMap<usize, FontEncoding<'a>>>,
}

impl<'a> LopdfText<'a> {
    /// Reads the page tree of `doc`.
    pub fn new(doc: &'a Document) -> Self {
        LopdfText {
            doc,
            pages: doc.get_pages().into_values().collect(),
            encodings: Default::default(),
        }
    }

    /// The page objects in page order.
    pub fn pages(&self) -> &[ObjectId] {
        &self.pages
    }

    /// Text of page `index` (0-based); an error when the page, its content or one of its fonts
    /// cannot be read, as with lopdf.
    pub fn page_text(&self, index: usize) -> Result<String, String> {
        let &page = self.pages.get(index).ok_or_else(|| format!("no page {}", index + 1))?;
        let fonts = self.doc.get_page_fonts(page).map_err(|e| e.to_string())?;
        let mut first_error = None;
        let mut by_name: HashMap<&[u8], Rc<Encoding<'a>>> = HashMap::with_capacity(fonts.len());
        for (name, font) in &fonts {
            match self.encoding(font) {
                Ok(enc) => {
                    by_name.insert(name.as_slice(), enc);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let data = self
            .doc
            .get_page_content_with_limit(page, DEFAULT_MAX_DECOMPRESSED_SIZE)
            .map_err(|e| e.to_string())?;
        let content = Content::decode(&data).map_err(|e| e.to_string())?;
        let mut text = String::new();
        // lopdf starts a new chunk at each font change and tests for a line break within the
        // chunk only; `chunk` keeps that so that the text stays the same as lopdf's.
        let mut chunk = 0;
        let mut current: Option<&Encoding<'a>> = None;
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    let name = op
                        .operands
                        .first()
                        .ok_or("missing font operand")?
                        .as_name()
                        .map_err(|e| e.to_string())?;
                    current = by_name.get(name).map(|e| &**e);
                    chunk = text.len();
                }
                "Tj" | "TJ" => {
                    if let Some(enc) = current {
                        collect(&mut text, enc, &op.operands)?;
                    }
                }
                "'" | "\"" => {
                    if let Some(enc) = current {
                        if !text[chunk..].ends_with('\n') {
                            text.push('\n');
                        }
                        let operands = if op.operator == "'" {
                            &op.operands[..op.operands.len().min(1)]
                        } else {
                            op.operands.get(2..3).unwrap_or(&[])
                        };
                        collect(&mut text, enc, operands)?;
                    }
                }
                "T*" | "ET" if !text[chunk..].ends_with('\n') => text.push('\n'),
                _ => {}
            }
        }
        Ok(text)
    }

    fn encoding(&self, font: &'a Dictionary) -> FontEncoding<'a> {
        let key = font as *const Dictionary as usize;
        if let Some(e) = self.encodings.borrow().get(&key) {
            return e.clone();
        }
        let e = font
            .get_font_encoding_with_limit(self.doc, DEFAULT_MAX_DECOMPRESSED_SIZE)
            .map(Rc::new)
            .map_err(|e| e.to_string());
        self.encodings.borrow_mut().insert(key, e.clone());
        e
    }
}

/// Decodes the strings of a text-showing operator, as lopdf does: a space after each array and for
/// kerning wider than a tenth of an em.
fn collect(text: &mut String, enc: &Encoding<'_>, operands: &[Object]) -> Result<(), String> {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                enc.write_to_string(bytes, text).map_err(|e| e.to_string())?
            }
            Object::Array(items) => {
                collect(text, enc, items)?;
                text.push(' ');
            }
            Object::Integer(i) if *i < -100 => text.push(' '),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same text as lopdf's own extractor, page by page, on the real fixture PDFs.
    #[test]
    fn same_text_as_lopdf_extract_text() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");
        let mut pages = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let Ok(mut doc) = Document::load(&path) else { continue };
            if doc.is_encrypted() {
                doc.decrypt("").unwrap();
            }
            let reader = LopdfText::new(&doc);
            for i in 0..reader.pages().len() {
                let ours = reader.page_text(i);
                let theirs = doc.extract_text(&[i as u32 + 1]).map_err(|e| e.to_string());
                assert_eq!(ours, theirs, "{} page {}", path.display(), i + 1);
                pages += 1;
            }
        }
        assert!(pages > 20, "only {pages} pages compared");
    }
}
