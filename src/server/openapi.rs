//! The OpenAPI 3.1 document (`/api/openapi.json`), built from one table of the routes;
//! a test checks the table against the router.

use axum::Json;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use utoipa::openapi::{RefOr, Schema};

use super::answers;
use super::crew_records::Batch;
use super::error::ErrorBody;
use super::plan_routes::{PlanBody, ReplanBody};
use super::store::AuditEntry;
use crate::io::problem_file::{RequestEntry, StopEntry, UnitEntry};

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Public,
    /// Viewers, planners and admins (no personal data).
    Viewer,
    /// Planners and admins.
    Planner,
    Driver,
    /// Remote staff (a doctor, pharmacist, counsellor): their own sessions.
    Remote,
    Admin,
}

/// One documented operation: method, path, role, summary.
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub role: Role,
    pub summary: &'static str,
}

const fn op(method: &'static str, path: &'static str, role: Role, summary: &'static str) -> Operation {
    Operation { method, path, role, summary }
}

/// Every route of the service.
pub const OPERATIONS: &[Operation] = &[
    op("get", "/api/health", Role::Public, "Liveness"),
    op("get", "/api/openapi.json", Role::Public, "This document"),
    op("get", "/api/public/stops", Role::Public, "Stops with their next visits"),
    op("get", "/api/public/stops/{id}/visits", Role::Public, "A stop's visits (?from=&to=, YYYY-MM-DD)"),
    op("get", "/api/public/stops/{id}/calendar.ics", Role::Public, "A stop's visits as iCalendar (Asia/Tokyo)"),
    op("get", "/api/public/search", Role::Public, "Stops by name, reading (kana) or district (?q=)"),
    op("get", "/api/public/map.geojson", Role::Public, "The published plan's map (no private data)"),
    op("get", "/api/public/gtfs.zip", Role::Public, "The published timetable as a GTFS feed (GTFS-JP readings)"),
    op("get", "/api/stops", Role::Viewer, "List stops"),
    op("post", "/api/stops", Role::Planner, "Create a stop (validated like problem.json)"),
    op("get", "/api/stops/{id}", Role::Viewer, "Read a stop"),
    op("put", "/api/stops/{id}", Role::Planner, "Replace a stop"),
    op("delete", "/api/stops/{id}", Role::Planner, "Delete a stop"),
    op("get", "/api/units", Role::Viewer, "List units"),
    op("post", "/api/units", Role::Planner, "Create a unit"),
    op("get", "/api/units/{id}", Role::Viewer, "Read a unit"),
    op("put", "/api/units/{id}", Role::Planner, "Replace a unit"),
    op("delete", "/api/units/{id}", Role::Planner, "Delete a unit"),
    op("get", "/api/requests", Role::Planner, "List requests (private data)"),
    op("post", "/api/requests", Role::Planner, "Create a request"),
    op("get", "/api/requests/{id}", Role::Planner, "Read a request"),
    op("put", "/api/requests/{id}", Role::Planner, "Replace a request"),
    op("delete", "/api/requests/{id}", Role::Planner, "Cancel (delete) a request"),
    op("get", "/api/plans", Role::Viewer, "Plan versions with status and progress"),
    op(
        "post",
        "/api/plans",
        Role::Planner,
        "Start a solve in the background ({week, weeks, seed}); 202, or 429 when busy",
    ),
    op("get", "/api/plans/{id}", Role::Viewer, "Status, progress, KPIs, errors"),
    op("get", "/api/plans/{id}/plan.json", Role::Viewer, "The plan document (format junkai-plan)"),
    op(
        "get",
        "/api/plans/{id}/review",
        Role::Planner,
        "Before publishing: the announced visits it moves or drops with why, moved bookings, shortfalls",
    ),
    op("post", "/api/plans/{id}/publish", Role::Planner, "Publish a draft (the previous one is superseded)"),
    op("post", "/api/replan", Role::Planner, "Re-plan around the published plan ({full, seed}); 202"),
    op("get", "/api/unserved", Role::Viewer, "Unserved requests with reasons"),
    op("get", "/api/audit", Role::Planner, "Audit log (who changed what)"),
    op("get", "/api/driver/days", Role::Driver, "The unit's working dates in the published plan"),
    op("get", "/api/driver/records", Role::Driver, "A day's crew records and each slot's current value (?date=&unit=)"),
    op("post", "/api/driver/records", Role::Driver, "Crew records from the phone: stored once per client_id"),
    op("get", "/api/follow-ups", Role::Planner, "No-shows and wishes for another date waiting for a planner"),
    op("post", "/api/follow-ups/{request}/{date}/confirm", Role::Planner, "Book a follow-up again as a linked request"),
    op("post", "/api/follow-ups/{request}/{date}/dismiss", Role::Planner, "Dismiss a follow-up"),
    op("get", "/api/report", Role::Viewer, "The month's planned against actual (?month=YYYY-MM&district=)"),
    op("get", "/api/driver/itinerary", Role::Driver, "The unit's itinerary (?date=YYYY-MM-DD)"),
    op("get", "/api/remote/sessions", Role::Remote, "The remote person's sessions in the published plan"),
    op("get", "/api/remote/calendar.ics", Role::Remote, "The remote person's sessions as iCalendar"),
];

/// A query parameter: name, whether it is required, and its JSON-schema string format
/// (`date` for `YYYY-MM-DD`; empty for free text).
type Query = (&'static str, bool, &'static str);

/// The query parameters of the operations that take them, by method and path.
const QUERIES: &[(&str, &str, &[Query])] = &[
    ("get", "/api/public/stops/{id}/visits", &[("from", false, "date"), ("to", false, "date")]),
    ("get", "/api/public/search", &[("q", false, "")]),
    ("get", "/api/driver/itinerary", &[("date", false, "date")]),
    ("get", "/api/driver/records", &[("date", true, "date"), ("unit", true, "")]),
    ("get", "/api/report", &[("month", false, ""), ("district", false, "")]),
];

/// The operation's path and query parameters.
fn parameters(o: &Operation) -> Vec<Value> {
    let path =
        o.path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).map(|name| {
            // Plan versions are numbered; every other id is text.
            let kind = if o.path.starts_with("/api/plans/") { "integer" } else { "string" };
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": kind } })
        });
    let queries = QUERIES.iter().filter(|(m, p, _)| *m == o.method && *p == o.path).flat_map(|(_, _, q)| q.iter());
    let query = queries.map(|&(name, required, format)| {
        let schema =
            if format.is_empty() { json!({ "type": "string" }) } else { json!({ "type": "string", "format": format }) };
        json!({ "name": name, "in": "query", "required": required, "schema": schema })
    });
    path.chain(query).collect()
}

/// A JSON body: one value of a schema in `components.schemas`, or a list of them.
#[derive(Clone, Copy)]
enum Shape {
    One(&'static str),
    List(&'static str),
}

impl Shape {
    fn schema(self) -> Value {
        let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
        match self {
            Shape::One(name) => reference(name),
            Shape::List(name) => json!({ "type": "array", "items": reference(name) }),
        }
    }
}

/// The typed bodies by method and path: what the operation takes, and what it answers on
/// success. Operations not listed take a JSON object and answer as docs/API.md says.
const BODIES: &[(&str, &str, Option<Shape>, Option<Shape>)] = &[
    ("get", "/api/health", None, Some(Shape::One("Health"))),
    ("get", "/api/public/stops/{id}/visits", None, Some(Shape::One("StopVisits"))),
    ("get", "/api/plans", None, Some(Shape::List("PlanAnswer"))),
    ("post", "/api/plans", Some(Shape::One("PlanBody")), Some(Shape::One("PlanAnswer"))),
    ("get", "/api/plans/{id}", None, Some(Shape::One("PlanAnswer"))),
    ("post", "/api/plans/{id}/publish", None, Some(Shape::One("PlanAnswer"))),
    ("post", "/api/replan", Some(Shape::One("ReplanBody")), Some(Shape::One("PlanAnswer"))),
    ("get", "/api/unserved", None, Some(Shape::One("UnservedAnswer"))),
    ("get", "/api/audit", None, Some(Shape::List("AuditEntry"))),
    ("get", "/api/driver/days", None, Some(Shape::One("DriverDays"))),
    ("get", "/api/driver/records", None, Some(Shape::One("DayRecords"))),
    ("post", "/api/driver/records", Some(Shape::One("RecordBatch")), Some(Shape::One("RecordResults"))),
    ("get", "/api/follow-ups", None, Some(Shape::One("FollowUps"))),
    ("post", "/api/follow-ups/{request}/{date}/confirm", None, Some(Shape::One("Created"))),
    ("get", "/api/remote/sessions", None, Some(Shape::One("RemoteSessions"))),
    ("get", "/api/stops", None, Some(Shape::List("StopEntry"))),
    ("post", "/api/stops", Some(Shape::One("StopEntry")), Some(Shape::One("StopEntry"))),
    ("get", "/api/stops/{id}", None, Some(Shape::One("StopEntry"))),
    ("put", "/api/stops/{id}", Some(Shape::One("StopEntry")), Some(Shape::One("StopEntry"))),
    ("get", "/api/units", None, Some(Shape::List("UnitEntry"))),
    ("post", "/api/units", Some(Shape::One("UnitEntry")), Some(Shape::One("UnitEntry"))),
    ("get", "/api/units/{id}", None, Some(Shape::One("UnitEntry"))),
    ("put", "/api/units/{id}", Some(Shape::One("UnitEntry")), Some(Shape::One("UnitEntry"))),
    ("get", "/api/requests", None, Some(Shape::List("RequestEntry"))),
    ("post", "/api/requests", Some(Shape::One("RequestEntry")), Some(Shape::One("RequestEntry"))),
    ("get", "/api/requests/{id}", None, Some(Shape::One("RequestEntry"))),
    ("put", "/api/requests/{id}", Some(Shape::One("RequestEntry")), Some(Shape::One("RequestEntry"))),
];

fn bodies(o: &Operation) -> (Option<Shape>, Option<Shape>) {
    BODIES.iter().find(|(m, p, ..)| *m == o.method && *p == o.path).map_or((None, None), |&(_, _, t, a)| (t, a))
}

/// The schemas of the typed bodies, generated from their serde types (with the types
/// they contain).
fn schemas() -> Map<String, Value> {
    fn add<T: ToSchema>(list: &mut Vec<(String, RefOr<Schema>)>) {
        T::schemas(list);
        list.push((T::name().into_owned(), T::schema()));
    }
    let mut list = Vec::new();
    add::<StopEntry>(&mut list);
    add::<UnitEntry>(&mut list);
    add::<RequestEntry>(&mut list);
    add::<ErrorBody>(&mut list);
    add::<answers::Health>(&mut list);
    add::<answers::StopVisits<'static>>(&mut list);
    add::<answers::PlanAnswer>(&mut list);
    add::<PlanBody>(&mut list);
    add::<ReplanBody>(&mut list);
    add::<answers::UnservedAnswer>(&mut list);
    add::<AuditEntry>(&mut list);
    add::<answers::DriverDays>(&mut list);
    add::<answers::DayRecords>(&mut list);
    add::<Batch>(&mut list);
    add::<answers::RecordResults>(&mut list);
    add::<answers::FollowUps>(&mut list);
    add::<answers::Created>(&mut list);
    add::<answers::RemoteSessions>(&mut list);
    list.into_iter().map(|(name, schema)| (name, serde_json::to_value(schema).expect("a schema is JSON"))).collect()
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": json_content(Shape::One("ErrorBody").schema()) })
}

/// The answer of a call that succeeds: 201 for a created entry, 202 for a solve started in
/// the background, 204 for a deletion or dismissal, else 200.
fn success(o: &Operation) -> (&'static str, &'static str) {
    let creates = ["/api/stops", "/api/units", "/api/requests", "/api/follow-ups/{request}/{date}/confirm"];
    match o.method {
        "post" if creates.contains(&o.path) => ("201", "Created"),
        "post" if ["/api/plans", "/api/replan"].contains(&o.path) => {
            ("202", "Accepted: the solve runs in the background")
        }
        "delete" => ("204", "Done"),
        "post" if o.path.ends_with("/dismiss") => ("204", "Done"),
        _ => ("200", "OK"),
    }
}

/// Every answer an operation gives besides success: bad input, a missing entry, a
/// conflict with the state (announced visits, a plan not finished, a running solve), a
/// body too large or not JSON, and rate limits.
fn responses(o: &Operation) -> Value {
    let (code, text) = success(o);
    let mut r = Map::new();
    let answer = match bodies(o).1 {
        Some(shape) => json!({ "description": text, "content": json_content(shape.schema()) }),
        None => json!({ "description": text }),
    };
    r.insert(code.into(), answer);
    r.insert("400".into(), error_response("Bad request"));
    r.insert("404".into(), error_response("No such entry (or not yours)"));
    r.insert("422".into(), error_response("Invalid data (coded problems)"));
    if o.method != "get" || o.path.starts_with("/api/plans/") {
        r.insert("409".into(), error_response("Conflicts with the current state (see the message)"));
    }
    if matches!(o.method, "post" | "put") {
        r.insert("413".into(), error_response("Body too large"));
        r.insert("415".into(), error_response("Body is not JSON"));
    }
    r.insert("429".into(), error_response("Too many requests, or another solve is running"));
    if o.role != Role::Public {
        r.insert("401".into(), error_response("Not signed in, or no valid token"));
        r.insert("403".into(), error_response("Wrong role"));
    }
    Value::Object(r)
}

/// The document.
pub fn build() -> Value {
    let mut paths = Map::new();
    for o in OPERATIONS {
        let mut operation = json!({
            "summary": o.summary,
            "tags": [format!("{:?}", o.role).to_lowercase()],
            "responses": responses(o),
        });
        if matches!(o.method, "post" | "put") {
            match bodies(o).0 {
                Some(shape) => {
                    // A solve's options may be left out altogether.
                    let required = !["/api/plans", "/api/replan"].contains(&o.path);
                    operation["requestBody"] = json!({ "required": required, "content": json_content(shape.schema()) });
                }
                None => {
                    let object = json_content(json!({ "type": "object" }));
                    operation["requestBody"] = json!({ "required": false, "content": object });
                }
            }
        }
        if o.role != Role::Public {
            operation["security"] = json!([{ "apiToken": [] }, { "session": [] }]);
        }
        let params = parameters(o);
        if !params.is_empty() {
            operation["parameters"] = Value::Array(params);
        }
        let entry = paths.entry(o.path.to_string()).or_insert_with(|| json!({}));
        entry[o.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "junkai (巡回) API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Weekly routes and timetables for mobile public services. Errors share {code, message, hint}." },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "apiToken": { "type": "http", "scheme": "bearer", "description": "A per-account API token (junkai users token, or the account page)" },
                "session": { "type": "apiKey", "in": "cookie", "name": "junkai_session", "description": "A signed-in session; state-changing requests also need X-CSRF-Token" }
            },
            "schemas": schemas()
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_references(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                out.extend(map.get("$ref").and_then(Value::as_str).map(String::from));
                map.values().for_each(|x| collect_references(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| collect_references(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_query_belongs_to_an_operation_and_shows_in_the_document() {
        let doc = build();
        for (method, path, queries) in QUERIES {
            assert!(OPERATIONS.iter().any(|o| o.method == *method && o.path == *path), "{method} {path}");
            let params = doc["paths"][*path][*method]["parameters"].as_array().cloned().unwrap_or_default();
            for (name, _, _) in *queries {
                assert!(params.iter().any(|p| p["name"] == *name && p["in"] == "query"), "{path}: {name}");
            }
        }
        assert!(doc["paths"]["/api/plans"]["post"]["responses"]["202"]["description"].is_string());
        for (method, path, ..) in BODIES {
            assert!(OPERATIONS.iter().any(|o| o.method == *method && o.path == *path), "{method} {path}");
        }
        let schemas = &doc["components"]["schemas"];
        let mut references = Vec::new();
        collect_references(&doc, &mut references);
        assert!(references.len() > 40, "bodies and error answers refer to schemas");
        for r in references {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(&r);
            assert!(schemas[name].is_object(), "{r} is in components");
        }
        let plan = &doc["paths"]["/api/plans/{id}"]["get"];
        assert_eq!(plan["parameters"][0]["schema"]["type"], "integer");
        let answer = &plan["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(answer, "#/components/schemas/PlanAnswer");
        let request = &schemas["RequestEntry"];
        assert_eq!(request["required"], json!(["id", "kind", "earliest", "latest"]), "{request}");
        assert_eq!(request["properties"]["earliest"]["format"], "date");
        assert_eq!(request["properties"]["note"]["type"], "string", "the reader refuses null: not nullable");
        assert!(schemas["Channel"]["enum"].as_array().is_some_and(|e| e.len() == 3), "{}", schemas["Channel"]);
        assert!(doc["paths"]["/api/stops/{id}"]["delete"]["responses"]["409"].is_object());
    }
}
