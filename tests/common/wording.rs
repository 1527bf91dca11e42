//! Is a message wholly in its language? Japanese text may hold format literals and names
//! (`CSV`, `HH:MM`, field names, paths) but no English words; English text holds no
//! Japanese. Quoted parts (「…」, "…", `…`) and `{placeholders}` are the user's data or
//! format literals and are not judged.

/// Format literals and names that stay as they are in either language.
const LITERALS: &[&str] = &[
    "ID",
    "HH",
    "MM",
    "DD",
    "YYYY",
    "UTF",
    "CSV",
    "Excel",
    "JSON",
    "GTFS",
    "API",
    "URL",
    "HTTP",
    "CSRF",
    "PDF",
    "id",
    "stop",
    "home",
    "windows",
    "true",
    "false",
    "null",
    "problem",
    "json",
    "requests",
    "MaaS",
    "hosts",
    "visit_rule",
    "lunch",
    "weekdays",
    "Bearer",
    "Authorization",
    "Token",
    "Content",
    "Type",
    "application",
    "GET",
    "POST",
    "PUT",
    "km",
    "docs",
    "md",
    "toml",
    "problems",
    "junkai",
    "Solomon",
    "VRPLIB",
    "Cordeau",
    "OpenStreetMap",
    "GeoJSON",
    "LineString",
];

/// `text` without quoted parts and `{placeholders}`.
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '「' => closing = Some('」'),
                '"' => closing = Some('"'),
                '`' => closing = Some('`'),
                '{' => closing = Some('}'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// English words in a Japanese text (empty when it is wholly Japanese).
pub fn english_in_japanese(text: &str) -> Vec<String> {
    let spaced = unquoted(text).replace(['（', '）', '、', '。', '：', '・', '／', '<', '>'], " ");
    // JSON paths, file paths and options named in a message (`stops[0].id`,
    // docs/API.md, --data) are references, not words.
    spaced
        .split_whitespace()
        .filter(|t| !t.contains(['[', '.', '/']) && !t.starts_with("--"))
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic() && c != '_'))
        .filter(|w| w.len() >= 2 && !LITERALS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Does an English text hold Japanese (kana, kanji, full-width forms)?
pub fn has_japanese(text: &str) -> bool {
    unquoted(text).chars().any(is_japanese)
}

pub fn is_japanese(c: char) -> bool {
    ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// What is wrong with a message pair, if anything: English words in `ja`, or Japanese
/// in `en`; `context` names the message.
pub fn impurity(ja: &str, en: &str, context: &str) -> Option<String> {
    let english = english_in_japanese(ja);
    if !english.is_empty() {
        return Some(format!("English {english:?} in the Japanese of {context}: {ja}"));
    }
    has_japanese(en).then(|| format!("Japanese in the English of {context}: {en}"))
}
