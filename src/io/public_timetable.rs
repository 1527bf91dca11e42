//! The public timetable read back from a stored `plan.json`: one entry per visit at a
//! stop (home visits are private and left out), with the announced window, the unit and
//! the services offered — never the requests or who made them; and a stop's public fields.

use super::calendar_identity::EventId;
use serde::{Deserialize, Serialize};

use super::plan_view::PlanView;
use super::problem_file::StopEntry;
use crate::lang::Lang;

/// A stop's public fields (the others, such as its visit rule and closed dates, are not
/// public).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicStop {
    pub id: String,
    pub name: String,
    /// Kana reading (GTFS-JP `ja-Hrkt`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reading: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub district: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// WGS84 degrees.
    pub lon: f64,
    pub lat: f64,
    #[serde(default)]
    pub mountainous: bool,
    /// Service kinds the place can host.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Opening windows by weekday key, as in the problem file.
    #[serde(default)]
    pub windows: std::collections::BTreeMap<String, Vec<[String; 2]>>,
}

impl From<&StopEntry> for PublicStop {
    fn from(s: &StopEntry) -> PublicStop {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        PublicStop {
            id: s.id.clone(),
            name: s.name.clone(),
            reading: text(&s.reading),
            district: text(&s.district),
            address: text(&s.address),
            lon: s.lon,
            lat: s.lat,
            mountainous: s.is_mountainous(),
            hosts: s.hosts.clone(),
            windows: s.windows.clone(),
        }
    }
}

/// A visit as residents see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicVisit {
    pub stop_id: String,
    pub stop_name: String,
    pub date: String,
    pub weekday: String,
    /// The announced window, `HH:MM`.
    pub from: String,
    pub to: String,
    pub unit_id: String,
    pub unit_name: String,
    /// Service names offered on this visit (booked kinds), each once.
    pub services: Vec<String>,
    /// The class held, if any (e.g. 移動スマホ教室).
    pub class: Option<String>,
    /// Services open to everyone without booking on this visit.
    pub walk_in: Vec<String>,
    /// Its calendar identity across published versions (set by the service).
    #[serde(skip)]
    pub event: Option<EventId>,
}

impl PublicVisit {
    /// What the visit offers, in plain words: the booked services and the class, and the
    /// services open without booking only where the unit and the place provide them.
    pub fn offers(&self, lang: Lang) -> String {
        let mut booked = self.services.clone();
        if let Some(c) = self.class.as_ref().filter(|c| !booked.contains(c)) {
            booked.push(c.clone());
        }
        let walk_in: Vec<&String> = self.walk_in.iter().collect();
        let (booked_text, walk_in_text) =
            (booked.join("・"), walk_in.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("・"));
        match (lang, booked.is_empty(), walk_in.is_empty()) {
            (Lang::Ja, true, true) => "ご予約の方への訪問です".to_string(),
            (Lang::En, true, true) => "visit for booked residents only".to_string(),
            (Lang::Ja, false, true) => format!("{booked_text}（ご予約の方）"),
            (Lang::En, false, true) => format!("{booked_text} (booked residents)"),
            (Lang::Ja, true, false) => format!("{walk_in_text}（予約なしでご利用いただけます）"),
            (Lang::En, true, false) => format!("{walk_in_text} (no booking needed)"),
            (Lang::Ja, false, false) => {
                format!("{booked_text}（ご予約の方）・{walk_in_text}（予約なしでご利用いただけます）")
            }
            (Lang::En, false, false) => format!("{booked_text} (booked residents), {walk_in_text} (no booking needed)"),
        }
    }
}

/// Every public visit of a plan, by date and time.
pub fn public_visits(plan: &PlanView) -> Vec<PublicVisit> {
    let mut out = Vec::new();
    for day in &plan.days {
        for route in &day.routes {
            for v in &route.visits {
                let Some(stop_id) = &v.stop_id else { continue };
                let mut services: Vec<String> = Vec::new();
                for r in &v.requests {
                    if !r.kind_name.is_empty() && !services.contains(&r.kind_name) {
                        services.push(r.kind_name.clone());
                    }
                }
                out.push(PublicVisit {
                    stop_id: stop_id.clone(),
                    stop_name: v.name.clone(),
                    date: day.date.to_string(),
                    weekday: day.weekday.clone(),
                    from: v.published.0.clone(),
                    to: v.published.1.clone(),
                    unit_id: route.vehicle_id.clone(),
                    unit_name: route.vehicle_name.clone(),
                    services,
                    class: v.class.as_ref().map(|(_, name)| name.clone()),
                    walk_in: v.walk_in.clone(),
                    event: None,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.date, &a.from, &a.stop_id).cmp(&(&b.date, &b.from, &b.stop_id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(services: &[&str], class: Option<&str>, walk_in: &[&str]) -> PublicVisit {
        let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        PublicVisit {
            stop_id: "s".into(),
            stop_name: "小中集会所".into(),
            date: "2026-12-08".into(),
            weekday: "火".into(),
            from: "10:00".into(),
            to: "11:00".into(),
            unit_id: "iryo-1".into(),
            unit_name: "移動診療車".into(),
            services: owned(services),
            class: class.map(String::from),
            walk_in: owned(walk_in),
            event: None,
        }
    }

    #[test]
    fn walk_in_wording_only_where_walk_ins_are_served() {
        // The medical unit with no bookings carries no counter: no walk-in promise.
        let medical = visit(&[], None, &[]);
        assert!(!medical.offers(Lang::Ja).contains("予約なし"), "{}", medical.offers(Lang::Ja));
        let office = visit(&[], None, &["手続・相談"]);
        assert_eq!(office.offers(Lang::Ja), "手続・相談（予約なしでご利用いただけます）");
        let class = visit(&["手続・相談"], Some("移動スマホ教室"), &["手続・相談"]);
        assert_eq!(
            class.offers(Lang::En),
            "手続・相談・移動スマホ教室 (booked residents), 手続・相談 (no booking needed)"
        );
    }
}
