//! HTML building blocks shared by the web app and the HTML report: escaping (every piece of text
//! from a PDF, a title or a query goes through [`esc`]), the page layout with its inline style
//! sheet (no external scripts, fonts or style sheets), a colour-blind-safe sequential palette
//! (viridis) and the heatmap and evidence tables.

use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL path segment or query value.
pub fn url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const STYLE: &str = "
:root{--fg:#1b1b1b;--muted:#5b5b5b;--line:#d0d0d0;--accent:#1f5fa8}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);margin:0}
header{background:#14213d;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}header a:focus,a:focus,button:focus,input:focus,select:focus{outline:3px solid #f9a620;outline-offset:2px}
nav{display:flex;gap:1rem;flex-wrap:wrap}main{padding:1rem;max-width:1400px;margin:auto;overflow-wrap:break-word}
a{color:var(--accent)}h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin-top:1.6rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.3rem;z-index:9}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
table.heat td.cell{text-align:center;min-width:3.2rem;padding:0}table.heat td.cell a{display:block;padding:.35rem .2rem;text-decoration:none;color:inherit}
table.heat th.concept{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500}
.legend{display:flex;gap:.2rem;align-items:center;flex-wrap:wrap;font-size:.85rem;margin:.5rem 0}.legend span{display:inline-block;padding:.15rem .4rem}
.muted{color:var(--muted)}mark{background:#ffe066;color:#000;padding:0 .1rem}
.ev{border-bottom:1px solid var(--line);padding:.5rem 0;overflow-wrap:anywhere}.ev .meta{font-size:.85rem;color:var(--muted)}
.tag{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.8rem;border:1px solid var(--line)}
.mandatory{background:#fde0dd}.voluntary{background:#deebf7}.none{background:#f0f0f0}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:1rem}form.search label{display:flex;flex-direction:column;font-size:.8rem}
input,select,button{font:inherit;padding:.3rem}.error{background:#fde0dd;border:1px solid #c0392b;padding:.6rem}
.toggle a{margin-right:.8rem}table.heat td.cell small{display:block;font-size:.7rem;opacity:.85}
table.heat tbody th{position:sticky;left:0;background:#fff;z-index:1;max-width:16rem}
table.compare td{min-width:14rem}table.compare .fig{font-size:.85rem}table.compare td.no{color:var(--muted)}
table.compare .ev{font-size:.85rem;padding:.3rem 0}tr.sub th{padding-left:1.2rem;font-weight:400}
form.pick{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin-bottom:1rem}
form.pick fieldset{border:1px solid var(--line);max-height:12rem;overflow-y:auto;display:flex;flex-direction:column;max-width:100%}
@media (max-width:640px){main{padding:.5rem}th,td{padding:.2rem;overflow-wrap:anywhere}
table.heat{font-size:.75rem}table.heat td.cell{min-width:1.7rem}table.heat tbody th{min-width:7.5rem;max-width:7.5rem;font-weight:500;overflow-wrap:break-word}
table.heat td.cell small{display:none}
table.stack,table.stack tbody,table.stack tr,table.stack th,table.stack td{display:block;width:100%;min-width:0}
table.stack thead{display:none}table.stack tr{border:1px solid var(--line);margin-bottom:.6rem}
table.stack td{border:0;border-top:1px solid var(--line)}table.stack td::before{content:attr(data-label);display:block;font-weight:600;font-size:.8rem}
table.stack th{position:static}}
";

/// A full page: title, navigation and body (already escaped HTML).
pub fn page(title: &str, body: &str, with_nav: bool) -> String {
    let nav = if with_nav {
        "<nav aria-label=\"main\"><a href=\"/\" accesskey=\"h\">Heatmap</a><a href=\"/compare\" accesskey=\"c\">Compare</a><a href=\"/mix\" accesskey=\"m\">Smart mix</a><a href=\"/search\" accesskey=\"s\">Search</a><a href=\"/downloads\" accesskey=\"d\">Downloads</a></nav>"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · napscan</title><style>{STYLE}</style></head><body><a class=\"skip\" href=\"#main\">Skip to content</a>\
         <header><a href=\"/\">napscan</a>{nav}</header><main id=\"main\">{body}</main></body></html>",
        esc(title)
    )
}

const VIRIDIS: [&str; 10] = [
    "#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58",
    "#b5de2b", "#fde725",
];

/// A colour scale that survives outliers: ten classes cut at the deciles of the positive values
/// (a single cell of 234.5 no longer paints every other cell the same pale colour), zero in grey.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Upper bound of each class, ascending (at most ten; fewer when values repeat).
    pub bounds: Vec<f64>,
}

impl Scale {
    /// The scale of `values` (zeros and negatives ignored).
    pub fn quantiles(values: impl IntoIterator<Item = f64>) -> Scale {
        let mut v: Vec<f64> = values.into_iter().filter(|x| *x > 0.0 && x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        let mut bounds: Vec<f64> = Vec::new();
        if !v.is_empty() {
            for k in 1..=10 {
                let i = (k * v.len()).div_ceil(10).max(1) - 1;
                let b = v[i.min(v.len() - 1)];
                if bounds.last() != Some(&b) {
                    bounds.push(b);
                }
            }
        }
        Scale { bounds }
    }

    /// The class of a positive value (0-based), `None` for zero.
    fn class(&self, value: f64) -> Option<usize> {
        if value <= 0.0 || self.bounds.is_empty() {
            return None;
        }
        Some(self.bounds.iter().position(|b| value <= *b).unwrap_or(self.bounds.len() - 1))
    }

    /// The palette index of a class: light (low) to dark (high) across the whole palette.
    fn palette(&self, class: usize) -> usize {
        let n = self.bounds.len().max(1);
        if n == 1 { 9 } else { class * 9 / (n - 1) }
    }

    /// Background and text colour for a value (light grey for zero).
    pub fn colour(&self, value: f64) -> (&'static str, &'static str) {
        match self.class(value) {
            None => ("#f2f2f2", "#555"),
            Some(c) => colour_at(self.palette(c)),
        }
    }

    /// The legend: one swatch per class with its range of values.
    pub fn legend(&self, unit: &str) -> String {
        let mut s = format!(
            "<div class=\"legend\" aria-label=\"colour scale, {}\"><span class=\"muted\">{}:</span><span style=\"background:#f2f2f2;color:#555\">0</span>",
            esc(unit),
            esc(unit)
        );
        let mut low = 0.0;
        for (i, b) in self.bounds.iter().enumerate() {
            let (bg, fg) = colour_at(self.palette(i));
            let _ = write!(
                s,
                "<span style=\"background:{bg};color:{fg}\">{}–{}</span>",
                short(low),
                short(*b)
            );
            low = *b;
        }
        s.push_str("</div>");
        s
    }
}

/// A number for a legend: at most three significant digits.
fn short(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}").trim_end_matches(".0").to_string()
    } else {
        let t = format!("{x:.2}");
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Colours of palette step `i` (0 light … 9 dark): viridis reversed, so that "more" reads darker.
fn colour_at(i: usize) -> (&'static str, &'static str) {
    let v = 9 - i.min(9);
    (VIRIDIS[v], if v <= 4 { "#fff" } else { "#000" })
}

/// One row of a heatmap: a label (HTML), and per column a value, its text and a link.
pub struct HeatRow {
    /// Row header (escaped HTML).
    pub label: String,
    /// Cells: (value for colour, text, link).
    pub cells: Vec<(f64, String, String)>,
}

/// A heatmap table with its legend: rows × `columns` ((link, label) pairs; labels are plain
/// text), coloured by the deciles of the cells' values (see [`Scale`]).
pub fn heatmap(
    caption: &str,
    unit: &str,
    columns: &[(String, String)],
    rows: &[HeatRow],
) -> String {
    let scale = Scale::quantiles(rows.iter().flat_map(|r| r.cells.iter().map(|c| c.0)));
    let mut s = scale.legend(unit);
    let _ = write!(
        s,
        "<div class=\"scroll\"><table class=\"heat\"><caption class=\"muted\">{}</caption><thead><tr><th scope=\"col\"></th>",
        esc(caption)
    );
    for (link, label) in columns {
        let _ = write!(
            s,
            "<th scope=\"col\" class=\"concept\"><a href=\"{}\" title=\"{}\">{}</a></th>",
            esc(link),
            esc(label),
            esc(label)
        );
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        let _ = write!(s, "<tr><th scope=\"row\">{}</th>", r.label);
        for (v, text, link) in &r.cells {
            let (bg, fg) = scale.colour(*v);
            if link.is_empty() {
                let _ = write!(
                    s,
                    "<td class=\"cell\" style=\"background:{bg};color:{fg}\">{}</td>",
                    esc(text)
                );
            } else {
                let class = if *v > 0.0 { "cell hit" } else { "cell" };
                let _ = write!(
                    s,
                    "<td class=\"{class}\" style=\"background:{bg};color:{fg}\"><a href=\"{}\">{}</a></td>",
                    esc(link),
                    esc(text)
                );
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}

/// Text with the byte ranges in `marks` wrapped in `<mark>`; everything escaped.
pub fn marked(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for &(a, b) in marks {
        if a < last || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&esc(&text[last..a]));
        out.push_str("<mark>");
        out.push_str(&esc(&text[a..b]));
        out.push_str("</mark>");
        last = b;
    }
    out.push_str(&esc(&text[last..]));
    out
}

/// An optional number as its CSV cell shows it: the number, or nothing.
pub(crate) fn cell<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_marks() {
        assert_eq!(
            esc("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
        assert_eq!(url("a b/../c"), "a%20b%2F..%2Fc");
        assert_eq!(marked("a <b> c", &[(2, 5)]), "a <mark>&lt;b&gt;</mark> c");
        let scale = Scale::quantiles([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 234.5]);
        assert_eq!(scale.colour(0.0).0, "#f2f2f2");
        assert_eq!(scale.colour(234.5).0, "#440154", "the top class is the darkest");
        // The outlier has its own class: the other cells spread over the palette.
        let classes: std::collections::BTreeSet<&str> =
            (1..=9).map(|v| scale.colour(f64::from(v)).0).collect();
        assert_eq!(classes.len(), 9);
        let legend = scale.legend("hits per 10k words");
        assert!(legend.contains("0–1") && legend.contains("9–234"), "{legend}");
        assert_eq!(Scale::quantiles([2.0, 2.0, 2.0]).bounds, vec![2.0]);
        assert_eq!(Scale::quantiles([2.0, 2.0]).colour(2.0).0, "#440154");
    }
}
