//! Server-rendered web pages (Japanese first, `?lang=en` for English; no CDN, no
//! scripts needed): residents' search and timetables, the staff sign-in and accounts, the
//! planner's page and the drivers' itinerary.

mod account;
mod admin;
mod driver_page;
mod layout;
mod planner_forms;
mod planner_page;
mod resident;
pub mod svg_map;

pub use admin::valid_name as valid_account_name;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(resident::home))
        .route("/assets/style.css", get(layout::stylesheet))
        .route("/assets/print.js", get(layout::script))
        .route("/stops/{id}", get(resident::stop))
        .route("/timetable", get(resident::timetable))
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
        .route("/planner", get(planner_page::planner))
        .route("/planner/plans", post(planner_page::create_plan))
        .route("/planner/plans/{id}/publish", post(planner_page::publish))
        .route("/planner/requests", post(planner_forms::add_request))
        .route("/planner/replan", post(planner_forms::replan))
        .route("/driver", get(driver_page::driver))
}
