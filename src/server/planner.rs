//! Planner routes (planner and admin accounts): the data set's stops, units and
//! requests, and the audit log. Plan versions are in `plan_routes.rs`.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::AppState;
use super::auth::{Planner, Viewer};
use super::error::ApiError;
use super::store::{AuditEntry, Entity, RESERVED_FOR_APPLICATIONS, is_application_number};
use crate::diagnostics::Diagnostic;
use crate::io::boundary_check::far_outside;
use crate::io::problem_file::{Dataset, HorizonChoice, RequestEntry, StopEntry, UnitEntry, parse};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/stops", get(list_stops).post(create_stop))
        .route("/api/stops/{id}", get(get_stop).put(put_stop).delete(delete_stop))
        .route("/api/units", get(list_units).post(create_unit))
        .route("/api/units/{id}", get(get_unit).put(put_unit).delete(delete_unit))
        .route("/api/requests", get(list_requests).post(create_request))
        .route("/api/requests/{id}", get(get_request).put(put_request).delete(delete_request))
        .route("/api/audit", get(audit))
}

/// Validates the data set with the change and stores it (one transaction), or 422 with
/// the coded problems. Answers the warnings about the changed item (W2001: far outside
/// the boundary), which do not stop the save.
pub(crate) async fn write(
    state: &AppState,
    who: &str,
    entity: Entity,
    id: &str,
    body: Option<Value>,
) -> Result<Vec<Diagnostic>, ApiError> {
    let Some(body) = body else {
        let _guard = state.jobs.write_lock.lock().await;
        validate(state, entity, id, None).await?;
        if entity == Entity::Request {
            state.store.cancel_request(id, who, "").await?;
        } else {
            state.store.delete(entity, id, who).await?;
        }
        return Ok(Vec::new());
    };
    Ok(save(state, who, entity, id, &body).await?.1)
}

/// [`write`] of `body`: what was stored (written back from its type) and the warnings.
async fn save(
    state: &AppState,
    who: &str,
    entity: Entity,
    id: &str,
    body: &Value,
) -> Result<(Value, Vec<Diagnostic>), ApiError> {
    let _guard = state.jobs.write_lock.lock().await;
    let data = validate(state, entity, id, Some(body)).await?;
    let stored = checked_body(entity, body)?;
    state.store.put(entity, id, &stored, who).await?;
    Ok((stored, warnings_for(state, &data, entity, id)))
}

/// A body the data set accepted, as its type. The reader's rules are stricter than the
/// types', so this fails only on a bug (answered 500 and logged).
fn checked<T: DeserializeOwned>(body: &Value) -> Result<T, ApiError> {
    T::deserialize(body).map_err(|e| ApiError::internal(&format!("a checked body: {e}")))
}

/// A request body the data set accepted, as its type.
pub(crate) fn checked_request(body: &Value) -> Result<RequestEntry, ApiError> {
    checked(body)
}

/// A body of `entity` the data set accepted, as stored: written back from its type.
fn checked_body(entity: Entity, body: &Value) -> Result<Value, ApiError> {
    Ok(match entity {
        Entity::Stop => checked::<StopEntry>(body)?.to_value(),
        Entity::Unit => checked::<UnitEntry>(body)?.to_value(),
        Entity::Request => checked::<RequestEntry>(body)?.to_value(),
    })
}

/// Accepts a pending application as `request` (its number kept): checked like every
/// write, then stored with the application's decision in one transaction; `false` if it
/// was no longer pending.
pub(crate) async fn accept_application(state: &AppState, who: &str, request: &RequestEntry) -> Result<bool, ApiError> {
    let _guard = state.jobs.write_lock.lock().await;
    validate(state, Entity::Request, &request.id, Some(&request.to_value())).await?;
    Ok(state.store.accept_application(request, who).await?)
}

/// Cancels request `id` with a reason (staff only, in the audit log): checked like every
/// write, then deleted with a record of its cancellation (see `store/cancellations.rs`).
pub(crate) async fn cancel_request(state: &AppState, who: &str, id: &str, reason: &str) -> Result<(), ApiError> {
    let _guard = state.jobs.write_lock.lock().await;
    validate(state, Entity::Request, id, None).await?;
    if !state.store.cancel_request(id, who, reason).await? {
        return Err(ApiError::not_found("予約", "request"));
    }
    Ok(())
}

/// The data set with the change, or 422 with the coded problems it would have.
pub(crate) async fn validate(
    state: &AppState,
    entity: Entity,
    id: &str,
    body: Option<&Value>,
) -> Result<Dataset, ApiError> {
    let mut docs = state.store.documents().await?;
    docs.set_entry(entity.json_key(), id, body);
    parse(&docs, HorizonChoice::from_file(state.config.clock.today())).map_err(ApiError::invalid)
}

/// Adds the requests of an imported table (with the line each came from) after checking
/// the data set with all of them, all or none; problems name the table's lines.
pub(crate) async fn import_requests(
    state: &AppState,
    who: &str,
    label: &str,
    rows: Vec<(usize, Value)>,
) -> Result<usize, ApiError> {
    let _guard = state.jobs.write_lock.lock().await;
    let mut docs = state.store.documents().await?;
    let before = docs.push_requests(rows.iter().map(|(_, body)| body.clone()));
    if let Err(problems) = parse(&docs, HorizonChoice::from_file(state.config.clock.today())) {
        let at_line = |d: Diagnostic| {
            let found = rows.iter().enumerate().find_map(|(k, (line, _))| {
                let key = format!("requests[{}]", before + k);
                d.path.find(&key).map(|at| (line, at + key.len()))
            });
            match found {
                Some((line, end)) => Diagnostic { path: format!("{label}: line {line}{}", &d.path[end..]), ..d },
                None => d,
            }
        };
        return Err(ApiError::invalid(problems.into_iter().map(at_line).collect()));
    }
    let requests: Vec<RequestEntry> = rows.iter().map(|(_, body)| checked_request(body)).collect::<Result<_, _>>()?;
    state.store.add_requests(&requests, who).await?;
    Ok(requests.len())
}

/// The boundary warnings that concern the item `id` of `entity` in `data`.
fn warnings_for(state: &AppState, data: &Dataset, entity: Entity, id: &str) -> Vec<Diagnostic> {
    let Some(area) = state.area.as_deref() else { return Vec::new() };
    let path = match entity {
        Entity::Stop => match data.problem.stops().iter().position(|s| s.id == id) {
            Some(i) => format!("stops[{i}]"),
            None => return Vec::new(),
        },
        Entity::Request => format!("requests[{id}]"),
        Entity::Unit => return Vec::new(),
    };
    let mut found = far_outside(data, area, state.config.outside_km);
    found.retain(|d| d.path == path || d.path.starts_with(&format!("{path}.")));
    found
}

/// The warnings as `Junkai-Warning: W2001 stops[3]` headers (code and path; the texts
/// are in `docs/errors.md`).
fn with_warnings(mut response: Response, warnings: &[Diagnostic]) -> Response {
    for w in warnings {
        if let Ok(value) = HeaderValue::from_str(&format!("{} {}", w.code, w.path)) {
            response.headers_mut().append("junkai-warning", value);
        }
    }
    response
}

pub(crate) fn body_id(body: &Value) -> Result<String, ApiError> {
    body.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string).ok_or_else(|| {
        ApiError::bad_request(
            ["本文に id がありません", "the body has no `id`"],
            ["\"id\": \"…\" を入れてください", "add \"id\": \"…\""],
        )
    })
}

/// Requests hold residents' names and phones: every read of them is audited.
async fn audit_if_personal(state: &AppState, who: &str, entity: Entity, target: &str) -> Result<(), ApiError> {
    if entity == Entity::Request {
        state.store.audit_read(who, target, "api").await?;
    }
    Ok(())
}

async fn list(state: &AppState, who: &str, entity: Entity) -> Result<Json<Value>, ApiError> {
    audit_if_personal(state, who, entity, "requests").await?;
    Ok(Json(match entity {
        Entity::Stop => json!(state.store.stops().await?),
        Entity::Unit => json!(state.store.units().await?),
        Entity::Request => json!(state.store.requests().await?),
    }))
}

async fn get_one(state: &AppState, entity: Entity, id: &str) -> Result<Json<Value>, ApiError> {
    let what = match entity {
        Entity::Stop => ("訪問先", "stop"),
        Entity::Unit => ("車両", "unit"),
        Entity::Request => ("予約", "request"),
    };
    let found = match entity {
        Entity::Stop => state.store.stop(id).await?.map(|x| x.to_value()),
        Entity::Unit => state.store.unit(id).await?.map(|x| x.to_value()),
        Entity::Request => state.store.request(id).await?.map(|x| x.to_value()),
    };
    found.map(Json).ok_or_else(|| ApiError::not_found(what.0, what.1))
}

async fn create(state: &AppState, who: &str, entity: Entity, mut body: Value) -> Result<Response, ApiError> {
    object_body(&mut body)?;
    let id = body_id(&body)?;
    if entity == Entity::Request && is_application_number(&id) {
        return Err(ApiError::conflict(RESERVED_FOR_APPLICATIONS, ["別の番号にしてください", "use another id"]));
    }
    if state.store.exists(entity, &id).await? {
        return Err(ApiError::conflict(
            ["同じ id が既にあります", "an entity with this id exists"],
            ["別の id にするか PUT で更新してください", "use another id, or PUT to update"],
        ));
    }
    let (stored, warnings) = save(state, who, entity, &id, &body).await?;
    Ok(with_warnings((StatusCode::CREATED, Json(stored)).into_response(), &warnings))
}

/// The body of a create or update: a JSON object (a string, number or list is refused).
fn object_body(body: &mut Value) -> Result<&mut serde_json::Map<String, Value>, ApiError> {
    body.as_object_mut().ok_or_else(|| {
        ApiError::bad_request(
            ["本文は JSON のオブジェクト（{…}）にしてください", "the body must be a JSON object ({…})"],
            ["docs/format.md の形で送ってください", "send the shape of docs/format.md"],
        )
    })
}

async fn put(state: &AppState, who: &str, entity: Entity, id: String, mut body: Value) -> Result<Response, ApiError> {
    let fields = object_body(&mut body)?;
    match fields.get("id").and_then(Value::as_str) {
        Some(given) if given != id => {
            return Err(ApiError::bad_request(
                ["本文の id と URL の id が違います", "the body's id differs from the URL's"],
                ["id を URL と同じにしてください", "make them equal"],
            ));
        }
        Some(_) => {}
        None => {
            fields.insert("id".into(), json!(id));
        }
    }
    let (stored, warnings) = save(state, who, entity, &id, &body).await?;
    Ok(with_warnings(Json(stored).into_response(), &warnings))
}

/// The dates from today on on which announced visits use stop or unit `id`.
async fn announced_dates(state: &AppState, entity: Entity, id: &str) -> Result<Vec<String>, ApiError> {
    let today = state.config.clock.today();
    let announced = state.store.announced_from(today, false).await?;
    let uses = |day: &crate::io::plan_view::DayView| {
        day.routes.iter().any(|r| match entity {
            Entity::Unit => r.vehicle_id == id,
            Entity::Stop => r.visits.iter().any(|v| v.stop_id.as_deref() == Some(id)),
            Entity::Request => false,
        })
    };
    Ok(announced
        .days()
        .into_iter()
        .filter(|(_, d)| d.date >= today && uses(d))
        .map(|(_, d)| d.date.to_string())
        .collect())
}

async fn delete(state: &AppState, who: &str, entity: Entity, id: String) -> Result<StatusCode, ApiError> {
    let _existing = get_one(state, entity, &id).await?;
    // A stop or unit with announced visits ahead would vanish from residents' calendars
    // without a cancellation: its visits are re-planned away first.
    let dates = announced_dates(state, entity, &id).await?;
    if !dates.is_empty() {
        let what = if entity == Entity::Stop { ["訪問先", "stop"] } else { ["車両", "unit"] };
        return Err(ApiError::announced_visits(what, &dates));
    }
    write(state, who, entity, &id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

macro_rules! entity_routes {
    ($entity:expr, $reader:ident, $list:ident, $get:ident, $create:ident, $put:ident, $delete:ident) => {
        async fn $list(r: $reader, State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
            list(&s, &r.who(), $entity).await
        }
        async fn $get(r: $reader, State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
            audit_if_personal(&s, &r.who(), $entity, &format!("requests/{id}")).await?;
            get_one(&s, $entity, &id).await
        }
        async fn $create(p: Planner, State(s): State<AppState>, Json(b): Json<Value>) -> Result<Response, ApiError> {
            create(&s, &p.who(), $entity, b).await
        }
        async fn $put(
            p: Planner,
            State(s): State<AppState>,
            Path(id): Path<String>,
            Json(b): Json<Value>,
        ) -> Result<Response, ApiError> {
            put(&s, &p.who(), $entity, id, b).await
        }
        async fn $delete(
            p: Planner,
            State(s): State<AppState>,
            Path(id): Path<String>,
        ) -> Result<StatusCode, ApiError> {
            delete(&s, &p.who(), $entity, id).await
        }
    };
}

entity_routes!(Entity::Stop, Viewer, list_stops, get_stop, create_stop, put_stop, delete_stop);
entity_routes!(Entity::Unit, Viewer, list_units, get_unit, create_unit, put_unit, delete_unit);
entity_routes!(Entity::Request, Planner, list_requests, get_request, create_request, put_request, delete_request);

async fn audit(_: Planner, State(s): State<AppState>) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(s.store.audit_log(200).await?))
}
