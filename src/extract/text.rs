//! Plain text, Markdown and HTML inputs. A text file is one page unless it contains form feeds
//! (the pdftotext convention), in which case each form feed starts a new page. A Markdown file
//! without form feeds is split at its section headings instead (the shallowest level of `#` that
//! occurs at least twice): each section is a page whose label is its heading (`§ 3 –
//! Sorgfaltspflichten`), so that evidence cites the article, and the markup is stripped. HTML
//! loses its tags, scripts and styles and keeps its text, with block elements as line breaks.

use super::Page;
use super::normalize::normalize_page;

/// Splits a text (or Markdown) file into pages at form feeds.
pub fn text_pages(text: &str) -> Vec<Page> {
    let mut parts: Vec<&str> = text.split('\u{000C}').collect();
    // A trailing form feed (as pdftotext writes) does not open an empty last page.
    if parts.len() > 1 && parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| Page {
            number: i as u32 + 1,
            label: (i + 1).to_string(),
            text: normalize_page(p),
            needs_ocr: false,
            ocr: None,
            extractor: "text".into(),
        })
        .collect()
}

/// Splits a Markdown file into pages: at form feeds when it has any, else at its section headings
/// (see the module documentation); markup is stripped from every page.
pub fn markdown_pages(md: &str) -> Vec<Page> {
    if md.contains('\u{000C}') {
        let mut pages = text_pages(md);
        for p in &mut pages {
            p.text = normalize_page(&strip_markdown(&p.text));
        }
        return pages;
    }
    let mut counts = [0usize; 7];
    for line in md.lines() {
        if let Some(l) = heading(line) {
            counts[l] += 1;
        }
    }
    let level = (1..=6).find(|&l| counts[l] >= 2);
    // (label, stripped body, whether the raw body has any non-blank line)
    let mut sections: Vec<(Option<String>, String, bool)> = vec![(None, String::new(), false)];
    for line in md.lines() {
        if level.is_some() && heading(line) == level {
            sections.push((
                Some(strip_inline(line.trim_start_matches('#').trim())),
                String::new(),
                true,
            ));
        }
        let section = sections.last_mut().expect("one section at least");
        section.2 |= !line.trim().is_empty();
        // As if the section were re-read line by line: one more trailing CR comes off.
        strip_line(line.strip_suffix('\r').unwrap_or(line), &mut section.1);
    }
    // Text before the first heading (a title block) is a page only when it has words.
    if sections.len() > 1 && !sections[0].2 {
        sections.remove(0);
    }
    sections
        .into_iter()
        .enumerate()
        .map(|(i, (label, body, _))| {
            let number = i as u32 + 1;
            let label = label
                .map(|l| l.chars().take(80).collect::<String>())
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| number.to_string());
            Page {
                number,
                label,
                text: normalize_page(&body),
                needs_ocr: false,
                ocr: None,
                extractor: "text".into(),
            }
        })
        .collect()
}

/// The level of an ATX heading line (`## Title` is 2), or `None`.
fn heading(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some(hashes)
}

/// Markdown to plain text: heading marks, pandoc title lines (`% `), block quotes, emphasis,
/// inline code, links and images (their text kept), and horizontal rules removed.
pub fn strip_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        strip_line(line, &mut out);
    }
    out
}

/// Appends one Markdown line to `out` as plain text (see [`strip_markdown`]), and a line break.
fn strip_line(line: &str, out: &mut String) {
    let t = line.trim_start();
    let t = if heading(t).is_some() {
        t.trim_start_matches('#').trim_start()
    } else if let Some(rest) = t.strip_prefix("% ") {
        rest
    } else if t == "%" {
        ""
    } else {
        t.trim_start_matches('>').trim_start_matches(' ')
    };
    let rule = t.len() >= 3
        && (t.chars().all(|c| c == '-' || c == ' ')
            || t.chars().all(|c| c == '*' || c == ' ')
            || t.chars().all(|c| c == '_' || c == ' '));
    if !rule {
        strip_inline_into(t, out);
    }
    out.push('\n');
}

/// Inline markup: `**`, `__`, `*x*`, `` ` ``, `[text](url)`, `![alt](src)`.
fn strip_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    strip_inline_into(s, &mut out);
    out
}

/// [`strip_inline`] appending to `out`; `out` holds nothing or ends a line (its last character
/// is no letter, digit or space), so the marks read the same as on a line of their own.
fn strip_inline_into(s: &str, out: &mut String) {
    let b = s.as_bytes();
    if memchr::memchr3(b'*', b'_', b'[', b).is_none() && memchr::memchr2(b'`', b'!', b).is_none() {
        out.push_str(s);
        return;
    }
    let mut rest = s;
    // Bytes, not chars: the marks are ASCII, and an ASCII byte is never inside a longer character.
    while let Some(i) = rest.bytes().position(|b| matches!(b, b'*' | b'_' | b'`' | b'[' | b'!')) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let c = tail.as_bytes()[0];
        // `[text](url)` and `![alt](src)`: keep the text.
        let link = tail.strip_prefix('!').unwrap_or(tail);
        if let Some(body) = link.strip_prefix('[')
            && let Some(close) = body.find("](")
            && let Some(end) = body[close + 2..].find(')')
        {
            out.push_str(&body[..close]);
            rest = &body[close + 2 + end + 1..];
            continue;
        }
        match c {
            // Emphasis and code marks are dropped; an underscore inside a word (snake_case) stays,
            // and a lone `*` between spaces (a multiplication) too.
            b'_' if out.ends_with(|ch: char| ch.is_alphanumeric())
                && tail[1..].starts_with(|ch: char| ch.is_alphanumeric()) =>
            {
                out.push('_')
            }
            b'*' if out.ends_with(' ') && tail[1..].starts_with(' ') => out.push('*'),
            b'*' | b'_' | b'`' => {}
            other => out.push(other as char),
        }
        rest = &tail[1..];
    }
    out.push_str(rest);
}

/// Strips an HTML document to its text, then splits it like a text file.
pub fn html_pages(html: &str) -> Vec<Page> {
    text_pages(&html_to_text(html))
}

/// Turns HTML into text: tags removed, `script`/`style`/`head` content dropped, block-level tags
/// become line breaks and the common character entities are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[end..];
            continue;
        }
        // An unclosed tag runs to the end of the text; `>` is one byte, so both ends of the tag
        // are character boundaries.
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = rest[1..end].strip_suffix('>').unwrap_or(&rest[1..end]);
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "script" if !closing => skip_until = Some("script"),
            "style" if !closing => skip_until = Some("style"),
            "head" if !closing => skip_until = Some("head"),
            "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            | "section" | "article" | "table" | "ul" | "ol" | "blockquote" | "pre" | "hr"
            | "dt" | "dd"
                if !closing =>
            {
                out.push('\n')
            }
            "td" | "th" => out.push(' '),
            _ => {}
        }
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Entities are short: look for their `;` among the next 12 bytes (a byte search, so a
        // multi-byte character there cannot be cut).
        let Some(semi) = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_feeds_split_pages() {
        let p = text_pages("one\u{000C}two\u{000C}");
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].text, "two");
        assert_eq!(text_pages("no feed").len(), 1);
    }

    #[test]
    fn entities_and_tags_next_to_multibyte_characters() {
        // A French page: `&` followed by accented letters and a line break, then an unclosed tag
        // ending in a multi-byte character. Both once sliced a `str` inside a character.
        let t = html_to_text("<p>Santé &\nsécurité au travail &é;é</p><é");
        assert_eq!(t, "\nSanté &\nsécurité au travail &é;é");
        assert_eq!(html_to_text("a &#xE9;&#233;&eacute; <"), "a éé&eacute; ");
        assert_eq!(html_to_text("<"), "");
    }

    proptest::proptest! {
        /// Arbitrary text never makes the HTML or text extractors panic, and text comes out.
        #[test]
        fn extractors_never_panic(s in "\\PC{0,200}", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = html_pages(&s);
            let _ = text_pages(&s);
            let lossy = String::from_utf8_lossy(&bytes);
            let _ = html_pages(&lossy);
            let _ = text_pages(&lossy);
        }

        /// Markup-heavy input: tags, entities and multi-byte characters in any order.
        #[test]
        fn markup_soup_never_panics(parts in proptest::collection::vec(proptest::sample::select(vec![
            "<", ">", "&", ";", "#", "x", "é", "€", "😀", "<p>", "</p>", "<script>", "</script>", "<!--",
            "-->", "&amp;", "&#", "&#x", "1F600", "\n", "\u{c}", "<style", "<head>", "ß", " ",
        ]), 0..80)) {
            let s = parts.concat();
            let pages = html_pages(&s);
            proptest::prop_assert!(!pages.is_empty());
        }
    }

    #[test]
    fn html_is_stripped() {
        let t = html_to_text(
            "<html><head><title>x</title></head><body><p>Due&nbsp;diligence &amp; remedy</p>\
             <script>alert(1)</script><!-- c --><div>Next&#233;</div></body></html>",
        );
        let t = normalize_page(&t);
        assert_eq!(t, "Due diligence & remedy\nNexté");
    }

    #[test]
    fn markdown_sections_become_pages_labelled_by_their_heading() {
        let md = "% Gesetz (LkSG)\n% Ausfertigungsdatum: 16.07.2021\n\n# § 1 – Anwendungsbereich\n\n\
                  (1) Dieses **Gesetz** gilt.\n\n## (Unterabschnitt)\n\ntext\n\n\
                  # § 2 – Begriffe\n\nSiehe [§ 1](#s1) und `Code`.\n\n---\n> Zitat\n";
        let pages = markdown_pages(md);
        let labels: Vec<&str> = pages.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["1", "§ 1 – Anwendungsbereich", "§ 2 – Begriffe"]);
        assert_eq!(pages[0].text, "Gesetz (LkSG)\nAusfertigungsdatum: 16.07.2021");
        assert!(pages[1].text.starts_with("§ 1 – Anwendungsbereich\n"), "{}", pages[1].text);
        assert!(pages[1].text.contains("Dieses Gesetz gilt."), "{}", pages[1].text);
        assert!(pages[1].text.contains("(Unterabschnitt)"), "a deeper heading stays inside");
        assert!(pages[2].text.contains("Siehe § 1 und Code."), "{}", pages[2].text);
        assert!(pages[2].text.contains("Zitat") && !pages[2].text.contains('>'));
        assert!(pages.iter().all(|p| !p.text.contains(['#', '%', '*', '`'])));
    }

    #[test]
    fn markdown_without_sections_or_with_form_feeds_keeps_its_pages() {
        let one = markdown_pages("# Title\n\nJust one section with snake_case and 2 * 3.");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].text, "Title\n\nJust one section with snake_case and 2 * 3.");
        let paged = markdown_pages("# A\ntext\n\u{c}# B\nmore\n# C\n");
        assert_eq!(paged.len(), 2);
        assert_eq!(paged[1].text, "B\nmore\nC");
    }
}
