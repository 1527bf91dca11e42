//! Every file in `data/invalid/` is refused with its coded errors and exit code 2, and
//! nothing is written; every error code has at least one such file.

use std::path::{Path, PathBuf};

use junkai::diagnostics::Code;

mod common;
use common::{junkai, wording};

fn tiny() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/tiny/problem.json")
}

fn invalid_inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e == "json" || e == "txt" || e == "geojson"))
        .collect();
    files.sort();
    files
}

/// The codes named in a file name, e.g. `many-E1003-E1005.json` → [E1003, E1005].
fn codes_in_name(path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    name.split(['-', '.']).filter(|t| t.len() == 5 && t.starts_with('E')).map(str::to_string).collect()
}

#[test]
fn every_code_has_an_invalid_file() {
    let named: Vec<String> = invalid_inputs().iter().flat_map(|p| codes_in_name(p)).collect();
    for code in Code::ALL {
        assert!(named.contains(&code.as_str()), "no file in data/invalid/ for {code}");
    }
    assert!(invalid_inputs().len() >= 12);
}

#[test]
fn check_reports_each_code_with_exit_2_in_both_languages() {
    for path in invalid_inputs() {
        let expected = codes_in_name(&path);
        assert!(!expected.is_empty(), "{} names no code", path.display());
        // Benchmark instances (`.txt`) are read by `vrptw`, road sources (`.geojson`) by
        // `roads import`, published plans (`.plan.json`) by `replan`, data sets by `check`.
        let scratch = tempfile::tempdir().unwrap();
        let target = scratch.path().join("roads.jkrg");
        for lang in ["ja", "en"] {
            let mut cmd = junkai();
            cmd.args(["--lang", lang]);
            let is_plan = path.to_string_lossy().ends_with(".plan.json");
            match path.extension().and_then(|e| e.to_str()) {
                _ if is_plan => {
                    cmd.args(["replan", "--data"]).arg(tiny()).arg("--plan").arg(&path).arg("--out").arg(&target)
                }
                Some("txt") => cmd.arg("vrptw").arg(&path),
                Some("geojson") => cmd.args(["roads", "import"]).arg(&path).arg("--out").arg(&target),
                _ => cmd.arg("check").arg(&path),
            };
            let out = cmd.output().unwrap();
            assert!(!target.exists(), "nothing is written for bad input");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{}: {stderr}", path.display());
            for code in &expected {
                assert!(stderr.contains(code.as_str()), "{} lacks {code}: {stderr}", path.display());
            }
            // Each message names a path, a cause and a hint.
            for line in stderr.lines().filter(|l| l.starts_with('E')) {
                assert!(line.contains(": ") && line.contains(" — "), "unstructured message: {line}");
            }
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn a_file_that_is_not_utf8_gets_a_hint_about_the_encoding() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/invalid/E1021-shift-jis.json");
    for (lang, hint) in [("ja", "UTF-8 で保存し直してください"), ("en", "save it again as UTF-8")] {
        let out = junkai().args(["--lang", lang, "check"]).arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(hint) && !stderr.contains("check the path"), "{stderr}");
    }
}

#[test]
fn the_multi_error_file_reports_all_problems_at_once() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/invalid/many-E1003-E1005-E1007-E1015.json");
    let out = junkai().args(["--lang", "en", "check"]).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("E1008"), "the out-of-range depot latitude is reported too: {stderr}");
    assert!(stderr.lines().filter(|l| l.starts_with('E')).count() >= 5, "{stderr}");
}

#[test]
fn plan_on_invalid_input_writes_nothing() {
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("out");
    for path in invalid_inputs().into_iter().filter(|p| p.extension().is_none_or(|e| e == "json")) {
        let out = junkai().args(["plan", "--data"]).arg(&path).arg("--out").arg(&target).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(!target.exists(), "{} left output behind", path.display());
    }
}

#[test]
fn a_bad_week_argument_is_a_coded_error() {
    let out = junkai().args(["--lang", "en", "plan", "--week", "2026-02-30"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E1017 --week"));
}

#[test]
fn the_default_data_folder_and_fixture_pass_the_check() {
    for path in ["data/midori", "data/midori/problem.json", "data/fixtures/tiny/problem.json"] {
        let out = junkai()
            .args(["check", "--week", "2026-12-07"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .output()
            .unwrap();
        assert!(out.status.success(), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("OK"));
    }
}

/// The message part of a diagnostic line (`E1004 path: cause — hint` → `cause — hint`; a
/// path may hold `: ` itself, the message starts after the last one before ` — `).
fn message_part(line: &str) -> &str {
    let before_hint = line.find(" — ").unwrap_or(line.len());
    line[..before_hint].rfind(": ").map_or(line, |i| &line[i + 2..])
}

#[test]
fn japanese_messages_are_wholly_japanese_and_english_wholly_english() {
    for path in invalid_inputs().into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        for lang in ["ja", "en"] {
            let out = junkai().args(["--lang", lang, "check"]).arg(&path).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            for line in stderr.lines().filter(|l| l.starts_with('E')) {
                let message = message_part(line);
                if lang == "ja" {
                    let english = wording::english_in_japanese(message);
                    assert!(english.is_empty(), "English {english:?} in a Japanese message: {line}");
                } else {
                    assert!(!wording::has_japanese(message), "Japanese in an English message: {line}");
                }
            }
        }
    }
}

#[test]
fn places_far_outside_the_boundary_are_warned_about_or_refused_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(tiny()).unwrap()).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/midori/boundary.geojson"),
        dir.path().join("boundary.geojson"),
    )
    .unwrap();
    std::fs::write(dir.path().join("problem.json"), doc.to_string()).unwrap();
    let clean = junkai().args(["--lang", "en", "check"]).arg(dir.path()).output().unwrap();
    assert!(
        clean.status.success() && !String::from_utf8_lossy(&clean.stderr).contains("W2001"),
        "the fixture lies in the city"
    );
    // A hall typed with Tokyo's longitude: about 90 km outside.
    doc["stops"][1]["lon"] = serde_json::json!(139.76);
    doc["stops"][1]["lat"] = serde_json::json!(35.68);
    std::fs::write(dir.path().join("problem.json"), doc.to_string()).unwrap();
    let warned = junkai().args(["--lang", "en", "check"]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(warned.status.success(), "a warning, not an error: {stderr}");
    assert!(stderr.contains("W2001 stops[1]") && stderr.contains("km outside the city boundary"), "{stderr}");
    let strict = junkai().args(["check", "--strict"]).arg(dir.path()).output().unwrap();
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("境界から"), "Japanese by default");
    let far = junkai().args(["check", "--outside-km", "200"]).arg(dir.path()).output().unwrap();
    assert!(!String::from_utf8_lossy(&far.stderr).contains("W2001"), "the distance is configurable");
}
