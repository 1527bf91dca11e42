//! Server-rendered web pages (Japanese first, `?lang=en` for English; no CDN, no
//! scripts needed): residents' search and timetables, the staff sign-in, the planner's
//! page and the drivers' itinerary.

mod layout;
mod planner_forms;
mod resident;
mod staff;
pub mod svg_map;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(resident::home))
        .route("/stops/{id}", get(resident::stop))
        .route("/timetable", get(resident::timetable))
        .route("/login", get(staff::login_page).post(staff::login))
        .route("/logout", get(staff::logout))
        .route("/planner", get(staff::planner))
        .route("/planner/plans", post(staff::create_plan))
        .route("/planner/plans/{id}/publish", post(staff::publish))
        .route("/planner/requests", post(planner_forms::add_request))
        .route("/planner/replan", post(planner_forms::replan))
        .route("/driver", get(staff::driver))
}
