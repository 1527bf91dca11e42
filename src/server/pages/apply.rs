//! Residents apply online (申し込み) and check a request by its number (予約の確認): plain
//! Japanese, few fields, no script. An application waits as pending until a planner
//! decides; it is checked like every request before it is stored. Abuse limits: a number of
//! applications per address and hour, a hidden field that people leave empty (honeypot),
//! field lengths and a small body limit; wrong status checks per address are limited too.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::{Duration, NaiveDate};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Page, csrf_input, t, visit_when};
use super::resident::nav;
use crate::io::problem_file::{Channel, RequestEntry, Resident};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::{Caller, ClientAddress};
use crate::server::error::{ApiError, current_lang};
use crate::server::planner::validate;
use crate::server::request_status::{RequestState, last_four_digits, normalised_phone, request_state};
use crate::server::store::Entity;

/// Who sends a form, for the limits: the IPv4 address, or the /64 network of an IPv6 one
/// (one household's devices share it).
fn sender(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => address.to_string(),
    }
}

/// The id an application is checked under before it gets its number.
const PROVISIONAL_ID: &str = "W-check";

/// The latest date an application may ask for, in days from today.
const MAX_DAYS_AHEAD: i64 = 90;
/// The longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 40;

/// A hall residents may choose, with the service kinds it hosts.
struct Hall {
    id: String,
    name: String,
    district: String,
    hosts: Vec<String>,
}

/// The halls and the service kinds `(id, name)`, from the stored data.
async fn choices(s: &AppState, lang: Lang) -> Result<(Vec<Hall>, Vec<(String, String)>), ApiError> {
    let halls = s.store.stops().await?.into_iter().map(|st| Hall {
        district: st.district_text().to_string(),
        id: st.id,
        name: st.name,
        hosts: st.hosts,
    });
    let kinds = s.store.kinds().await?.iter().map(|k| k.choice(lang)).collect();
    Ok((halls.collect(), kinds))
}

fn page(lang: Lang, title: &str, path: &str, status: StatusCode, body: Markup) -> Response {
    (status, Html(Page::new(lang, title, path).nav(&nav(lang)).render(body))).into_response()
}

/// The CSRF field for a browser that also holds a staff session (its writes need the
/// session's token); nothing for residents.
fn session_csrf(caller: &Option<Caller>) -> Markup {
    html! { @if let Some(c) = caller.as_ref().filter(|c| !c.csrf().is_empty()) { (csrf_input(c.csrf())) } }
}

/// The 429 page of a paused form; `why` starts the sentence.
fn paused(lang: Lang, title: &str, path: &str, why: [&str; 2]) -> Response {
    let text = match lang {
        Lang::Ja => {
            format!("{}、しばらく受け付けを止めています。時間をおいてお試しいただくか、お電話ください。", why[0])
        }
        Lang::En => format!("{}. Please try again later, or call us.", why[1]),
    };
    page(lang, title, path, StatusCode::TOO_MANY_REQUESTS, html! { p.notice role="alert" { (text) } })
}

/// The application form, with the problems of a refused attempt on top.
async fn form(
    s: &AppState,
    lang: Lang,
    caller: &Option<Caller>,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let (stops, kinds) = choices(s, lang).await?;
    let mut districts: Vec<&str> = Vec::new();
    for hall in &stops {
        if !districts.contains(&hall.district.as_str()) {
            districts.push(&hall.district);
        }
    }
    let body = html! {
        @if !problems.is_empty() {
            div.notice role="alert" { p { (t(lang, "入力を確かめてください。", "Please check your entries.")) }
                ul { @for p in &problems { li { (p) } } } }
        }
        p { (t(lang, "移動市役所・移動診療車の利用を申し込めます。担当者が確認して、日時をお知らせします。",
               "Apply for a visit of the mobile office or clinic. Staff will confirm the date and time.")) }
        p { (t(lang, "お電話や窓口でも受け付けています。", "You can also apply by phone or at the city office.")) }
        form method="post" action="/apply" {
            (session_csrf(caller))
            div { label for="stop" { (t(lang, "集会所", "Hall")) }
                select id="stop" name="stop" required { @for d in &districts { optgroup label=(d) {
                    @for hall in stops.iter().filter(|h| h.district == *d) { option value=(hall.id) { (hall.name) } } } } } }
            div { label for="kind" { (t(lang, "受けたいサービス", "Service")) }
                select id="kind" name="kind" required { @for (id, name) in &kinds { option value=(id) { (name) } } } }
            div { label for="earliest" { (t(lang, "いつから", "From")) } input id="earliest" name="earliest" type="date" required; }
            div { label for="latest" { (t(lang, "いつまで", "Until")) } input id="latest" name="latest" type="date" required; }
            div { label for="name" { (t(lang, "お名前", "Your name")) }
                input id="name" name="name" required maxlength=(MAX_NAME_CHARS) autocomplete="name"; }
            div { label for="phone" { (t(lang, "電話番号", "Phone number")) }
                input id="phone" name="phone" type="tel" required maxlength="20" autocomplete="tel"; }
            div.hp aria-hidden="true" { label for="website" { (t(lang, "この欄は空けておいてください", "Leave this field empty")) }
                input id="website" name="website" tabindex="-1" autocomplete="off"; }
            p.notice { (t(lang, "お名前と電話番号は、この申し込みの連絡と訪問の準備にだけ使い、訪問が終わってから一定の期間の後に消去します。",
                          "Your name and phone number are used only to contact you about this application and to prepare the visit, and are erased some time after the visit.")) }
            div { label { input name="consent" type="checkbox" value="yes" required; " "
                (t(lang, "上の扱いに同意します", "I agree to this use")) } }
            p { button type="submit" { (t(lang, "申し込む", "Apply")) } }
        }
    };
    Ok(page(lang, t(lang, "利用の申し込み", "Apply for a visit"), "/apply", status, body))
}

pub async fn apply_page(
    State(s): State<AppState>,
    Extension(caller): Extension<Option<Caller>>,
) -> Result<Response, ApiError> {
    form(&s, current_lang(), &caller, Vec::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    stop: String,
    kind: String,
    earliest: String,
    latest: String,
    name: String,
    phone: String,
    consent: Option<String>,
    website: String,
}

/// The plain problems of the form's fields, and the request they make when there are none.
fn checked(f: &ApplyForm, hosts: Option<&[String]>, today: NaiveDate, lang: Lang) -> Result<RequestEntry, Vec<String>> {
    let mut problems = Vec::new();
    let mut say = |ja: &str, en: &str| problems.push(t(lang, ja, en).to_string());
    let date = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
    let (earliest, latest) = (date(&f.earliest), date(&f.latest));
    match (earliest, latest) {
        (Some(e), Some(l)) if l < e => {
            say("「いつまで」を「いつから」より後の日にしてください。", "Make \"until\" later than \"from\".")
        }
        (Some(e), _) if e < today => {
            say("「いつから」は今日以降の日にしてください。", "\"From\" must not be in the past.")
        }
        (_, Some(l)) if l > today + Duration::days(MAX_DAYS_AHEAD) => say(
            "3か月より先の日は、お電話で申し込んでください。",
            "For dates more than three months ahead, please call us.",
        ),
        (Some(_), Some(_)) => {}
        _ => say("日付を選んでください。", "Choose the dates."),
    }
    match hosts {
        None => say("集会所を一覧から選んでください。", "Choose a hall from the list."),
        Some(h) if !h.contains(&f.kind) => say(
            "選んだ集会所ではこのサービスを受けられません。別の集会所を選んでください。",
            "This hall does not offer that service; choose another hall.",
        ),
        Some(_) => {}
    }
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        say("お名前を40文字までで書いてください。", "Write your name in up to 40 characters.");
    }
    let phone = normalised_phone(&f.phone);
    if !(10..=13).contains(&phone.chars().filter(char::is_ascii_digit).count()) {
        say(
            "電話番号を市外局番から書いてください（例: 0277-76-0000）。",
            "Write your phone number with the area code (e.g. 0277-76-0000).",
        );
    }
    if f.consent.as_deref() != Some("yes") {
        say("個人情報の扱いへの同意が必要です。", "Please agree to the use of your details.");
    }
    match (earliest, latest) {
        (Some(earliest), Some(latest)) if problems.is_empty() => Ok(RequestEntry {
            kind: f.kind.clone(),
            stop: Some(f.stop.clone()),
            earliest,
            latest,
            channel: Some(Channel::Online),
            resident: Some(Resident { name: Some(name.to_string()), phone: Some(phone) }),
            ..RequestEntry::default()
        }),
        _ => Err(problems),
    }
}

pub async fn apply(
    State(s): State<AppState>,
    Extension(ClientAddress(from)): Extension<ClientAddress>,
    Extension(caller): Extension<Option<Caller>>,
    Form(f): Form<ApplyForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    if s.applications.reserve(&sender(&from), s.config.clock.unix()).is_err() {
        let why = ["申し込みが続いたため", "Too many applications from here"];
        return Ok(paused(lang, t(lang, "利用の申し込み", "Apply for a visit"), "/apply", why));
    }
    if !f.website.is_empty() {
        // A form filled in by a program: answered like a success, nothing stored.
        s.store.audit_event(&format!("address:{from}"), "apply-refused", "applications", "honeypot").await?;
        return Ok(received(lang, None));
    }
    let (stops, _) = choices(&s, lang).await?;
    let hosts = stops.iter().find(|h| h.id == f.stop).map(|h| h.hosts.as_slice());
    // A resident who mistyped may send again: only stored applications count.
    let refused = |problems: Vec<String>| {
        s.applications.forgive(&sender(&from));
        form(&s, lang, &caller, problems, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let request = match checked(&f, hosts, s.config.clock.today(), lang) {
        Ok(request) => request,
        Err(problems) => return refused(problems).await,
    };
    // The same checks as every request, under a provisional id. The stored data passed
    // them before, so what is found concerns this application; it is told in plain
    // words, without codes or ids.
    let provisional = RequestEntry { id: PROVISIONAL_ID.to_string(), ..request.clone() };
    if let Err(e) = validate(&s, Entity::Request, PROVISIONAL_ID, Some(&provisional.to_value())).await {
        tracing::warn!(problems = ?e.problems.iter().map(|d| d.render(Lang::En)).collect::<Vec<_>>(), "an online application was refused");
        let plain = t(
            lang,
            "この内容ではお受けできません。日付やサービスを変えるか、お電話でお申し込みください。",
            "This application cannot be taken as it is. Change the dates or the service, or apply by phone.",
        );
        return refused(vec![plain.to_string()]).await;
    }
    let phone_last4 = last_four_digits(request.resident_phone());
    let id = s.store.add_application(request, &phone_last4).await?;
    Ok(received(lang, Some(&id)))
}

/// The answer to an application: its number (none for a refused robot).
fn received(lang: Lang, id: Option<&str>) -> Response {
    let body = html! {
        p { (t(lang, "申し込みを受け付けました。", "Your application has been received.")) }
        @if let Some(id) = id {
            p.next data-testid="request-number" { (t(lang, "受付番号: ", "Request number: ")) (id) }
            p { (t(lang, "この番号と電話番号の下4けたで、「予約の確認」から状況を確かめられます。控えておいてください。",
                   "With this number and the last four digits of your phone number you can check the status under \"Check a request\". Please keep it.")) }
        }
        p { (t(lang, "担当者が確認して、日時をお知らせします。", "Staff will confirm the date and time.")) }
    };
    page(lang, t(lang, "申し込みの受付", "Application received"), "/apply", StatusCode::OK, body)
}

fn status_form(lang: Lang, caller: &Option<Caller>) -> Markup {
    html! {
        form method="post" action="/status" {
            (session_csrf(caller))
            div { label for="number" { (t(lang, "受付番号", "Request number")) }
                input id="number" name="number" required maxlength="20" autocomplete="off"; }
            div { label for="digits" { (t(lang, "電話番号の下4けた", "Last four digits of your phone")) }
                input id="digits" name="digits" required maxlength="4" inputmode="numeric" autocomplete="off"; }
            p { button type="submit" { (t(lang, "確かめる", "Check")) } }
        }
    }
}

pub async fn status_page(Extension(caller): Extension<Option<Caller>>) -> Response {
    let lang = current_lang();
    page(lang, t(lang, "予約の確認", "Check a request"), "/status", StatusCode::OK, status_form(lang, &caller))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    number: String,
    digits: String,
}

/// The state in plain words.
fn state_text(lang: Lang, state: &RequestState) -> Markup {
    match state {
        RequestState::Received => html! {
        p.next data-testid="request-state" { (t(lang, "受付中", "Received")) }
        p { (t(lang, "担当者が日程を調整しています。決まりましたらお知らせします。", "Staff are arranging the date; you will be told.")) } },
        RequestState::Scheduled { date, weekday, from, to, place, unit } => html! {
        p.next data-testid="request-state" { (t(lang, "予定あり", "Scheduled")) }
        p { (visit_when(lang, date, weekday, from, to)) " " (place) " — " (unit) } },
        RequestState::Adjusting { reason } => html! {
        p.next data-testid="request-state" { (t(lang, "調整中", "Being arranged")) }
        p { (t(lang, "今の計画ではまだ日時が決まっていません。理由: ", "Not yet in the plan. Reason: ")) (reason.get(lang)) } },
        RequestState::Cancelled { reason } => html! {
        p.next data-testid="request-state" { (t(lang, "取消", "Cancelled")) }
        @if !reason.is_empty() { p { (t(lang, "理由: ", "Reason: ")) (reason) } } },
    }
}

/// Wrong checks of one number in an hour that are logged as a likely guessing attempt.
const STATUS_FAILURES_LOGGED: usize = 10;

/// How long a status check of a number waits after `earlier` wrong checks of it in the
/// last hour: nothing for the first three, then half a second more for each, at most 5 s.
fn status_delay(earlier: usize) -> std::time::Duration {
    std::time::Duration::from_millis(earlier.saturating_sub(3).min(10) as u64 * 500)
}

pub async fn status(
    State(s): State<AppState>,
    Extension(ClientAddress(from)): Extension<ClientAddress>,
    Extension(caller): Extension<Option<Caller>>,
    Form(f): Form<StatusForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let title = t(lang, "予約の確認", "Check a request");
    let now = s.config.clock.unix();
    // Every attempt is counted before the lookup (so that a parallel burst gets no more
    // tries than a sequential one); a match takes it back. An address that keeps failing
    // is paused; a number is never blocked (that would lock out its resident, who knows
    // the digits) but its checks answer slower the more wrong digits it has had.
    let number = f.number.trim().to_string();
    let number_key: String = number.to_uppercase().chars().take(64).collect();
    let address = sender(&from);
    if s.lookups.reserve(&address, now).is_err() {
        return Ok(paused(lang, title, "/status", ["確認の失敗が続いたため", "Too many failed checks from here"]));
    }
    // Checks of one number take turns, so the delay limits guessing from many addresses.
    let _turn = s.status_turns.take(&number_key).await;
    let earlier = s.failed_numbers.recent(&number_key, now);
    let _ = s.failed_numbers.reserve(&number_key, now);
    if earlier + 1 == STATUS_FAILURES_LOGGED {
        tracing::warn!(number = %number_key, earlier, "many wrong status checks for one request number");
    }
    tokio::time::sleep(status_delay(earlier)).await;
    // Numbers are given in capitals (W-…); staff-made ids are taken as typed.
    let found = match request_state(&s, &number, &f.digits).await? {
        None if number.to_uppercase() != number => request_state(&s, &number.to_uppercase(), &f.digits).await?,
        found => found,
    };
    match found {
        Some(state) => {
            s.lookups.forgive(&address);
            s.failed_numbers.forgive(&number_key);
            Ok(page(
                lang,
                title,
                "/status",
                StatusCode::OK,
                html! { p { (t(lang, "受付番号 ", "Request ")) (number) } (state_text(lang, &state)) },
            ))
        }
        None => {
            let body = html! {
                p.notice role="alert" { (t(lang, "受付番号と電話番号の下4けたの組み合わせが見つかりません。", "No request matches this number and these digits.")) }
                (status_form(lang, &caller))
            };
            Ok(page(lang, title, "/status", StatusCode::NOT_FOUND, body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_number_with_many_wrong_checks_answers_slower_but_never_blocks() {
        assert_eq!(status_delay(0), Duration::ZERO);
        assert_eq!(status_delay(3), Duration::ZERO);
        assert_eq!(status_delay(5), Duration::from_millis(1000));
        assert_eq!(status_delay(10_000), Duration::from_secs(5), "at most five seconds");
    }
}
