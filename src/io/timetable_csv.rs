//! The stop timetable as CSV that Excel opens directly: UTF-8 with a byte-order mark,
//! CRLF line ends, one row per visit at a stop (home visits are private and left out),
//! sorted by district, stop and date.

use super::excel_csv::excel_csv;
use super::plan_view::PlanView;
use crate::lang::Lang;

pub fn timetable_csv(view: &PlanView, lang: Lang) -> Vec<u8> {
    let header = match lang {
        Lang::Ja => {
            ["地区", "拠点ID", "拠点名", "住所", "日付", "曜日", "開始", "終了", "車両", "サービス", "予約件数", "教室"]
        }
        Lang::En => [
            "district", "stop_id", "stop", "address", "date", "weekday", "from", "to", "unit", "services", "bookings",
            "class",
        ],
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    for day in &view.days {
        for route in &day.routes {
            for v in &route.visits {
                let Some(stop_id) = &v.stop_id else { continue };
                let mut services: Vec<&str> = v.requests.iter().map(|r| r.kind_name.as_str()).collect();
                services.sort_unstable();
                services.dedup();
                rows.push(vec![
                    v.district.clone(),
                    stop_id.clone(),
                    v.name.clone(),
                    v.address.clone(),
                    day.date.to_string(),
                    day.weekday.clone(),
                    v.published.0.clone(),
                    v.published.1.clone(),
                    route.vehicle_name.clone(),
                    services.join("・"),
                    v.requests.len().to_string(),
                    v.class.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
                ]);
            }
        }
    }
    rows.sort_by(|a, b| (&a[0], &a[1], &a[4], &a[6]).cmp(&(&b[0], &b[1], &b[4], &b[6])));
    excel_csv(&header, &rows)
}
