//! Requests imported from a table: CSV from Excel ("CSV UTF-8", a byte-order mark is
//! fine) or cells pasted from Excel (tab-separated). The first line names the columns, in
//! English or Japanese; each further line is one request in the requests-file format,
//! checked afterwards like every request. Problems name the line.
//!
//! | column | also | |
//! |---|---|---|
//! | `id` | 予約番号 | required |
//! | `kind` | サービス種別 | a service kind id, required |
//! | `stop` | 訪問先 | a stop id, required |
//! | `earliest`, `latest` | いつから, いつまで | `YYYY-MM-DD`, required |
//! | `priority` | 優先度 | 1–5 |
//! | `name`, `phone` | 氏名, 電話番号 | the resident (private) |
//! | `note` | メモ | private |
//! | `channel` | 受付経路 | `phone`, `counter` or `online` |

use serde_json::{Map, Value, json};

use crate::diagnostics::Diagnostic;

const COLUMNS: [(&str, &str); 10] = [
    ("id", "予約番号"),
    ("kind", "サービス種別"),
    ("stop", "訪問先"),
    ("earliest", "いつから"),
    ("latest", "いつまで"),
    ("priority", "優先度"),
    ("name", "氏名"),
    ("phone", "電話番号"),
    ("note", "メモ"),
    ("channel", "受付経路"),
];
const REQUIRED: [&str; 5] = ["id", "kind", "stop", "earliest", "latest"];

/// The column key a heading names, if any.
fn column(heading: &str) -> Option<&'static str> {
    let h = heading.trim();
    COLUMNS.iter().find(|(en, ja)| h.eq_ignore_ascii_case(en) || h == *ja).map(|(en, _)| *en)
}

/// One table line as a request.
fn request(keys: &[Option<&str>], cells: &csv::StringRecord) -> Value {
    let mut r = Map::new();
    let mut resident = Map::new();
    for (key, cell) in keys.iter().zip(cells.iter()) {
        let (Some(key), cell) = (key, cell.trim()) else { continue };
        if cell.is_empty() {
            continue;
        }
        let value = match *key {
            "priority" => cell.parse::<u64>().map_or_else(|_| json!(cell), |n| json!(n)),
            _ => json!(cell),
        };
        match *key {
            "name" | "phone" => resident.insert(key.to_string(), value),
            _ => r.insert(key.to_string(), value),
        };
    }
    if !resident.is_empty() {
        r.insert("resident".into(), Value::Object(resident));
    }
    Value::Object(r)
}

/// The requests of `text` with the line each came from, or the problems of its shape.
pub fn parse_request_table(text: &str, label: &str) -> Result<Vec<(usize, Value)>, Vec<Diagnostic>> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let at = |line: usize| format!("{label}: line {line}");
    let headings = reader.headers().map_err(|e| vec![Diagnostic::unreadable_table(&at(1), &e.to_string())])?.clone();
    let keys: Vec<Option<&str>> = headings.iter().map(column).collect();
    let mut problems: Vec<Diagnostic> = headings
        .iter()
        .zip(&keys)
        .filter(|(h, k)| k.is_none() && !h.trim().is_empty())
        .map(|(h, _)| Diagnostic::unknown_field(&at(1), h.trim(), None))
        .collect();
    for required in REQUIRED.iter().filter(|r| !keys.contains(&Some(**r))) {
        problems.push(Diagnostic::missing_field(&at(1), required));
    }
    let mut rows = Vec::new();
    // Lines are counted by record (a cell with a line break inside is not expected).
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        match record {
            Ok(cells) if cells.iter().all(|c| c.trim().is_empty()) => {}
            Ok(cells) => rows.push((line, request(&keys, &cells))),
            Err(e) => problems.push(Diagnostic::unreadable_table(&at(line), &e.to_string())),
        }
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_csv_and_pasted_cells_read_alike() {
        let csv = "\u{feff}予約番号,サービス種別,訪問先,いつから,いつまで,優先度,氏名\r\nT1,admin,konaka,2026-12-07,2026-12-11,4,試験 一郎\r\n,,,,,,\r\n";
        let rows = parse_request_table(csv, "requests.csv").unwrap();
        assert_eq!(rows.len(), 1, "empty lines are skipped");
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1["priority"], json!(4));
        assert_eq!(rows[0].1["resident"]["name"], "試験 一郎");
        let pasted = "id\tkind\tstop\tearliest\tlatest\nT2\tmedical\tzama\t2026-12-08\t2026-12-09\n";
        assert_eq!(parse_request_table(pasted, "paste").unwrap()[0].1["stop"], "zama");
    }

    #[test]
    fn unknown_and_missing_columns_are_named_on_line_one() {
        let problems = parse_request_table("id,kind,where\nT1,admin,x\n", "t.csv").unwrap_err();
        let codes: Vec<String> = problems.iter().map(|d| format!("{} {}", d.code, d.path)).collect();
        assert!(codes.contains(&"E1001 t.csv: line 1".to_string()), "{codes:?}");
        assert_eq!(problems.iter().filter(|d| d.code.as_str() == "E1002").count(), 3, "stop, earliest, latest");
    }
}
