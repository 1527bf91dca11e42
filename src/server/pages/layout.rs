//! The pages' shared frame as maud templates (escaped by default): the document skeleton
//! (Japanese first, an English switch), one small stylesheet and one tiny script served
//! from the same origin (no CDN, works offline, readable at 200 % zoom, print-friendly),
//! and the pieces every page uses (tables, the CSRF field).
//!
//! Bidirectional-override characters (U+202A–U+202E, U+2066–U+2069) never reach a page:
//! stored free text could otherwise reorder what staff and residents read.

use axum::http::header;
use axum::response::IntoResponse;
use maud::{DOCTYPE, Markup, html};

use crate::lang::Lang;
use crate::server::auth::CSRF_FIELD;

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// When a visit is: 「12月8日（火）10:30〜11:30」 or `Tue 8 Dec 10:30〜11:30` (`weekday`:
/// the one-character Japanese weekday).
pub fn visit_when(lang: Lang, date: &str, weekday: &str, from: &str, to: &str) -> String {
    format!("{} {from}〜{to}", visit_day(lang, date, weekday))
}

/// A date for residents and staff: 「12月10日（木）」, "Thu 10 Dec".
pub fn visit_day(lang: Lang, date: &str, weekday: &str) -> String {
    let parsed = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    match (lang, parsed) {
        (Lang::Ja, Some(d)) => format!("{}月{}日（{weekday}）", d.format("%-m"), d.format("%-d")),
        (Lang::En, Some(d)) => d.format("%a %-d %b").to_string(),
        (_, None) => date.to_string(),
    }
}

/// Picks the text of the page's language.
pub fn t<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::Ja { ja } else { en }
}

pub const STYLE: &str = r#"
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
form.inline, div.inline { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
label.inline-label { display: inline; font-weight: normal; margin: 0 0.75rem 0 0.25rem; }
fieldset { border: 1px solid var(--line); border-radius: 0.5rem; margin: 0.75rem 0; }
.picker { max-width: 40rem; }
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
.cards-only { display: none; }
.scroll { overflow-x: auto; }
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.marker { display: inline-block; min-width: 1.6em; padding: 0 0.3em; border-radius: 0.8em; background: #000; color: #fff; text-align: center; }
.announced strong { font-size: 1.2rem; }
.note { background: #fff8e6; }
.lunch { border-left: 0.4rem solid var(--line); padding-left: 0.5rem; }
ul.bookings { padding-left: 1.2rem; margin: 0.25rem 0; }
svg text.order { font-size: 11px; font-weight: bold; fill: #fff; dominant-baseline: central; }
svg text.label { font-size: 12px; fill: #222; stroke: #fff; stroke-width: 3px; paint-order: stroke; dominant-baseline: central; }
.map-credit { font-size: 0.85rem; margin: 0.25rem 0; }
svg.map img.tile { display: block; }
svg.map[data-pick] { cursor: crosshair; }
.field-problem { color: #b00020; font-weight: bold; margin: 0.25rem 0; }
svg.map circle.picked { fill: #d55e00; stroke: #fff; stroke-width: 2px; }
.map-controls ul { margin: 0.25rem 0; }
.legend { padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.record { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
.record input[type=time], .record input[type=number] { width: 7.5rem; }
.outcomes { display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0.35rem 0; }
.outcomes button, .record button { background: var(--soft); color: #000; border: 1px solid var(--line); }
.outcomes button[aria-pressed=true] { background: var(--accent); color: #fff; }
.outcomes input { flex: 1 1 10rem; min-width: 0; }
#sync-status { font-weight: bold; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; }
figure.chart svg { width: 100%; height: auto; border: 1px solid var(--line); background: #fff; }
figure.chart figcaption { font-weight: bold; }
.crew .cards-only { display: block; }
.crew .wide-only { display: none; }
@media (max-width: 600px) {
  .cards-only { display: block; }
  .wide-only { display: none; }
  header, main, footer { padding: 0.5rem 0.75rem; }
  /* The 800-unit map is drawn at under half size: markers, lines and names larger. */
  svg.map circle.stop { r: 12px; }
  svg.map g.numbered circle.stop { r: 22px; }
  svg.map path.route { stroke-width: 6px; }
  svg.map text.label { font-size: 28px; }
  svg.map text.order { font-size: 24px; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  .cards-only { display: none; }
  .wide-only { display: block; }
  header nav, form, .no-print { display: none; }
  body { font-size: 11pt; }
  .card { break-inside: avoid; background: none; }
  .crew .cards-only { display: none; }
  .crew .wide-only { display: block; }
}
"#;

/// Print buttons (`button[data-print]`) call the browser's print dialogue.
/// Picking maps (`svg.map[data-pick]`, whose `data-zoom`, `data-left` and `data-top` give
/// the window in Web Mercator world pixels) write a clicked position into the inputs
/// `{pick}-lat` and `{pick}-lon`, choose the radio `{pick}-place` and mark the place.
pub const SCRIPT: &str = r#"document.querySelectorAll('button[data-print]').forEach(function (b) {
  b.addEventListener('click', function () { window.print(); });
});
document.querySelectorAll('svg.map[data-pick]').forEach(function (svg) {
  svg.addEventListener('click', function (e) {
    var p = svg.createSVGPoint();
    p.x = e.clientX; p.y = e.clientY;
    var q = p.matrixTransform(svg.getScreenCTM().inverse());
    var size = 256 * Math.pow(2, +svg.dataset.zoom);
    var x = +svg.dataset.left + q.x, y = +svg.dataset.top + q.y;
    var lon = x / size * 360 - 180;
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / size))) * 180 / Math.PI;
    var f = svg.dataset.pick;
    document.getElementById(f + '-lat').value = lat.toFixed(6);
    document.getElementById(f + '-lon').value = lon.toFixed(6);
    var radio = document.getElementById(f + '-place');
    if (radio) { radio.checked = true; }
    var mark = svg.querySelector('circle.picked');
    if (!mark) {
      mark = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
      mark.setAttribute('class', 'picked');
      mark.setAttribute('r', '7');
      svg.appendChild(mark);
    }
    mark.setAttribute('cx', q.x); mark.setAttribute('cy', q.y);
  });
});
"#;

/// `/assets/style.css`
pub async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLE)
}

/// `/assets/page.js`
pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        SCRIPT,
    )
}

/// Whether `c` changes the direction of the text around it.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A whole page: frame settings, then [`Page::render`] with the body.
pub struct Page<'a> {
    lang: Lang,
    title: &'a str,
    /// The page's own address without `lang` (for the language switch).
    path: &'a str,
    nav: &'a [(&'a str, &'a str)],
    credits: &'a str,
    refresh_seconds: Option<u32>,
    /// Links the crew app's manifest (the page can be installed).
    manifest: bool,
}

impl<'a> Page<'a> {
    pub fn new(lang: Lang, title: &'a str, path: &'a str) -> Page<'a> {
        Page { lang, title, path, nav: &[], credits: "", refresh_seconds: None, manifest: false }
    }

    pub fn nav(mut self, nav: &'a [(&'a str, &'a str)]) -> Self {
        self.nav = nav;
        self
    }

    pub fn credits(mut self, credits: &'a str) -> Self {
        self.credits = credits;
        self
    }

    /// Reloads the page every `seconds` (progress of a running solve).
    pub fn refresh(mut self, seconds: u32) -> Self {
        self.refresh_seconds = Some(seconds);
        self
    }

    /// Makes the page installable as the crew's app (see `crew_app`).
    pub fn installable(mut self) -> Self {
        self.manifest = true;
        self
    }

    pub fn render(self, body: Markup) -> String {
        let lang = self.lang;
        let (other, other_label) = match lang {
            Lang::Ja => ("en", "English"),
            Lang::En => ("ja", "日本語"),
        };
        let sep = if self.path.contains('?') { '&' } else { '?' };
        let markup = html! {
            (DOCTYPE)
            html lang=(if lang == Lang::Ja { "ja" } else { "en" }) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    @if let Some(s) = self.refresh_seconds { meta http-equiv="refresh" content=(s); }
                    title { (self.title) }
                    link rel="stylesheet" href="/assets/style.css";
                    script src="/assets/page.js" defer {}
                    // The crew app's script: its page, and the sign-out that asks about unsent entries.
                    @if self.manifest || self.path == "/logout" { script src="/assets/crew.js" defer {} }
                    @if self.manifest {
                        link rel="manifest" href="/crew.webmanifest";
                        meta name="theme-color" content="#1f5f3f";
                    }
                }
                body {
                    header {
                        h1 { (self.title) }
                        nav aria-label=(t(lang, "メニュー", "Menu")) { ul {
                            @for (href, label) in self.nav { li { a href=(href) { (label) } } }
                            li { a href={ (self.path) (sep) "lang=" (other) } hreflang=(other) lang=(other) { (other_label) } }
                        } }
                    }
                    main id="main" { (body) }
                    footer { p { (self.credits) } }
                }
            }
        };
        markup.into_string().chars().filter(|&c| !is_bidi_control(c)).collect()
    }
}

/// A data table: column headers and rows of cells.
pub fn table(headers: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        table {
            thead { tr { @for h in headers { th scope="col" { (h) } } } }
            tbody { @for row in rows { tr { @for cell in row { td { (cell) } } } } }
        }
    }
}

/// Plain text as a table cell.
pub fn cell(text: &str) -> Markup {
    html! { (text) }
}

/// The hidden CSRF field every staff form carries (see `server::auth`).
pub fn csrf_input(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// A print button (works through `/assets/page.js`; hidden when printing).
pub fn print_button(label: &str) -> Markup {
    html! { p.no-print { button type="button" data-print { (label) } } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_text_and_drop_direction_overrides() {
        let html = Page::new(Lang::Ja, "<b>題</b>", "/x?a=1").render(html! { p { "\u{202E}evil\"'<script>" } });
        assert!(html.contains("&lt;b&gt;題&lt;/b&gt;") && html.contains("evil&quot;'&lt;script&gt;"), "{html}");
        assert!(!html.contains('\u{202E}'));
        assert!(html.contains("href=\"/x?a=1&amp;lang=en\""), "the switch keeps the query: {html}");
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"ja\">"));
    }
}
