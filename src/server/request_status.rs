//! "My request" (予約の確認): where a request stands, for the resident who holds its number
//! and the last four digits of its phone number. Online applications answer from their
//! queue; requests (taken by staff, or accepted applications) from the announced calendar.
//! Nothing but the state, and for a scheduled visit its date, window, place and unit.

use super::AppState;
use super::changes::announced_from;
use super::error::ApiError;
use super::store::ApplicationStatus;
use crate::lang::Text;

/// What the resident is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestState {
    /// 受付中: received, not (yet) in a published plan.
    Received,
    /// 予定あり: an announced visit serves it.
    Scheduled { date: String, weekday: String, from: String, to: String, place: String, unit: String },
    /// 調整中: the announced calendar does not serve it yet, and why.
    Adjusting { reason: Text },
    /// 取消: cancelled, or an application that was declined (with the planner's reason).
    Cancelled { reason: String },
}

/// The digits of a phone number, full-width digits included; the last four of them.
pub fn last_four_digits(phone: &str) -> String {
    let digits: Vec<char> = phone
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

/// Compares in constant time, so that the answer time tells nothing about the digits.
fn same_digits(a: &str, b: &str) -> bool {
    a.len() == 4 && b.len() == 4 && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The state of request `id`, or `None` when the number and digits do not match a request
/// (the same answer for an unknown number and for wrong digits).
pub async fn request_state(s: &AppState, id: &str, digits: &str) -> Result<Option<RequestState>, ApiError> {
    let digits = last_four_digits(digits);
    if let Some(app) = s.store.application(id).await? {
        if !same_digits(&app.phone_last4, &digits) {
            return Ok(None);
        }
        match app.status {
            ApplicationStatus::Pending => return Ok(Some(RequestState::Received)),
            ApplicationStatus::Declined => return Ok(Some(RequestState::Cancelled { reason: app.reason })),
            ApplicationStatus::Cancelled => return Ok(Some(RequestState::Cancelled { reason: String::new() })),
            ApplicationStatus::Accepted => {}
        }
        return Ok(Some(planned_state(s, id).await?.unwrap_or(RequestState::Received)));
    }
    let Some(request) = s.store.request(id).await? else {
        // A request staff cancelled: its record keeps the digits (the reason stays inside).
        let cancelled = s.store.cancellation(id).await?.filter(|c| same_digits(&c.phone_last4, &digits));
        return Ok(cancelled.map(|_| RequestState::Cancelled { reason: String::new() }));
    };
    if !same_digits(&last_four_digits(request.resident_phone()), &digits) {
        return Ok(None);
    }
    Ok(Some(planned_state(s, id).await?.unwrap_or(RequestState::Received)))
}

/// Scheduled or adjusting, from the announced calendar; `None` if it does not mention `id`.
async fn planned_state(s: &AppState, id: &str) -> Result<Option<RequestState>, ApiError> {
    let today = s.config.clock.today();
    let since = today - chrono::Duration::days(crate::io::announced::RECENT_DAYS);
    let Some(plan) = announced_from(s, since).await?.view() else { return Ok(None) };
    if let Some((day, route, v)) = plan.next_visit_of(id, today) {
        return Ok(Some(RequestState::Scheduled {
            date: day.date.to_string(),
            weekday: day.weekday.clone(),
            from: v.published.0.clone(),
            to: v.published.1.clone(),
            place: v.name.clone(),
            unit: route.vehicle_name.clone(),
        }));
    }
    Ok(plan.unserved.iter().find(|u| u.id == id).map(|u| RequestState::Adjusting { reason: u.reason.clone() }))
}

/// The resident's phone number from an application form, as stored: digits and hyphens.
pub fn normalised_phone(phone: &str) -> String {
    phone
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            'ー' | '－' | '‐' | '−' | '-' => Some('-'),
            '0'..='9' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_four_digits_ignore_hyphens_and_full_width_forms() {
        assert_eq!(last_four_digits("0277-76-1234"), "1234");
        assert_eq!(last_four_digits("０９０－１２３４－５６７８"), "5678");
        assert_eq!(last_four_digits("12"), "12");
        assert!(!same_digits("12", "12"), "fewer than four digits never match");
        assert!(same_digits("5678", "5678") && !same_digits("5678", "5679"));
        assert_eq!(normalised_phone(" ０９０ー１２３４ー５６７８ "), "090-1234-5678");
    }
}
