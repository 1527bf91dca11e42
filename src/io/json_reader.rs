//! A path-aware reader over `serde_json::Value` that collects every problem it meets
//! instead of stopping at the first, so that a planner sees all errors at once.

use chrono::{Datelike, NaiveDate};
use junkai_solver::model::{Weekday, WeekdaySet};
use junkai_solver::units::{Seconds, TimeWindow};
use serde_json::{Map, Value};

use crate::calendar::holidays::{FIRST_YEAR, LAST_YEAR};
use crate::diagnostics::Diagnostic;

/// Appends `.key` to a JSON path.
pub fn field(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Appends `[index]` to a JSON path.
pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// What a JSON value is, in Japanese and English.
fn type_name(v: &Value) -> [&'static str; 2] {
    match v {
        Value::Null => ["空の値（null）", "null"],
        Value::Bool(_) => ["真偽値", "a boolean"],
        Value::Number(_) => ["数値", "a number"],
        Value::String(_) => ["文字列", "a string"],
        Value::Array(_) => ["リスト", "a list"],
        Value::Object(_) => ["オブジェクト", "an object"],
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + usize::from(ca != *cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Parses `HH:MM` (00:00–24:00).
pub fn parse_time(s: &str) -> Option<Seconds> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    let ok = (0..24).contains(&h) && (0..60).contains(&m) || (h == 24 && m == 0);
    ok.then(|| Seconds::from_hm(h, m))
}

/// The longest id, in characters (ids end up in URLs and file names).
pub const MAX_ID: usize = 64;
/// The longest short text (names, readings, districts, phones, labels), in characters.
pub const MAX_SHORT_TEXT: usize = 200;
/// The longest free text (addresses, notes, reasons, contacts, sources), in characters.
pub const MAX_LONG_TEXT: usize = 2_000;
/// The most items of a top-level list (stops, requests, units, …).
pub const MAX_TOP_LIST: usize = 20_000;
/// The most items of a list inside an entry (a stop's closures, a unit's equipment, …).
pub const MAX_INNER_LIST: usize = 1_000;

/// Collects diagnostics while reading values.
#[derive(Default)]
pub struct Reader {
    pub diagnostics: Vec<Diagnostic>,
}

/// Characters no stored text may hold: control codes other than line breaks and tabs
/// (NUL among them) and the invisible direction overrides that reorder what people read.
fn has_control(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

impl Reader {
    pub fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// The value as an object whose keys are all in `allowed` (unknown keys are reported).
    pub fn object<'v>(&mut self, v: &'v Value, path: &str, allowed: &[&str]) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            self.report(Diagnostic::wrong_type(path, ["オブジェクト", "an object"], type_name(v)));
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let suggestion = allowed
                    .iter()
                    .copied()
                    .filter(|a| edit_distance(a, key) <= 2)
                    .min_by_key(|a| edit_distance(a, key));
                self.report(Diagnostic::unknown_field(&field(path, key), key, suggestion));
            }
        }
        Some(map)
    }

    pub fn required<'v>(&mut self, map: &'v Map<String, Value>, path: &str, key: &str) -> Option<&'v Value> {
        let v = map.get(key);
        if v.is_none() {
            self.report(Diagnostic::missing_field(path, key));
        }
        v
    }

    /// A list of at most [`MAX_TOP_LIST`] items at the top of a document, else at most
    /// [`MAX_INNER_LIST`] (a path with an index is inside an entry).
    pub fn array<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [Value]> {
        let max = if path.contains('[') || path.contains('.') { MAX_INNER_LIST } else { MAX_TOP_LIST };
        match v {
            Value::Array(items) if items.len() > max => {
                self.report(Diagnostic::too_long(path, items.len(), max, ["件", "items"]));
                None
            }
            Value::Array(items) => Some(items),
            other => {
                self.report(Diagnostic::wrong_type(path, ["リスト", "a list"], type_name(other)));
                None
            }
        }
    }

    /// Whether `s` has at most `max` characters (a problem is reported otherwise).
    fn short_enough(&mut self, s: &str, path: &str, max: usize) -> bool {
        let length = s.chars().count();
        if length > max {
            self.report(Diagnostic::too_long(path, length, max, ["文字", "characters"]));
        }
        length <= max
    }

    /// A non-empty string of at most [`MAX_SHORT_TEXT`] characters.
    pub fn text(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::String(s) if s.trim().is_empty() => {
                self.report(Diagnostic::empty_text(path));
                None
            }
            Value::String(s) if has_control(s) => {
                self.report(Diagnostic::control_characters(path));
                None
            }
            Value::String(s) if !self.short_enough(s, path, MAX_SHORT_TEXT) => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.report(Diagnostic::wrong_type(path, ["文字列", "a string"], type_name(other)));
                None
            }
        }
    }

    /// A required non-empty string field.
    pub fn text_field(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        let v = self.required(map, path, key)?;
        self.text(v, &field(path, key))
    }

    /// A required id: letters A–Z, a–z, digits and `. _ -`, not starting with `.`, at most
    /// [`MAX_ID`] characters (ids end up in URLs, file names and GTFS).
    pub fn id_field(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        let id = self.text_field(map, path, key)?;
        if !self.short_enough(&id, &field(path, key), MAX_ID) {
            return None;
        }
        let fine =
            !id.starts_with('.') && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !fine {
            self.report(Diagnostic::bad_id(&field(path, key), &id));
            return None;
        }
        Some(id)
    }

    /// An optional short string field (may be empty; at most [`MAX_SHORT_TEXT`] characters).
    pub fn opt_string(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        self.optional_text(map, path, key, MAX_SHORT_TEXT)
    }

    /// An optional free-text field (may be empty; at most [`MAX_LONG_TEXT`] characters).
    pub fn opt_long_text(&mut self, map: &Map<String, Value>, path: &str, key: &str) -> Option<String> {
        self.optional_text(map, path, key, MAX_LONG_TEXT)
    }

    fn optional_text(&mut self, map: &Map<String, Value>, path: &str, key: &str, max: usize) -> Option<String> {
        match map.get(key)? {
            Value::String(s) if has_control(s) => {
                self.report(Diagnostic::control_characters(&field(path, key)));
                None
            }
            Value::String(s) if !self.short_enough(s, &field(path, key), max) => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.report(Diagnostic::wrong_type(&field(path, key), ["文字列", "a string"], type_name(other)));
                None
            }
        }
    }

    pub fn boolean(&mut self, v: &Value, path: &str) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                self.report(Diagnostic::wrong_type(path, ["真偽値（true／false）", "true or false"], type_name(other)));
                None
            }
        }
    }

    /// A finite number inside `[min, max]`.
    pub fn number(&mut self, v: &Value, path: &str, min: f64, max: f64) -> Option<f64> {
        let Some(x) = v.as_f64() else {
            self.report(Diagnostic::wrong_type(path, ["数値", "a number"], type_name(v)));
            return None;
        };
        if !(min..=max).contains(&x) {
            self.report(Diagnostic::bad_number(path, &x.to_string(), &format!("{min}–{max}")));
            return None;
        }
        Some(x)
    }

    /// A whole number inside `[min, max]`.
    pub fn integer(&mut self, v: &Value, path: &str, min: i64, max: i64) -> Option<i64> {
        let Some(x) = v.as_i64() else {
            let found = if v.is_number() { ["小数", "a fraction"] } else { type_name(v) };
            self.report(Diagnostic::wrong_type(path, ["整数", "a whole number"], found));
            return None;
        };
        if !(min..=max).contains(&x) {
            self.report(Diagnostic::bad_number(path, &x.to_string(), &format!("{min}–{max}")));
            return None;
        }
        Some(x)
    }

    /// An optional whole-number field with a default.
    pub fn integer_or(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        default: i64,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        match map.get(key) {
            None => Some(default),
            Some(v) => self.integer(v, &field(path, key), min, max),
        }
    }

    /// A time of day `"HH:MM"`.
    pub fn time(&mut self, v: &Value, path: &str) -> Option<Seconds> {
        let Value::String(s) = v else {
            self.report(Diagnostic::wrong_type(path, ["時刻 \"HH:MM\"", "a time \"HH:MM\""], type_name(v)));
            return None;
        };
        let t = parse_time(s);
        if t.is_none() {
            self.report(Diagnostic::bad_time(path, s));
        }
        t
    }

    /// A window `["HH:MM", "HH:MM"]` with start <= end.
    pub fn window(&mut self, v: &Value, path: &str) -> Option<TimeWindow> {
        let items = self.array(v, path)?;
        if items.len() != 2 {
            let (ja, en) = (format!("{}個の要素", items.len()), format!("{} items", items.len()));
            self.report(Diagnostic::wrong_type(
                path,
                ["2つの時刻 [\"HH:MM\", \"HH:MM\"]", "a pair [\"HH:MM\", \"HH:MM\"]"],
                [&ja, &en],
            ));
            return None;
        }
        let start = self.time(&items[0], &index(path, 0));
        let end = self.time(&items[1], &index(path, 1));
        let (start, end) = (start?, end?);
        if end < start {
            self.report(Diagnostic::window_reversed(path, &start.to_string(), &end.to_string()));
            return None;
        }
        Some(TimeWindow::new(start, end))
    }

    pub fn date(&mut self, v: &Value, path: &str) -> Option<NaiveDate> {
        let Value::String(s) = v else {
            self.report(Diagnostic::wrong_type(path, ["日付 \"YYYY-MM-DD\"", "a date \"YYYY-MM-DD\""], type_name(v)));
            return None;
        };
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        match d {
            None => self.report(Diagnostic::bad_date(path, s)),
            Some(day) if !(FIRST_YEAR..=LAST_YEAR).contains(&day.year()) => {
                self.report(Diagnostic::year_unsupported(path, day.year()));
                return None;
            }
            Some(_) => {}
        }
        d
    }

    fn weekday_key(&mut self, key: &str, path: &str) -> Option<WeekdaySet> {
        match key {
            "weekdays" => Some(WeekdaySet::MON_TO_FRI),
            "daily" => Some(WeekdaySet::ALL),
            other => match Weekday::from_key(other) {
                Some(d) => Some([d].into_iter().collect()),
                None => {
                    self.report(Diagnostic::bad_weekday(path, other));
                    None
                }
            },
        }
    }

    /// A list of weekday keys (`mon` … `sun`, `weekdays`, `daily`).
    pub fn weekday_set(&mut self, v: &Value, path: &str) -> Option<WeekdaySet> {
        let items = self.array(v, path)?;
        let mut set = WeekdaySet::EMPTY;
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let p = index(path, i);
            match self.text(item, &p).and_then(|k| self.weekday_key(&k, &p)) {
                Some(s) => s.iter().for_each(|d| set.insert(d)),
                None => ok = false,
            }
        }
        ok.then_some(set)
    }

    /// An object mapping weekday keys to values. Returns each key once with the days it
    /// applies to: `daily` and `weekdays` first, single days overriding them.
    pub fn per_weekday<'v>(&mut self, v: &'v Value, path: &str) -> Option<Vec<(WeekdaySet, String, &'v Value)>> {
        let Value::Object(map) = v else {
            self.report(Diagnostic::wrong_type(
                path,
                ["曜日ごとのオブジェクト", "an object keyed by weekday"],
                type_name(v),
            ));
            return None;
        };
        let mut order: Vec<(&String, &Value)> = map.iter().collect();
        order.sort_by_key(|(k, _)| match k.as_str() {
            "daily" => 0,
            "weekdays" => 1,
            _ => 2,
        });
        let mut entries: Vec<(WeekdaySet, String, &Value)> = Vec::new();
        for (key, value) in order {
            let p = field(path, key);
            let Some(days) = self.weekday_key(key, &p) else { continue };
            for (earlier, _, _) in &mut entries {
                *earlier = earlier.iter().filter(|d| !days.contains(*d)).collect();
            }
            entries.push((days, p, value));
        }
        Some(entries)
    }

    /// Opening windows per weekday: `{"weekdays": [["09:00","12:00"], …], "sat": […]}`.
    /// Windows are sorted; overlapping windows are reported.
    pub fn windows_by_weekday(&mut self, v: &Value, path: &str) -> Option<[Vec<TimeWindow>; 7]> {
        let mut out: [Vec<TimeWindow>; 7] = Default::default();
        let mut ok = true;
        for (days, p, value) in self.per_weekday(v, path)? {
            let Some(items) = self.array(value, &p) else {
                ok = false;
                continue;
            };
            let mut list = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match self.window(item, &index(&p, i)) {
                    Some(w) => list.push((i, w)),
                    None => ok = false,
                }
            }
            list.sort_by_key(|(_, w)| *w);
            for pair in list.windows(2) {
                let ((_, a), (j, b)) = (pair[0], pair[1]);
                if a.overlaps(&b) {
                    let fmt = |w: TimeWindow| format!("{}–{}", w.start, w.end);
                    self.report(Diagnostic::windows_overlap(&index(&p, j), &fmt(a), &fmt(b)));
                    ok = false;
                }
            }
            let list: Vec<TimeWindow> = list.into_iter().map(|(_, w)| w).collect();
            for day in days.iter() {
                out[day.index()] = list.clone();
            }
        }
        ok.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_parse_strictly() {
        assert_eq!(parse_time("09:30"), Some(Seconds::from_hm(9, 30)));
        assert_eq!(parse_time("9:05"), Some(Seconds::from_hm(9, 5)));
        assert_eq!(parse_time("24:00"), Some(Seconds::from_hm(24, 0)));
        for bad in ["24:01", "25:00", "9h", "09:5", "", ":", "aa:bb", "-1:00"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let mut r = Reader::default();
        let v =
            json!({"weekdays": [["10:00", "09:00"], ["11:00", "25:00"]], "sun": [["08:00", "09:00"]], "funday": []});
        assert!(r.windows_by_weekday(&v, "stops[12].windows").is_none());
        let codes: Vec<String> = r.diagnostics.iter().map(|d| format!("{} {}", d.code, d.path)).collect();
        assert!(codes.contains(&"E1003 stops[12].windows.weekdays[0]".to_string()), "{codes:?}");
        assert!(codes.contains(&"E1005 stops[12].windows.weekdays[1][1]".to_string()), "{codes:?}");
        assert!(codes.contains(&"E1011 stops[12].windows.funday".to_string()), "{codes:?}");
    }

    #[test]
    fn single_days_override_groups_and_overlaps_are_found() {
        let mut r = Reader::default();
        let v = json!({"weekdays": [["09:00", "12:00"]], "wed": [["13:00", "16:00"], ["09:00", "13:30"]]});
        assert!(r.windows_by_weekday(&v, "w").is_none());
        assert_eq!(r.diagnostics[0].code, crate::diagnostics::Code::E1010);
        let mut r = Reader::default();
        let v = json!({"weekdays": [["09:00", "12:00"]], "wed": [["13:00", "16:00"]]});
        let w = r.windows_by_weekday(&v, "w").unwrap();
        assert_eq!(w[2], vec![TimeWindow::new(Seconds::from_hm(13, 0), Seconds::from_hm(16, 0))]);
        assert_eq!(w[0].len(), 1);
        assert!(w[5].is_empty());
    }

    #[test]
    fn unknown_fields_get_a_suggestion() {
        let mut r = Reader::default();
        let v = json!({"nmae": "x"});
        r.object(&v, "stops[0]", &["name", "id"]);
        assert!(r.diagnostics[0].hint.en.contains("`name`"));
    }
}
