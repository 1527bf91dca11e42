//! Dates for the application: Japanese holidays, city closures and the planning horizon.
//! Times are in Asia/Tokyo (UTC+9, no daylight saving).

pub mod holidays;
mod horizon;

pub use horizon::{Calendar, CalendarSettings, ClosedDay, next_monday};
