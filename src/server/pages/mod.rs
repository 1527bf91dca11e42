//! Server-rendered web pages (Japanese first, `?lang=en` for English; no CDN, no
//! scripts needed): residents' search and timetables, the staff sign-in and accounts, the
//! planner's page and the drivers' itinerary.

mod account;
mod admin;
mod application_queue;
mod apply;
mod availability;
mod changes_page;
mod crew_app;
mod day_before;
mod driver_page;
mod follow_up_queue;
mod layout;
pub mod map_tiles;
mod map_view;
mod planner_forms;
mod planner_page;
mod remote_page;
mod report_page;
mod request_form;
mod requests_page;
mod resident;
mod stop_form;
pub mod svg_chart;
pub mod svg_map;

pub use admin::valid_name as valid_account_name;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;
use serde::Deserialize;

use super::AppState;
use crate::lang::Lang;
use layout::{Page, t};

/// The largest body of a resident's form (a few short fields).
const APPLY_BODY_LIMIT: usize = 16 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(resident::home))
        .route("/assets/style.css", get(layout::stylesheet))
        .route("/assets/page.js", get(layout::script))
        .route("/assets/crew.js", get(crew_app::script))
        .route("/assets/crew-icon.svg", get(crew_app::icon))
        .route("/crew-sw.js", get(crew_app::worker))
        .route("/crew.webmanifest", get(crew_app::manifest))
        .route("/stops/{id}", get(resident::stop))
        .route("/timetable", get(resident::timetable))
        .route("/apply", get(apply::apply_page).post(apply::apply).layer(DefaultBodyLimit::max(APPLY_BODY_LIMIT)))
        .route("/status", get(apply::status_page).post(apply::status).layer(DefaultBodyLimit::max(APPLY_BODY_LIMIT)))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", get(account::logout_page).post(account::logout))
        .route("/account", get(account::account_page))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::add_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/admin/users", get(admin::users_page).post(admin::add_user))
        .route("/admin/users/{id}", post(admin::change_user))
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/admin/crew-days", post(admin::assign_crew_day))
        .route("/remote", get(remote_page::remote))
        .route("/planner", get(planner_page::planner))
        .route("/planner/plans", post(planner_page::create_plan))
        .route("/planner/plans/{id}/publish", post(planner_page::publish))
        .route("/planner/requests", get(requests_page::list).post(planner_forms::add_request))
        .route("/planner/requests.csv", get(requests_page::csv))
        .route("/planner/requests/import", post(requests_page::import))
        .route("/planner/requests/{id}/cancel", post(requests_page::cancel))
        .route("/planner/requests/{id}/edit", get(planner_forms::edit_request_page))
        .route("/planner/requests/{id}/receipt", get(planner_forms::receipt))
        .route("/planner/requests/{id}", post(planner_forms::update_request))
        .route("/planner/replan", post(planner_forms::replan))
        .route("/planner/calls", get(changes_page::calls))
        .route("/planner/report", get(report_page::report_page))
        .route("/planner/report.csv", get(report_page::report_csv))
        .route("/planner/open-data.csv", get(report_page::open_data_csv))
        .route("/planner/day-before", get(day_before::day_before))
        .route("/planner/calls.csv", get(changes_page::calls_csv))
        .route("/planner/availability", post(availability::add))
        .route("/planner/stops/{id}/edit", get(stop_form::edit_page))
        .route("/planner/stops/{id}", post(stop_form::save))
        .route("/planner/applications/{id}/accept", post(application_queue::accept))
        .route("/planner/applications/{id}/decline", post(application_queue::decline))
        .route("/planner/follow-ups/{request}/{date}/confirm", post(follow_up_queue::confirm))
        .route("/planner/follow-ups/{request}/{date}/dismiss", post(follow_up_queue::dismiss))
        .route("/planner/availability/remove", post(availability::remove))
        .route("/driver", get(driver_page::driver))
}

/// The `{code, message, hint}` of an error answer.
#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    message: String,
    hint: String,
}

/// A browser's page request that ended in an error (JSON `{code, message, hint}`) gets
/// the same code, message and hint as a page.
pub async fn error_page(response: Response, lang: Lang) -> Response {
    if crate::server::error::error_is_json(&response) != Some(true) {
        return response;
    }
    let status = response.status();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Ok(e) = serde_json::from_slice::<ErrorBody>(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let body = html! {
        p.notice role="alert" { (e.message) " (" (e.code) ")" }
        p { (e.hint) }
        p { a href="/" { (t(lang, "住民向けのページへ", "To the residents' pages")) } " ・ " a href="/login" { (t(lang, "担当者ログイン", "Staff sign-in")) } }
    };
    let nav = [("/", t(lang, "住民向け", "Residents"))];
    let page = Page::new(lang, t(lang, "ご案内", "Notice"), "/").nav(&nav).render(body);
    let mut answer = (status, Html(page)).into_response();
    for (name, value) in parts.headers.iter().filter(|(n, _)| *n == axum::http::header::SET_COOKIE) {
        answer.headers_mut().append(name, value.clone());
    }
    answer
}
