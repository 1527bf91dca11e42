//! The pages' shared frame: escaping, the document skeleton (Japanese first, an English
//! switch), and one small stylesheet inlined (no CDN, works offline, readable at 200 %
//! zoom, print-friendly).

use crate::lang::Lang;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The hidden CSRF field every staff form carries (see `server::auth`).
pub fn csrf_field(token: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(token))
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Picks the text of the page's language.
pub fn t<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::Ja { ja } else { en }
}

const STYLE: &str = r#"
:root { --ink:#1a1a1a; --muted:#555; --line:#bbb; --accent:#0b5cad; --bg:#fff; --soft:#f3f6fa; }
* { box-sizing: border-box; }
html { font-size: 112.5%; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.6;
       font-family: "Noto Sans JP", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; border-bottom: 2px solid var(--accent); }
header h1 { font-size: 1.5rem; margin: 0; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
a { color: var(--accent); text-underline-offset: 0.15em; }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #e69f00; outline-offset: 2px; }
h2 { font-size: 1.3rem; margin-top: 1.5rem; }
.next { font-size: 1.6rem; font-weight: bold; margin: 0.25rem 0; }
.card { border: 1px solid var(--line); border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 0.75rem 0; background: var(--soft); }
form.inline { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
label { display: block; font-weight: bold; }
input, select, button { font-size: 1rem; padding: 0.5rem 0.75rem; }
button { background: var(--accent); color: #fff; border: none; border-radius: 0.35rem; cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
.muted { color: var(--muted); }
.notice { border-left: 0.4rem solid #e69f00; padding: 0.5rem 0.75rem; background: #fff8e6; }
svg.map { width: 100%; height: auto; border: 1px solid var(--line); background: #fbfbf8; }
.legend li { list-style: none; }
footer { font-size: 0.85rem; color: var(--muted); border-top: 1px solid var(--line); margin-top: 2rem; }
@media print {
  @page { size: A4; margin: 12mm; }
  header nav, form, .no-print { display: none; }
  body { font-size: 11pt; }
  .card { break-inside: avoid; background: none; }
}
"#;

/// A whole page. `path_and_query` is the page's own address without `lang` (for the
/// language switch).
pub fn page(lang: Lang, title: &str, path_and_query: &str, nav: &[(&str, &str)], body: &str, credits: &str) -> String {
    let (other, other_label) = match lang {
        Lang::Ja => ("en", "English"),
        Lang::En => ("ja", "日本語"),
    };
    let sep = if path_and_query.contains('?') { '&' } else { '?' };
    let mut links = String::new();
    for (href, label) in nav {
        links.push_str(&format!("<li><a href=\"{}\">{}</a></li>", esc(href), esc(label)));
    }
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n<nav aria-label=\"{navlabel}\"><ul>{links}\
         <li><a href=\"{switch}\" hreflang=\"{other}\" lang=\"{other}\">{other_label}</a></li></ul></nav>\n</header>\n\
         <main id=\"main\">\n{body}\n</main>\n<footer><p>{credits}</p></footer>\n</body>\n</html>\n",
        code = if lang == Lang::Ja { "ja" } else { "en" },
        title = esc(title),
        navlabel = t(lang, "メニュー", "Menu"),
        switch = esc(&format!("{path_and_query}{sep}lang={other}")),
        credits = esc(credits),
    )
}

/// A data table: column headers (plain text) and rows of cells (HTML, already escaped).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in headers {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<td>{cell}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}
