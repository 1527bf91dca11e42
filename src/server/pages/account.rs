//! Staff sign-in and one's own account: the sign-in form (name and password, its own CSRF
//! cookie, throttled per address and per account), sign-out, changing the password
//! (which ends every session), and one's API tokens (issued once, listed, revoked).
//! Pages are maud templates, escaped by default.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin::valid_name as valid_account_name;
use super::layout::{Page, csrf_input, t};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::password::{self, check_policy, random_secret};
use crate::server::auth::session_cookie::{self, Kind};
use crate::server::auth::{Account, Caller, ClientAddress, Role, Staff, Via, csrf_matches};
use crate::server::error::{ApiError, current_lang};

/// A staff page: `body` under `title`, with the caller's menu.
pub fn staff_page(lang: Lang, caller: &Caller, title: &str, path: &str, body: Markup) -> Response {
    let nav = staff_nav(lang, caller);
    Html(Page::new(lang, title, path).nav(&nav).render(body)).into_response()
}

/// The links of every staff page: the role's own page, the account page, admin, sign-out.
pub fn staff_nav(lang: Lang, caller: &Caller) -> Vec<(&'static str, &'static str)> {
    let mut nav = Vec::new();
    match caller.account.role {
        Role::Driver => nav.push(("/driver", t(lang, "運行表", "Itinerary"))),
        Role::Remote => nav.push(("/remote", t(lang, "オンライン対応の予定", "Your sessions"))),
        _ => nav.push(("/planner", t(lang, "計画", "Plans"))),
    }
    if caller.account.role.plans() {
        nav.push(("/planner/requests", t(lang, "予約一覧", "Requests")));
    }
    if matches!(caller.account.role, Role::Admin | Role::Planner | Role::Viewer) {
        nav.push(("/planner/report", t(lang, "計画と実績", "Planned and actual")));
    }
    if caller.account.role == Role::Admin {
        nav.push(("/admin/users", t(lang, "アカウント管理", "Accounts")));
    }
    nav.push(("/account", t(lang, "自分のアカウント", "My account")));
    nav.push(("/logout", t(lang, "ログアウト", "Sign out")));
    nav
}

fn sign_in_page(lang: Lang, csrf: &str, problem: Option<&str>) -> String {
    let body = html! {
        @if let Some(p) = problem { p.notice role="alert" { (p) } }
        form method="post" action="/login" {
            (csrf_input(csrf))
            div { label for="name" { (t(lang, "アカウント名", "Account name")) }
                  input id="name" name="name" autocomplete="username" required; }
            div { label for="password" { (t(lang, "パスワード", "Password")) }
                  input id="password" name="password" type="password" autocomplete="current-password" required; }
            p { button type="submit" { (t(lang, "ログイン", "Sign in")) } }
        }
    };
    let nav = [("/", t(lang, "住民向け", "Residents"))];
    Page::new(lang, t(lang, "担当者ログイン", "Staff sign-in"), "/login").nav(&nav).render(body)
}

/// The sign-in page with a fresh CSRF cookie for its form.
fn sign_in_answer(s: &AppState, status: StatusCode, problem: Option<&str>) -> Response {
    let csrf = random_secret();
    let cookie = session_cookie::set(Kind::LoginCsrf, &csrf, 30 * 60, s.config.secure_cookies());
    (status, [(header::SET_COOKIE, cookie)], Html(sign_in_page(current_lang(), &csrf, problem))).into_response()
}

pub async fn login_page(State(s): State<AppState>) -> Response {
    sign_in_answer(&s, StatusCode::OK, None)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// Checks name and password; opens a session and the page of the account's role.
///
/// The attempt runs to its end in a task of its own ([`attempt_sign_in`]): its count, lock
/// and audit are written whether or not the client waits for the answer (a dropped
/// connection or the request's time limit would otherwise leave a count without its lock).
pub async fn login(
    State(s): State<AppState>,
    Extension(ClientAddress(from)): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, ApiError> {
    let lang = current_lang();
    let secure = s.config.secure_cookies();
    let expected = session_cookie::value(&headers, Kind::LoginCsrf, secure).unwrap_or_default();
    if !csrf_matches(&expected, &f.csrf) {
        return Err(ApiError::csrf());
    }
    let old_session = session_cookie::value(&headers, Kind::Session, secure);
    let attempt = tokio::spawn(attempt_sign_in(s.clone(), from, f, old_session));
    let outcome = attempt.await.map_err(|e| ApiError::internal(&e.to_string()))??;
    let (session, role) = match outcome {
        Attempt::Paused => return Err(ApiError::throttled(s.config.lock_minutes())),
        Attempt::Wrong => return Ok(sign_in_answer(&s, StatusCode::FORBIDDEN, Some(wrong(lang)))),
        Attempt::SignedIn { session, role } => (session, role),
    };
    let cookie = session_cookie::set(Kind::Session, &session, s.config.session_max.as_secs() as i64, secure);
    let home = match role {
        Role::Driver => "/driver",
        Role::Remote => "/remote",
        _ => "/planner",
    };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(home)).into_response())
}

/// How a sign-in attempt ended.
enum Attempt {
    /// Refused before the password was checked: the address or the account is locked.
    Paused,
    Wrong,
    SignedIn {
        session: String,
        role: Role,
    },
}

/// One sign-in attempt from address `from`, with its bookkeeping.
///
/// Every attempt is counted before the password is checked, per address and per account,
/// so that a parallel burst gets no more guesses than a sequential one; a success takes
/// its attempt back. Names without an account (or with a disabled one) cost the same
/// hashing and lock the same way ([`crate::server::auth::throttle::UnknownNames`]), so the answers tell no names apart.
async fn attempt_sign_in(
    s: AppState,
    from: String,
    form: LoginForm,
    old_session: Option<String>,
) -> Result<Attempt, ApiError> {
    let address = format!("address:{from}");
    let name = form.name.trim();
    let now = s.config.clock.unix();
    // Names that no account can have are not looked up, and not written to the audit log.
    let possible = valid_account_name(name);
    let target = if possible { format!("users/{name}") } else { "users/?".to_string() };
    match s.throttle.reserve(&from, now) {
        Err(_) => return Ok(Attempt::Paused),
        Ok(true) => s.store.audit_event(&address, "sign-in-throttled", &target, "").await?,
        Ok(false) => {}
    }
    let found = if possible { s.store.user_by_name(name).await? } else { None };
    let found = found.filter(|(a, _)| !a.disabled);
    let (max, lock_s) = (s.config.lock_after_failures, s.config.lock_for.as_secs() as i64);
    let reserved = match &found {
        Some((account, _)) => s.store.reserve_sign_in(account.id, max, lock_s).await?,
        None => s.unknown_names.reserve(if possible { name } else { "?" }, now),
    };
    let Some(reaches_limit) = reserved else {
        s.store.audit_event(&address, "sign-in-locked", &target, "").await?;
        return Ok(Attempt::Paused);
    };
    let hash = found.as_ref().map_or(password::dummy_hash(), |(_, h)| h.as_str());
    let matches = password::verify_async(&form.password, hash).await;
    let Some((account, _)) = found.filter(|_| matches) else {
        let action = if reaches_limit { "account-locked" } else { "sign-in-failed" };
        s.store.audit_event(&address, action, &target, "").await?;
        return Ok(Attempt::Wrong);
    };
    s.throttle.forgive(&from);
    if let Some(old) = old_session {
        s.store.close_session(&old).await?;
    }
    let (session, _) = s.store.open_session(account.id).await?;
    s.store.audit_event(&account.actor(), "sign-in", &target, &from).await?;
    Ok(Attempt::SignedIn { session, role: account.role })
}

fn wrong(lang: Lang) -> &'static str {
    t(lang, "アカウント名またはパスワードが違います。", "The account name or password is wrong.")
}

/// `GET /logout`: a button that signs out (a POST with the CSRF token).
pub async fn logout_page(who: Result<Staff, ApiError>) -> Response {
    let Ok(Staff(caller)) = who else { return Redirect::to("/login").into_response() };
    let lang = current_lang();
    let body = html! {
        form method="post" action="/logout"
            data-unsent=(t(lang, "まだ送っていない記録が {n} 件あります。サインアウトするとこの端末から消えます。サインアウトしますか？",
                "{n} entries are not sent yet. Signing out removes them from this device. Sign out?")) {
            (csrf_input(caller.csrf()))
            button type="submit" { (t(lang, "ログアウトする", "Sign out")) } }
    };
    let nav = staff_nav(lang, &caller);
    Html(Page::new(lang, t(lang, "ログアウト", "Sign out"), "/logout").nav(&nav).render(body)).into_response()
}

/// `POST /logout`: ends the session on the server and removes the cookie.
pub async fn logout(State(s): State<AppState>, Staff(caller): Staff, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(id) = session_cookie::value(&headers, Kind::Session, s.config.secure_cookies()) {
        s.store.close_session(&id).await?;
    }
    s.store.audit_event(&caller.who(), "sign-out", &format!("users/{}", caller.account.name), "").await?;
    let cookie = session_cookie::set(Kind::Session, "", 0, s.config.secure_cookies());
    // The crew app's kept itineraries, unsent entries and service worker leave the device too.
    let clear =
        (header::HeaderName::from_static("clear-site-data"), HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(([(header::SET_COOKIE, cookie), clear], Redirect::to("/login")).into_response())
}

/// `/account`: change the password; one's API tokens.
pub async fn account_page(who: Result<Staff, ApiError>, State(s): State<AppState>) -> Result<Response, ApiError> {
    let Ok(Staff(caller)) = who else { return Ok(Redirect::to("/login").into_response()) };
    Ok(Html(account_html(&s, &caller, None).await?).into_response())
}

/// The account page, with `notice` (a message, or a token shown once) on top.
async fn account_html(s: &AppState, caller: &Caller, notice: Option<Markup>) -> Result<String, ApiError> {
    let lang = current_lang();
    let tokens = s.store.tokens(Some(caller.account.id)).await?;
    let role = caller.account.role.label();
    let body = html! {
        @if let Some(n) = notice { (n) }
        p { (caller.account.name) " — " (t(lang, role[0], role[1])) }
        h2 { (t(lang, "パスワードの変更", "Change password")) }
        form method="post" action="/account/password" { (csrf_input(caller.csrf()))
            div { label for="current" { (t(lang, "今のパスワード", "Current password")) }
                  input id="current" name="current" type="password" autocomplete="current-password" required; }
            div { label for="new" { (t(lang, "新しいパスワード（12文字以上）", "New password (12 characters or more)")) }
                  input id="new" name="new" type="password" autocomplete="new-password" minlength="12" required; }
            p { button type="submit" { (t(lang, "変更する（すべての端末でログアウトします）", "Change (signs out everywhere)")) } }
        }
        h2 { (t(lang, "API トークン", "API tokens")) }
        ul { @for tk in &tokens {
            li { (tk.label) " — " (tk.created_at)
                form.inline method="post" action={ "/account/tokens/" (tk.id) "/revoke" } { (csrf_input(caller.csrf()))
                    button type="submit" { (t(lang, "失効させる", "Revoke")) } } }
        } }
        form.inline method="post" action="/account/tokens" { (csrf_input(caller.csrf()))
            div { label for="label" { (t(lang, "用途", "Label")) } input id="label" name="label" maxlength="80" required; }
            button type="submit" { (t(lang, "トークンを発行", "Issue a token")) }
        }
    };
    let nav = staff_nav(lang, caller);
    Ok(Page::new(lang, t(lang, "自分のアカウント", "My account"), "/account").nav(&nav).render(body))
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// Changes one's password (the current one is asked again) and ends every session.
pub async fn change_password(
    State(s): State<AppState>,
    Staff(caller): Staff,
    Form(f): Form<PasswordForm>,
) -> Result<Response, ApiError> {
    signed_in_by_page(&caller)?;
    let lang = current_lang();
    let (account, hash) = s.store.user_by_name(&caller.account.name).await?.ok_or_else(ApiError::unauthenticated)?;
    // A wrong current password counts like a failed sign-in (a stolen session cannot
    // guess), in a task of its own like a sign-in, so that its bookkeeping completes.
    let check = tokio::spawn(current_password_matches(s.clone(), caller.who(), account.clone(), f.current, hash));
    let problem = match check.await.map_err(|e| ApiError::internal(&e.to_string()))?? {
        None => return Err(ApiError::throttled(s.config.lock_minutes())),
        Some(false) => Some(t(lang, "今のパスワードが違います。", "The current password is wrong.")),
        Some(true) => check_policy(&account.name, &f.new).err().map(|p| t(lang, p.text()[0], p.text()[1])),
    };
    if let Some(p) = problem {
        let notice = html! { p.notice role="alert" { (p) } };
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, Html(account_html(&s, &caller, Some(notice)).await?)).into_response()
        );
    }
    s.store.set_password(account.id, &f.new, false, &caller.who()).await?;
    let cookie = session_cookie::set(Kind::Session, "", 0, s.config.secure_cookies());
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

/// New credentials come only from a person signed in on the page: a token (perhaps a
/// leaked one) cannot mint tokens, set passwords or make accounts.
pub(super) fn signed_in_by_page(caller: &Caller) -> Result<(), ApiError> {
    match caller.via {
        Via::Session { .. } => Ok(()),
        Via::Token => Err(ApiError::needs_sign_in()),
    }
}

/// Whether `password` is the account's (PHC string `hash`), counted like a sign-in:
/// `None` when the account is locked.
async fn current_password_matches(
    s: AppState,
    who: String,
    account: Account,
    password: String,
    hash: String,
) -> Result<Option<bool>, ApiError> {
    let (max, lock_s) = (s.config.lock_after_failures, s.config.lock_for.as_secs() as i64);
    let Some(reaches_limit) = s.store.reserve_sign_in(account.id, max, lock_s).await? else { return Ok(None) };
    let matches = password::verify_async(&password, &hash).await;
    if matches {
        s.store.clear_sign_in_failures(account.id).await?;
    } else {
        let action = if reaches_limit { "account-locked" } else { "sign-in-failed" };
        s.store.audit_event(&who, action, &format!("users/{}", account.name), "password change").await?;
    }
    Ok(Some(matches))
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    label: String,
}

/// Issues an API token and shows it once.
pub async fn add_token(
    State(s): State<AppState>,
    Staff(caller): Staff,
    Form(f): Form<TokenForm>,
) -> Result<Response, ApiError> {
    signed_in_by_page(&caller)?;
    let lang = current_lang();
    let label: String = f.label.trim().chars().filter(|c| !c.is_control()).take(80).collect();
    let token = s.store.add_token(caller.account.id, &label, &caller.who()).await?;
    let notice = html! {
        div.notice role="status" {
            p { (t(lang, "新しいトークンです。この画面を閉じると二度と表示されません。", "Your new token. It is shown only now.")) }
            p { code data-testid="new-token" { (token) } }
        }
    };
    Ok(Html(account_html(&s, &caller, Some(notice)).await?).into_response())
}

pub async fn revoke_token(
    State(s): State<AppState>,
    Staff(caller): Staff,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let own = if caller.account.role == Role::Admin { None } else { Some(caller.account.id) };
    if !s.store.revoke_token(id, own, &caller.who()).await? {
        return Err(ApiError::not_found("トークン", "token"));
    }
    Ok(Redirect::to("/account").into_response())
}
