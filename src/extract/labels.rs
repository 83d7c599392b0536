//! Printed page labels from a PDF's `/PageLabels` number tree (ISO 32000-1, 12.4.2): `i`, `ii`,
//! `1`, `A-3`, ... so that evidence can cite the page number printed on the page.

use lopdf::{Dictionary, Document, Object};

/// Labels for pages `0..n` (physical order), or `None` when the document defines no labels.
pub fn page_labels(doc: &Document, n: usize) -> Option<Vec<String>> {
    let catalog = doc.catalog().ok()?;
    let tree = resolve(doc, catalog.get(b"PageLabels").ok()?)?.as_dict().ok()?;
    let mut ranges: Vec<(usize, Dictionary)> = Vec::new();
    collect(doc, tree, &mut ranges, 0);
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_by_key(|r| r.0);
    let mut labels = Vec::with_capacity(n);
    for page in 0..n {
        let Some((start, dict)) = ranges.iter().rev().find(|r| r.0 <= page) else {
            labels.push((page + 1).to_string());
            continue;
        };
        labels.push(label(doc, dict, page - start));
    }
    Some(labels)
}

fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    match obj {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

fn collect(doc: &Document, node: &Dictionary, out: &mut Vec<(usize, Dictionary)>, depth: usize) {
    if depth > 16 || out.len() > 100_000 {
        return;
    }
    if let Ok(nums) = node.get(b"Nums").and_then(Object::as_array) {
        for pair in nums.chunks(2) {
            let [k, v] = pair else { break };
            let Some(start) = resolve(doc, k).and_then(|o| o.as_i64().ok()) else { continue };
            let Some(dict) = resolve(doc, v).and_then(|o| o.as_dict().ok()) else { continue };
            if let Ok(start) = usize::try_from(start) {
                out.push((start, dict.clone()));
            }
        }
    }
    if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
        for kid in kids {
            if let Some(d) = resolve(doc, kid).and_then(|o| o.as_dict().ok()) {
                collect(doc, d, out, depth + 1);
            }
        }
    }
}

fn label(doc: &Document, dict: &Dictionary, offset: usize) -> String {
    let prefix = dict
        .get(b"P")
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_str().ok())
        .map(|b| {
            lopdf::decode_text_string(&Object::String(b.to_vec(), lopdf::StringFormat::Literal))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let start = dict.get(b"St").ok().and_then(|o| o.as_i64().ok()).unwrap_or(1).max(1) as usize;
    let n = start + offset;
    let style = dict.get(b"S").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"");
    let num = match style {
        b"D" => n.to_string(),
        b"R" => roman(n).to_uppercase(),
        b"r" => roman(n),
        b"A" => letters(n).to_uppercase(),
        b"a" => letters(n),
        _ => String::new(),
    };
    format!("{prefix}{num}")
}

fn roman(mut n: usize) -> String {
    const TABLE: &[(usize, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    if n > 10_000 {
        return n.to_string();
    }
    let mut s = String::new();
    for &(v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letters(n: usize) -> String {
    // a..z, then aa..zz, as the PDF spec says.
    let c = (b'a' + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(c, (n - 1) / 26 + 1).take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_styles() {
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(1994), "mcmxciv");
        assert_eq!(letters(1), "a");
        assert_eq!(letters(28), "bb");
    }
}
