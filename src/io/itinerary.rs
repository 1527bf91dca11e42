//! The crew's itinerary for one vehicle and day, in Markdown (Japanese first): stops in
//! order with times, the requests to handle with residents' names (the crew needs them:
//! this document is confidential and never published), what to bring, and map links.

use std::fmt::Write;

use super::plan_view::{DayView, PlanView, RouteView};
use super::problem_file::Dataset;
use crate::lang::Lang;

/// File name of an itinerary, e.g. `itinerary-2026-12-07-gyosei-1.md`.
pub fn file_name(day: &DayView, route: &RouteView) -> String {
    let safe: String =
        route.vehicle_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("itinerary-{}-{safe}.md", day.date)
}

/// The items to bring for a route's services, each once, in order of first need.
pub fn what_to_bring<'a>(data: &'a Dataset, route: &RouteView) -> Vec<&'a str> {
    let mut bring: Vec<&str> = Vec::new();
    let p = &data.problem;
    for r in route.visits.iter().flat_map(|v| &v.requests) {
        if let Some(k) = p.kinds().iter().position(|k| k.id == r.kind) {
            for item in &data.kinds[k].bring {
                if !bring.contains(&item.as_str()) {
                    bring.push(item);
                }
            }
        }
    }
    bring
}

/// A link to the GSI map (地理院地図) at a position.
pub fn gsi_link(lat: f64, lon: f64) -> String {
    format!("https://maps.gsi.go.jp/#16/{lat:.6}/{lon:.6}/")
}

/// Labels in the two languages.
struct Labels {
    title: &'static str,
    sample: &'static str,
    depart: &'static str,
    back: &'static str,
    lunch: &'static str,
    after: &'static str,
    table: &'static str,
    details: &'static str,
    bring: &'static str,
    map: &'static str,
    home: &'static str,
    none: &'static str,
    online: &'static str,
    /// Opening and closing brackets around an aside.
    aside: (&'static str, &'static str),
}

const JA: Labels = Labels {
    title: "運行表",
    sample: "この運行表はサンプルデータ（架空の予約）を含みます。",
    depart: "出発",
    back: "帰着",
    lunch: "昼休憩",
    after: "訪問先",
    table: "| 順 | 到着 | 滞在 | 訪問先 | 住所 | 用件 |\n|---|---|---|---|---|---|",
    details: "予約の詳細（個人情報・取扱注意）",
    bring: "持ち物",
    map: "地図（地理院地図）",
    home: "自宅訪問",
    none: "予約なし（定期訪問）",
    online: "オンライン",
    aside: ("（", "）"),
};

const EN: Labels = Labels {
    title: "Itinerary",
    sample: "This itinerary contains sample data (fictitious bookings).",
    depart: "Leave",
    back: "Back",
    lunch: "Lunch",
    after: "after stop",
    table: "| # | Arrive | On site | Stop | Address | Services |\n|---|---|---|---|---|---|",
    details: "Booking details (personal data — confidential)",
    bring: "What to bring",
    map: "Map links (GSI)",
    home: "home visit",
    none: "no bookings (regular visit)",
    online: "video call",
    aside: (" (", ")"),
};

/// Who to call for a remote session, and when: ` — オンライン 10:25–10:55 医師A（内科クリニックA、000-…）`.
fn session_line(l: &Labels, s: &super::plan_view::SessionView) -> String {
    let reach =
        [s.organisation.as_str(), s.contact.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>();
    let reach =
        if reach.is_empty() { String::new() } else { format!("{}{}{}", l.aside.0, reach.join(", "), l.aside.1) };
    format!(" — {} {}–{} {}{reach}", l.online, s.start, s.end, s.remote_name)
}

pub fn itinerary(data: &Dataset, view: &PlanView, day: &DayView, route: &RouteView, lang: Lang) -> String {
    let l = if lang == Lang::Ja { &JA } else { &EN };
    let mut md = String::new();
    let _ = writeln!(md, "# {} {}({}) {}\n", l.title, day.date, day.weekday, route.vehicle_name);
    if view.sample_requests {
        let _ = writeln!(md, "> {}\n", l.sample);
    }
    let _ = writeln!(md, "- {}: {} {}", l.depart, route.depot_name, route.departure);
    let _ = writeln!(md, "- {}: {} {} ({} km)", l.back, route.depot_name, route.return_time, route.distance_km);
    if let Some(lunch) = &route.lunch {
        let after = lunch.after_visit;
        let place = route.visits.get(after.saturating_sub(1)).map_or("", |v| v.name.as_str());
        let _ = writeln!(md, "- {}: {}–{} ({} {after}: {place})", l.lunch, lunch.start, lunch.end, l.after);
    }
    let _ = writeln!(md, "\n{}", l.table);
    for (i, v) in route.visits.iter().enumerate() {
        let mut services: Vec<String> = Vec::new();
        for r in &v.requests {
            if !services.contains(&r.kind_name) {
                services.push(r.kind_name.clone());
            }
        }
        let what = if services.is_empty() { l.none.to_string() } else { services.join("・") };
        let name = if v.stop_id.is_none() { l.home } else { v.name.as_str() };
        let _ = writeln!(
            md,
            "| {} | {} | {}–{} | {} | {} | {} ({}) |",
            i + 1,
            v.arrival,
            v.start,
            v.end,
            name,
            v.address,
            what,
            v.requests.len()
        );
    }
    let _ = writeln!(md, "\n## {}\n", l.details);
    for (i, v) in route.visits.iter().enumerate().filter(|(_, v)| !v.requests.is_empty()) {
        let _ =
            writeln!(md, "### {}. {} {}–{}", i + 1, if v.stop_id.is_none() { l.home } else { &v.name }, v.start, v.end);
        for r in &v.requests {
            let who = [r.contact.name.as_str(), r.contact.phone.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" / ");
            let _ = writeln!(
                md,
                "- {} {} {}分 — {}{}{}",
                r.id,
                r.kind_name,
                r.minutes,
                who,
                if r.contact.note.is_empty() { String::new() } else { format!(" ({})", r.contact.note) },
                v.sessions.iter().find(|s| s.request_id == r.id).map_or(String::new(), |s| session_line(l, s))
            );
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "## {}\n", l.bring);
    for item in what_to_bring(data, route) {
        let _ = writeln!(md, "- [ ] {item}");
    }
    let _ = writeln!(md, "\n## {}\n", l.map);
    for (i, v) in route.visits.iter().enumerate() {
        let name = if v.stop_id.is_none() { l.home } else { v.name.as_str() };
        let _ = writeln!(md, "{}. [{}]({})", i + 1, name, gsi_link(v.location.lat, v.location.lon));
    }
    let _ = writeln!(md, "\n---\n{}", view.credits.join(" / "));
    md
}
