//! Input diagnostics: every problem found in input data, each with a stable code, the
//! JSON path of the field, the cause and a hint, in Japanese and English.
//!
//! The constructors below are the only place where message texts live; the code table is
//! documented in `docs/errors.md` and every code has a sample file in `data/invalid/`.

use std::fmt;

use crate::lang::{Lang, Text};

/// Stable error codes. `E1xxx` input model, `E3xxx` calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Code {
    E1000,
    E1001,
    E1002,
    E1003,
    E1004,
    E1005,
    E1006,
    E1007,
    E1008,
    E1009,
    E1010,
    E1011,
    E1012,
    E1013,
    E1014,
    E1015,
    E1016,
    E1017,
    E1018,
    E1019,
    E1020,
    E1021,
    E1022,
    E1023,
    E1024,
    E1025,
    E1026,
    E1027,
    E1028,
    E1029,
    E1030,
    E2013,
    E2020,
    E2101,
    E2102,
    E3001,
    E3002,
    /// A warning (not in [`Code::ALL`], which lists the errors).
    W2001,
}

impl Code {
    pub const ALL: [Code; 37] = [
        Code::E1000,
        Code::E1001,
        Code::E1002,
        Code::E1003,
        Code::E1004,
        Code::E1005,
        Code::E1006,
        Code::E1007,
        Code::E1008,
        Code::E1009,
        Code::E1010,
        Code::E1011,
        Code::E1012,
        Code::E1013,
        Code::E1014,
        Code::E1015,
        Code::E1016,
        Code::E1017,
        Code::E1018,
        Code::E1019,
        Code::E1020,
        Code::E1021,
        Code::E1022,
        Code::E1023,
        Code::E1024,
        Code::E1025,
        Code::E1026,
        Code::E1027,
        Code::E1028,
        Code::E1029,
        Code::E1030,
        Code::E2013,
        Code::E2020,
        Code::E2101,
        Code::E2102,
        Code::E3001,
        Code::E3002,
    ];

    pub fn as_str(self) -> String {
        format!("{self:?}")
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// How a published plan disagrees with the data it is re-planned against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    NotAPlan(String),
    NotAWorkingDay(chrono::NaiveDate),
    UnknownVehicle(String),
    UnknownStop(String),
    BadWindow(String),
}

/// One problem in the input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub code: Code,
    /// File (when several are read) and JSON path, e.g. `requests.json: requests[3].stop`.
    pub path: String,
    pub cause: Text,
    pub hint: Text,
}

impl Diagnostic {
    fn new(code: Code, path: &str, cause: Text, hint: Text) -> Diagnostic {
        Diagnostic { code, path: path.to_string(), cause, hint }
    }

    /// `E1003 stops[12].windows.mon[0]: end 09:00 is before start 10:00 — swap them …`
    pub fn render(&self, lang: Lang) -> String {
        format!("{} {}: {} — {}", self.code, self.path, self.cause.get(lang), self.hint.get(lang))
    }

    /// Prefixes the path with the file it comes from.
    pub fn in_file(mut self, file: &str) -> Diagnostic {
        self.path = if self.path.is_empty() { file.to_string() } else { format!("{file}: {}", self.path) };
        self
    }

    /// `ended`: the text stops in the middle (serde_json's EOF category); otherwise a
    /// syntax error. The parser's own English detail goes only into the English message.
    pub fn json_syntax(line: usize, column: usize, ended: bool, detail: &str) -> Diagnostic {
        let ja =
            if ended { "JSONが途中で終わっています" } else { "JSONの書き方に誤りがあります" };
        Diagnostic::new(
            Code::E1000,
            &format!("line {line}, column {column}"),
            Text::new(ja, format!("not valid JSON ({detail})")),
            Text::new(
                "カンマ・括弧・引用符の対応を確認してください",
                "check commas, brackets and quotes near this position",
            ),
        )
    }

    pub fn unknown_field(path: &str, field: &str, suggestion: Option<&str>) -> Diagnostic {
        let (ja, en) = match suggestion {
            Some(s) => (format!("「{s}」の誤りではありませんか"), format!("did you mean `{s}`?")),
            None => (
                "この項目を削除するか、docs/format.md で名前を確認してください".to_string(),
                "remove it or check the name in docs/format.md".to_string(),
            ),
        };
        Diagnostic::new(
            Code::E1001,
            path,
            Text::new(format!("未知の項目「{field}」があります"), format!("unknown field `{field}`")),
            Text::new(ja, en),
        )
    }

    pub fn missing_field(path: &str, field: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1002,
            path,
            Text::new(format!("必須項目「{field}」がありません"), format!("required field `{field}` is missing")),
            Text::new(format!("「{field}」を追加してください"), format!("add `{field}`")),
        )
    }

    pub fn window_reversed(path: &str, start: &str, end: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1003,
            path,
            Text::new(format!("終了 {end} が開始 {start} より前です"), format!("end {end} is before start {start}")),
            Text::new("開始と終了を入れ替えるか、この時間帯を削除してください", "swap them or remove the window"),
        )
    }

    /// `expected` and `found` in Japanese and English, e.g. `["文字列", "a string"]`.
    pub fn wrong_type(path: &str, expected: [&str; 2], found: [&str; 2]) -> Diagnostic {
        let ([exp_ja, exp_en], [found_ja, found_en]) = (expected, found);
        Diagnostic::new(
            Code::E1004,
            path,
            Text::new(format!("{exp_ja}が必要ですが、{found_ja}です"), format!("expected {exp_en}, found {found_en}")),
            Text::new(format!("値を{exp_ja}にしてください"), format!("write the value as {exp_en}")),
        )
    }

    pub fn bad_time(path: &str, value: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1005,
            path,
            Text::new(format!("時刻「{value}」が読めません"), format!("time `{value}` is not a valid time of day")),
            Text::new("\"HH:MM\"（00:00〜24:00）で書いてください", "write it as \"HH:MM\" between 00:00 and 24:00"),
        )
    }

    pub fn duplicate_id(path: &str, id: &str, first: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1006,
            path,
            Text::new(
                format!("ID「{id}」が重複しています（最初は {first}）"),
                format!("id `{id}` is already used at {first}"),
            ),
            Text::new("IDを一意にしてください", "give each entry a unique id"),
        )
    }

    pub fn unknown_reference(path: &str, what: &str, id: &str, known: &[String]) -> Diagnostic {
        let list = known.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
        let list_ja = known.iter().take(8).map(|k| format!("「{k}」")).collect::<String>();
        let what_ja = match what {
            "stop" => "訪問先",
            "depot" => "拠点",
            "service kind" => "サービス種別",
            "equipment" => "装備",
            "request" => "予約",
            "vehicle" => "車両",
            "channel" => "受付経路",
            "remote staff" => "オンライン対応者",
            _ => "参照先",
        };
        Diagnostic::new(
            Code::E1007,
            path,
            Text::new(format!("{what_ja}「{id}」は定義されていません"), format!("no {what} with id `{id}`")),
            Text::new(format!("定義済みのIDを使ってください（{list_ja}）"), format!("use a defined id: {list}")),
        )
    }

    pub fn bad_coordinates(path: &str, lon: f64, lat: f64) -> Diagnostic {
        let swapped = (20.0..=46.0).contains(&lon) && (122.0..=154.0).contains(&lat);
        let (ja, en) = if swapped {
            (
                "経度と緯度が逆のようです。入れ替えてください".to_string(),
                "lon and lat look swapped: exchange them".to_string(),
            )
        } else {
            (
                "日本国内の経度（122〜154）と緯度（20〜46）を度で書いてください".to_string(),
                "give lon 122–154 and lat 20–46 in decimal degrees (Japan)".to_string(),
            )
        };
        Diagnostic::new(
            Code::E1008,
            path,
            Text::new(
                format!("座標（経度 {lon}, 緯度 {lat}）が日本国内にありません"),
                format!("position lon {lon}, lat {lat} is not in Japan"),
            ),
            Text::new(ja, en),
        )
    }

    pub fn rule_min_over_max(path: &str, min: u64, max: u64) -> Diagnostic {
        Diagnostic::new(
            Code::E1009,
            path,
            Text::new(
                format!("週の最少訪問回数 {min} が最多 {max} を超えています"),
                format!("min_per_week {min} exceeds max_per_week {max}"),
            ),
            Text::new("最少を最多以下にしてください", "lower min_per_week or raise max_per_week"),
        )
    }

    pub fn windows_overlap(path: &str, a: &str, b: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1010,
            path,
            Text::new(format!("時間帯 {a} と {b} が重なっています"), format!("windows {a} and {b} overlap")),
            Text::new(
                "重ならないように分けるか、一つにまとめてください",
                "merge them into one window or make them disjoint",
            ),
        )
    }

    pub fn bad_weekday(path: &str, value: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1011,
            path,
            Text::new(format!("曜日「{value}」が読めません"), format!("`{value}` is not a weekday")),
            Text::new(
                "「mon」「tue」「wed」「thu」「fri」「sat」「sun」（または「weekdays」「daily」）を使ってください",
                "use mon, tue, wed, thu, fri, sat, sun (or weekdays, daily)",
            ),
        )
    }

    pub fn shift_invalid(path: &str, cause_ja: &str, cause_en: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1012,
            path,
            Text::new(cause_ja, cause_en),
            Text::new(
                "勤務時間・休憩・最大労働時間の関係を見直してください",
                "make the lunch window, its length and max_work fit inside the shift",
            ),
        )
    }

    pub fn dates_reversed(path: &str, earliest: &str, latest: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1013,
            path,
            Text::new(
                format!("最終日 {latest} が開始日 {earliest} より前です"),
                format!("latest {latest} is before earliest {earliest}"),
            ),
            Text::new("日付を入れ替えてください", "swap the two dates"),
        )
    }

    pub fn kind_not_hosted(path: &str, kind: &str, stop: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1014,
            path,
            Text::new(
                format!("拠点「{stop}」ではサービス「{kind}」を行えません"),
                format!("stop `{stop}` does not host service `{kind}`"),
            ),
            Text::new(
                format!("拠点の hosts に「{kind}」を加えるか、別の拠点を指定してください"),
                format!("add `{kind}` to the stop's hosts or choose another stop"),
            ),
        )
    }

    pub fn bad_number(path: &str, value: &str, range: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1015,
            path,
            Text::new(format!("値 {value} は範囲外です"), format!("value {value} is out of range")),
            Text::new(format!("{range} の値にしてください"), format!("use a value in {range}")),
        )
    }

    /// `expected` in Japanese and English.
    pub fn bad_format(path: &str, found: &str, expected: [&str; 2]) -> Diagnostic {
        Diagnostic::new(
            Code::E1016,
            path,
            Text::new(format!("形式「{found}」には対応していません"), format!("format `{found}` is not supported")),
            Text::new(format!("{}を指定してください", expected[0]), format!("use {}", expected[1])),
        )
    }

    pub fn bad_date(path: &str, value: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1017,
            path,
            Text::new(format!("日付「{value}」が読めません"), format!("`{value}` is not a valid date")),
            Text::new(
                "\"YYYY-MM-DD\"（例: 2026-12-07）で書いてください",
                "write it as \"YYYY-MM-DD\", e.g. 2026-12-07",
            ),
        )
    }

    pub fn empty_list(path: &str, what_ja: &str, what_en: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1018,
            path,
            Text::new(format!("{what_ja}が一つもありません"), format!("no {what_en} defined")),
            Text::new(format!("{what_ja}を少なくとも一つ定義してください"), format!("define at least one {what_en}")),
        )
    }

    pub fn place_ambiguous(path: &str, both: bool) -> Diagnostic {
        let (ja, en) = if both {
            ("「stop」と「home」の両方が指定されています", "both `stop` and `home` are given")
        } else {
            ("「stop」も「home」も指定されていません", "neither `stop` nor `home` is given")
        };
        Diagnostic::new(
            Code::E1019,
            path,
            Text::new(ja, en),
            Text::new(
                "拠点での対応なら stop、訪問なら home のどちらか一方を書いてください",
                "give exactly one: `stop` for a visit at a stop, `home` for a home visit",
            ),
        )
    }

    pub fn empty_text(path: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1020,
            path,
            Text::new("空の文字列です", "empty text"),
            Text::new("空でない値を書いてください", "write a non-empty value"),
        )
    }

    /// A warning: the place lies `km` outside the data set's boundary.
    pub fn far_outside(path: &str, km: f64) -> Diagnostic {
        Diagnostic::new(
            Code::W2001,
            path,
            Text::new(
                format!("市の境界から {km:.1} km 外れた位置です"),
                format!("{km:.1} km outside the city boundary"),
            ),
            Text::new(
                "経度・緯度を確かめてください（市外の場所なら問題ありません）",
                "check the longitude and latitude (fine for a place outside the city)",
            ),
        )
    }

    pub fn no_window(path: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1024,
            path,
            Text::new("どの曜日にも開いている時間帯がありません", "the place is not open on any weekday"),
            Text::new(
                "windows に開いている時間帯を書くか、訪問しない場所なら削除してください",
                "give its opening windows, or remove a place that is never visited",
            ),
        )
    }

    pub fn no_hours(path: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1024,
            path,
            Text::new("どの曜日にも対応時間がありません", "the person works on no weekday"),
            Text::new(
                "オンラインで対応できる時間帯を1つ以上書いてください",
                "give the hours in which they take sessions",
            ),
        )
    }

    /// A service kind needs a kind of remote person that `remote_staff` does not have.
    pub fn no_remote_staff(path: &str, kind: &str, known: &[String]) -> Diagnostic {
        let list = if known.is_empty() { "—".to_string() } else { known.join(", ") };
        let list_ja =
            if known.is_empty() { "なし".to_string() } else { known.iter().map(|k| format!("「{k}」")).collect() };
        Diagnostic::new(
            Code::E1028,
            path,
            Text::new(
                format!("種類「{kind}」のオンライン対応者がいません"),
                format!("remote_staff has nobody of kind `{kind}`"),
            ),
            Text::new(
                format!("オンライン対応者の一覧に加えるか、登録済みの種類を使ってください（{list_ja}）"),
                format!("add them to remote_staff or use a kind it has: {list}"),
            ),
        )
    }

    /// A remote person who cannot hold the sessions asked for: of another kind than the
    /// service needs (`service` given), or for a class.
    pub fn remote_mismatch(path: &str, person_kind: &str, service: Option<&str>) -> Diagnostic {
        let (cause, hint) = match service {
            Some(s) => (
                Text::new(
                    format!("種類「{person_kind}」の対応者はサービス「{s}」を担当できません"),
                    format!("a person of kind `{person_kind}` cannot hold sessions of service `{s}`"),
                ),
                Text::new(
                    "サービスが必要とする種類の対応者を指定してください",
                    "name a person of the kind the service needs",
                ),
            ),
            None => (
                Text::new("教室（定員制）にはオンライン対応者を付けられません", "a class has no remote sessions"),
                Text::new("オンライン対応の種類の指定を削除してください", "remove remote_kind"),
            ),
        };
        Diagnostic::new(Code::E1029, path, cause, hint)
    }

    /// `other`: where else the id is used, in Japanese and English.
    pub fn id_shared(path: &str, id: &str, other: [&str; 2]) -> Diagnostic {
        Diagnostic::new(
            Code::E1025,
            path,
            Text::new(
                format!("ID「{id}」は{}でも使われています", other[0]),
                format!("id `{id}` is also used by {}", other[1]),
            ),
            Text::new("拠点と訪問先には別々のIDを付けてください", "give depots and stops different ids"),
        )
    }

    pub fn bad_id(path: &str, id: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1026,
            path,
            Text::new(
                format!("ID「{id}」に使えない文字があります"),
                format!("id `{id}` has characters an id may not have"),
            ),
            Text::new(
                "英数字と「.」「_」「-」だけを使い、先頭を「.」にしないでください（例:「F001」「iryo-1」）",
                "use only letters A–Z, a–z, digits and . _ -, not starting with . (e.g. F001, iryo-1)",
            ),
        )
    }

    /// A text or list longer than its limit: `unit` names what is counted (characters, items).
    pub fn too_long(path: &str, length: usize, max: usize, unit: [&str; 2]) -> Diagnostic {
        Diagnostic::new(
            Code::E1030,
            path,
            Text::new(
                format!("長すぎます（{length}{}、上限は{max}{}）", unit[0], unit[0]),
                format!("too long ({length} {}; at most {max})", unit[1]),
            ),
            Text::new(format!("{max}{}以内にしてください", unit[0]), format!("keep it to {max} {} or fewer", unit[1])),
        )
    }

    pub fn control_characters(path: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1027,
            path,
            Text::new(
                "制御文字（ヌル文字、改行とタブ以外の制御コード、文字の向きを変える記号）が含まれています",
                "the text has control characters (NUL, control codes other than line breaks, or direction overrides)",
            ),
            Text::new("見える文字だけにしてください", "keep only visible characters"),
        )
    }

    /// A file that cannot be read: text that is not UTF-8 gets its own hint.
    pub fn read_failed(path: &str, e: &std::io::Error) -> Diagnostic {
        if e.kind() != std::io::ErrorKind::InvalidData {
            return Diagnostic::unreadable(path, e);
        }
        Diagnostic::new(
            Code::E1021,
            path,
            Text::new("文字コードが UTF-8 ではありません", "the file is not UTF-8 text"),
            Text::new(
                "UTF-8 で保存し直してください（Excel では「CSV UTF-8」、メモ帳では「UTF-8」を選びます）",
                "save it again as UTF-8 (in Excel choose \"CSV UTF-8\", in Notepad \"UTF-8\")",
            ),
        )
    }

    /// The system's own English text of `e` goes only into the English message.
    pub fn unreadable(path: &str, e: &std::io::Error) -> Diagnostic {
        use std::io::ErrorKind;
        let ja = match e.kind() {
            ErrorKind::NotFound => "ファイルがありません",
            ErrorKind::PermissionDenied => "ファイルを読む権限がありません",
            ErrorKind::IsADirectory => "ファイルではなくフォルダです",
            _ => "ファイルを読めません",
        };
        Diagnostic::new(
            Code::E1021,
            path,
            Text::new(ja, format!("cannot read the file ({e})")),
            Text::new(
                "パスを確認してください。データフォルダには problem.json が必要です",
                "check the path; a data folder needs a problem.json",
            ),
        )
    }

    /// A line of an imported table that is not CSV (an unclosed quote); the parser's
    /// English detail goes only into the English message.
    pub fn unreadable_table(path: &str, detail: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1021,
            path,
            Text::new(
                "表として読めません（引用符の対応を確認してください）",
                format!("not a readable table line ({detail})"),
            ),
            Text::new(
                "Excel では「CSV UTF-8」で保存するか、セルを選んで貼り付けてください",
                "in Excel, save as \"CSV UTF-8\", or copy and paste the cells",
            ),
        )
    }

    /// `what` (English) says what the line lacks; the Japanese message names the line.
    pub fn bad_instance(file: &str, line: usize, what: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E1022,
            &format!("{file}: line {line}"),
            Text::new(
                format!("ベンチマーク問題として読めません（{line}行目の形式が違います）"),
                format!("not a readable benchmark instance ({what})"),
            ),
            Text::new(
                "Solomon・VRPLIB（「junkai vrptw」）または Cordeau（「junkai pvrp」）形式のファイルを指定してください（docs/BENCHMARKS.md）",
                "give a Solomon or VRPLIB instance (vrptw) or a Cordeau one (pvrp); see docs/BENCHMARKS.md",
            ),
        )
    }

    pub fn plan_mismatch(path: &str, what: Mismatch) -> Diagnostic {
        let cause = match what {
            Mismatch::NotAPlan(detail) => Text::new(
                "「junkai plan」が出力した plan.json として読めません",
                format!("not a plan.json written by `junkai plan` ({detail})"),
            ),
            Mismatch::NotAWorkingDay(date) => Text::new(
                format!("{date} は計画期間の運行日ではありません"),
                format!("{date} is not a working day of the horizon"),
            ),
            Mismatch::UnknownVehicle(id) => {
                Text::new(format!("車両「{id}」がデータにありません"), format!("no vehicle `{id}` in the data"))
            }
            Mismatch::UnknownStop(id) => {
                Text::new(format!("訪問先「{id}」がデータにありません"), format!("no stop `{id}` in the data"))
            }
            Mismatch::BadWindow(w) => {
                Text::new(format!("公開時間枠「{w}」が読めません"), format!("published window `{w}` is not a window"))
            }
        };
        Diagnostic::new(
            Code::E1023,
            path,
            cause,
            Text::new(
                "計画を作ったときと同じデータ（--data）で再計画するか、「junkai plan」で計画を作り直してください",
                "re-plan against the data the plan was made from (same --data), or make a new plan with `junkai plan`",
            ),
        )
    }

    pub fn bad_road_source(file: &str, detail: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E2020,
            file,
            Text::new("道路データとして読めません", format!("not a usable road source ({detail})")),
            Text::new(
                "OpenStreetMap の .osm.pbf か、LineString の GeoJSON を指定してください",
                "give an OpenStreetMap .osm.pbf extract or a GeoJSON FeatureCollection of LineStrings",
            ),
        )
    }

    pub fn corrupt_road_file(file: &str, reason: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E2013,
            file,
            Text::new("道路ファイルが壊れています", format!("the road file is damaged ({reason})")),
            Text::new("「junkai roads import」で作り直してください", "re-create it with `junkai roads import`"),
        )
    }

    pub fn stop_far_from_road(path: &str, name: &str, offset_m: f64, limit_m: f64) -> Diagnostic {
        Diagnostic::new(
            Code::E2101,
            path,
            Text::new(
                format!("「{name}」は最寄りの道路から {offset_m:.0} m 離れています（上限 {limit_m:.0} m）"),
                format!("`{name}` is {offset_m:.0} m from the nearest road (limit {limit_m:.0} m)"),
            ),
            Text::new(
                "座標を確認するか、その地域を含む道路データを取り込んでください",
                "check its position, or import road data that covers it",
            ),
        )
    }

    pub fn stop_cut_off(path: &str, name: &str) -> Diagnostic {
        Diagnostic::new(
            Code::E2102,
            path,
            Text::new(
                format!("「{name}」は他の地点とつながらない道路上にあります"),
                format!("`{name}` lies on roads cut off from the other places"),
            ),
            Text::new(
                "一方通行や道路データの範囲（--clip）を確認してください",
                "check one-way streets and the extent of the road data (--clip)",
            ),
        )
    }

    pub fn year_unsupported(path: &str, year: i32) -> Diagnostic {
        Diagnostic::new(
            Code::E3001,
            path,
            Text::new(format!("{year}年の祝日表はありません"), format!("no holiday table for {year}")),
            Text::new("2020年〜2099年の日付にしてください", "use a date between 2020 and 2099"),
        )
    }

    pub fn weeks_out_of_range(path: &str, weeks: i64) -> Diagnostic {
        Diagnostic::new(
            Code::E3002,
            path,
            Text::new(
                format!("計画週数 {weeks} は範囲外です"),
                format!("{weeks} weeks is outside the supported horizon"),
            ),
            Text::new("1〜8週を指定してください", "plan 1 to 8 weeks"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_documented_example() {
        let d = Diagnostic::window_reversed("stops[12].windows.mon[0]", "10:00", "09:00");
        assert_eq!(
            d.render(Lang::En),
            "E1003 stops[12].windows.mon[0]: end 09:00 is before start 10:00 — swap them or remove the window"
        );
        assert!(d.render(Lang::Ja).starts_with("E1003 stops[12].windows.mon[0]: 終了 09:00"));
    }

    #[test]
    fn swapped_coordinates_get_a_specific_hint() {
        let d = Diagnostic::bad_coordinates("stops[0]", 36.5, 139.3);
        assert!(d.hint.en.contains("swapped"));
    }
}
