//! Every user-facing message is wholly in its language: each input diagnostic of the
//! catalogue (`src/diagnostics.rs`, built with values that carry English program text),
//! the API's error answers, and every Japanese–English pair of literals in the source
//! (page texts, JSON reader type names, CLI lines, error answers).

use std::collections::BTreeSet;
use std::path::Path;

use axum::http::StatusCode;
use junkai::diagnostics::{Diagnostic, Mismatch};
use junkai::server::error::ApiError;

mod common;
use common::wording::{english_in_japanese, impurity, is_japanese};

/// English text a library or the system may hand to a constructor.
const PROGRAM_DETAIL: &str = "invalid type: integer `3`, expected a string at line 1 column 9";

/// One call of every constructor, by name.
fn catalogue() -> Vec<(&'static str, Diagnostic)> {
    let io = std::io::Error::other(PROGRAM_DETAIL);
    let bad_utf8 = std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8");
    let known = vec!["hall-a".to_string(), "hall-b".to_string()];
    vec![
        ("json_syntax", Diagnostic::json_syntax(3, 9, false, PROGRAM_DETAIL)),
        ("unknown_field", Diagnostic::unknown_field("stops[0].nmae", "nmae", Some("name"))),
        ("missing_field", Diagnostic::missing_field("stops[0]", "lat")),
        ("window_reversed", Diagnostic::window_reversed("stops[0].windows.mon[0]", "10:00", "09:00")),
        ("wrong_type", Diagnostic::wrong_type("stops[0].lat", ["数値", "a number"], ["文字列", "a string"])),
        ("bad_time", Diagnostic::bad_time("lunch.earliest", "9h")),
        ("duplicate_id", Diagnostic::duplicate_id("stops[1].id", "hall-a", "stops[0]")),
        ("unknown_reference", Diagnostic::unknown_reference("requests[0].stop", "stop", "hall-c", &known)),
        ("bad_coordinates", Diagnostic::bad_coordinates("stops[0]", 36.5, 139.3)),
        ("rule_min_over_max", Diagnostic::rule_min_over_max("stops[0].visit_rule", 3, 1)),
        ("windows_overlap", Diagnostic::windows_overlap("stops[0].windows.mon[1]", "09:00–12:00", "11:00–13:00")),
        ("bad_weekday", Diagnostic::bad_weekday("vehicles[0].shifts", "funday")),
        (
            "shift_invalid",
            Diagnostic::shift_invalid("vehicles[0].shifts.mon", "勤務時間が空です", "the shift is empty"),
        ),
        ("dates_reversed", Diagnostic::dates_reversed("requests[0]", "2026-12-09", "2026-12-07")),
        ("kind_not_hosted", Diagnostic::kind_not_hosted("requests[0].kind", "clinic", "hall-a")),
        ("bad_number", Diagnostic::bad_number("vehicles[0].seats", "-1", "0–100")),
        ("bad_format", Diagnostic::bad_format("format", "3", ["1 か 2", "1 or 2"])),
        ("bad_date", Diagnostic::bad_date("horizon.week_of", "2026-02-30")),
        ("empty_list", Diagnostic::empty_list("vehicles", "車両", "vehicles")),
        ("place_ambiguous", Diagnostic::place_ambiguous("requests[0]", true)),
        ("empty_text", Diagnostic::empty_text("stops[0].name")),
        ("far_outside", Diagnostic::far_outside("stops[0]", 91.4)),
        ("no_window", Diagnostic::no_window("stops[0].windows")),
        ("id_shared", Diagnostic::id_shared("depots[0].id", "hall-a", ["訪問先", "stop"])),
        ("bad_id", Diagnostic::bad_id("stops[0].id", "../etc")),
        ("control_characters", Diagnostic::control_characters("stops[0].name")),
        ("too_long", Diagnostic::too_long("stops[0].name", 100_000, 200, ["文字", "characters"])),
        ("read_failed", Diagnostic::read_failed("problem.json", &bad_utf8)),
        ("unreadable", Diagnostic::unreadable("problem.json", &io)),
        ("unreadable_table", Diagnostic::unreadable_table("requests.csv: line 3", PROGRAM_DETAIL)),
        ("bad_instance", Diagnostic::bad_instance("c101.txt", 8, "a vertex line needs `i x y d q f a`")),
        ("plan_mismatch", Diagnostic::plan_mismatch("plan.json", Mismatch::NotAPlan(PROGRAM_DETAIL.into()))),
        ("bad_road_source", Diagnostic::bad_road_source("roads.osm.pbf", PROGRAM_DETAIL)),
        ("corrupt_road_file", Diagnostic::corrupt_road_file("roads.bin", PROGRAM_DETAIL)),
        ("stop_far_from_road", Diagnostic::stop_far_from_road("stops[0]", "小平地区", 812.0, 500.0)),
        ("stop_cut_off", Diagnostic::stop_cut_off("stops[0]", "小平地区")),
        ("year_unsupported", Diagnostic::year_unsupported("horizon.week_of", 9999)),
        ("weeks_out_of_range", Diagnostic::weeks_out_of_range("--weeks", 12)),
        ("no_hours", Diagnostic::no_hours("remote_staff[0].hours")),
        ("no_remote_staff", Diagnostic::no_remote_staff("service_kinds[1].remote_kind", "doctor", &known)),
        ("remote_mismatch", Diagnostic::remote_mismatch("requests[0].remote", "counsellor", Some("medical"))),
    ]
}

/// The names of the constructors in `src/diagnostics.rs` (`pub fn name(…) -> Diagnostic`).
fn constructors_in_source() -> BTreeSet<String> {
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diagnostics.rs")).unwrap();
    source
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("pub fn ") && l.contains("-> Diagnostic") && !l.contains("self"))
        .map(|l| l["pub fn ".len()..l.find('(').unwrap()].to_string())
        .collect()
}

#[test]
fn every_input_diagnostic_is_wholly_in_its_language() {
    let catalogue = catalogue();
    let tested: BTreeSet<String> = catalogue.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(tested, constructors_in_source(), "each constructor is called here once");
    let mut texts: Vec<(&str, &Diagnostic)> = catalogue.iter().map(|(name, d)| (*name, d)).collect();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let mismatches = [
        Mismatch::NotAWorkingDay(date),
        Mismatch::UnknownVehicle("clinic-1".into()),
        Mismatch::UnknownStop("hall-z".into()),
        Mismatch::BadWindow("9 to 5".into()),
    ];
    let mismatches: Vec<Diagnostic> =
        mismatches.into_iter().map(|m| Diagnostic::plan_mismatch("plan.json", m)).collect();
    texts.extend(mismatches.iter().map(|d| ("plan_mismatch", d)));
    let problems = texts.iter().flat_map(|(name, d)| {
        [impurity(&d.cause.ja, &d.cause.en, &format!("{name} (cause)")), impurity(&d.hint.ja, &d.hint.en, name)]
    });
    assert_none(problems);
}

#[test]
fn error_answers_are_wholly_in_their_language() {
    let answers = [
        ApiError::from_status(StatusCode::BAD_REQUEST, PROGRAM_DETAIL),
        ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded"),
        ApiError::from_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected request with `Content-Type: application/json`",
        ),
        ApiError::throttled(15),
        ApiError::not_found("計画", "plan"),
        ApiError::unauthenticated(),
        ApiError::csrf(),
        ApiError::busy(),
        ApiError::internal(PROGRAM_DETAIL),
    ];
    assert_none(
        answers
            .iter()
            .flat_map(|e| [impurity(&e.message.0, &e.message.1, e.code), impurity(&e.hint.0, &e.hint.1, e.code)]),
    );
}

/// Fails with every problem found, one per line.
fn assert_none(problems: impl IntoIterator<Item = Option<String>>) {
    let problems: Vec<String> = problems.into_iter().flatten().collect();
    assert!(
        problems.is_empty(),
        "{} messages are not wholly in their language:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A token of Rust source: a string literal's value, or any other non-blank character.
#[derive(Debug, PartialEq)]
enum Token {
    Literal(String),
    Other(char),
}

/// The string literals and other characters of `source`, without comments, char
/// literals and raw strings (stylesheets and scripts).
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && !is_ident(chars.get(i.wrapping_sub(1))) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let body_start = i + 2 + hashes;
            let rest: String = chars[body_start..].iter().collect();
            i = body_start
                + rest.find(&close).map_or(rest.chars().count(), |b| rest[..b].chars().count() + close.len());
            continue;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            i += if next == Some('\\') { chars[i + 2..].iter().position(|&q| q == '\'').unwrap() + 3 } else { 3 };
            continue;
        } else if c == '"' {
            let mut value = String::new();
            i += 1;
            while chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                    if chars[i] == '\n' {
                        while chars[i + 1].is_whitespace() {
                            i += 1;
                        }
                    } else {
                        value.push(chars[i]);
                    }
                } else {
                    value.push(chars[i]);
                }
                i += 1;
            }
            out.push(Token::Literal(value));
        } else if !c.is_whitespace() {
            out.push(Token::Other(c));
        }
        i += 1;
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// Pairs of a Japanese literal and the English literal that follows it, with only
/// punctuation, `format!(` or a `Lang::En =>` arm between them.
fn message_pairs(source: &str) -> Vec<(String, String)> {
    let tokens = tokens(source);
    let mut pairs = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Token::Literal(ja) = token else { continue };
        if !ja.chars().any(is_japanese) {
            continue;
        }
        let between: String = tokens[i + 1..]
            .iter()
            .take_while(|t| matches!(t, Token::Other(_)))
            .map(|t| if let Token::Other(c) = t { *c } else { ' ' })
            .collect();
        let joined = between.replace("format!(", "").replace("Lang::En=>", "");
        if joined.len() > 3 || !joined.chars().all(|c| ",)(".contains(c)) {
            continue;
        }
        // Two Japanese literals in a row are items of a list (CSV headings), not a pair.
        match tokens.get(i + 1 + between.chars().count()) {
            Some(Token::Literal(en)) if !en.chars().any(is_japanese) || !english_in_japanese(en).is_empty() => {
                pairs.push((ja.clone(), en.clone()))
            }
            _ => {}
        }
    }
    pairs
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_japanese_english_pair_in_the_source_is_wholly_in_its_language() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for (ja, en) in message_pairs(&source) {
            // Bilingual documents (calendar descriptions, sample notes) carry both
            // languages in one literal on purpose; they are not message pairs.
            if ja.contains(" / ") {
                continue;
            }
            problems.push(impurity(&ja, &en, &file.display().to_string()));
            checked += 1;
        }
    }
    assert_none(problems);
    assert!(checked > 300, "the scan found only {checked} pairs: is the tokenizer broken?");
}

#[test]
fn the_tokenizer_finds_pairs_in_the_usual_shapes() {
    let source = r###"
        // "注釈" "comment"
        let a = Text::new("日本語", "English");
        let b = t(lang, "ひらがな", "hiragana");
        let c = Text::new(format!("{n}件"), format!("{n} items"));
        let d = match lang { Lang::Ja => "はい", Lang::En => "yes" };
        let e = r#"生の"文字列""#; let f = 'x'; let g = '\'';
        let h = ["二つ", "two"];
    "###;
    let pairs = message_pairs(source);
    let expect =
        [("日本語", "English"), ("ひらがな", "hiragana"), ("{n}件", "{n} items"), ("はい", "yes"), ("二つ", "two")];
    assert_eq!(pairs, expect.map(|(a, b)| (a.to_string(), b.to_string())));
}
