//! The administrators' page of staff accounts: add an account (its password generated and
//! shown once), change a role, a driver's unit or the day's unit, a remote account's person,
//! disable, unlock, reset a password, and revoke anyone's API tokens. Every change is
//! audited by the store.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::account::staff_nav;
use super::layout::{Page, csrf_input, t};
use crate::lang::Lang;
use crate::server::AppState;
use crate::server::auth::password::generate_password;
use crate::server::auth::{Account, Admin, Caller, Role};
use crate::server::error::{ApiError, current_lang};

fn role_select(lang: Lang, id: &str, current: Role) -> Markup {
    html! {
        select id=(id) name="role" {
            @for r in Role::ALL { option value=(r.as_str()) selected[r == current] { (t(lang, r.label()[0], r.label()[1])) } }
        }
    }
}

fn status(lang: Lang, a: &Account, now: i64) -> &'static str {
    if a.disabled {
        t(lang, "無効", "disabled")
    } else if a.locked_until.is_some_and(|u| u > now) {
        t(lang, "ロック中", "locked")
    } else {
        t(lang, "有効", "active")
    }
}

async fn users_html(s: &AppState, caller: &Caller, notice: Option<Markup>) -> Result<String, ApiError> {
    let lang = current_lang();
    let users = s.store.users().await?;
    let units: Vec<String> = s.store.units().await?.into_iter().map(|u| u.id).collect();
    let people = remote_people(s).await?;
    let tokens = s.store.tokens(None).await?;
    let now = s.config.clock.unix();
    let body = html! {
        @if let Some(n) = notice { (n) }
        h2 { (t(lang, "アカウントの追加", "Add an account")) }
        form.inline method="post" action="/admin/users" { (csrf_input(caller.csrf()))
            div { label for="new-name" { (t(lang, "アカウント名", "Account name")) } input id="new-name" name="name" maxlength="64" required; }
            div { label for="new-role" { (t(lang, "役割", "Role")) } (role_select(lang, "new-role", Role::Planner)) }
            div { label for="new-unit" { (t(lang, "車両（運転手）", "Unit (drivers)")) } (unit_select(lang, "new-unit", None, &units)) }
            div { label for="new-remote" { (t(lang, "担当者（オンライン対応者）", "Person (remote staff)")) } (remote_select("new-remote", None, &people)) }
            button type="submit" { (t(lang, "追加（パスワードを発行）", "Add (issues a password)")) }
        }
        h2 { (t(lang, "アカウント", "Accounts")) }
        table { thead { tr {
            th scope="col" { (t(lang, "名前", "Name")) } th scope="col" { (t(lang, "状態", "Status")) }
            th scope="col" { (t(lang, "役割・車両", "Role and unit")) } th scope="col" { (t(lang, "操作", "Actions")) }
        } } tbody { @for a in &users { tr {
            td { (a.name) } td data-testid="status" { (status(lang, a, now)) }
            td { form.inline method="post" action={ "/admin/users/" (a.id) } { (csrf_input(caller.csrf()))
                (role_select(lang, &format!("role-{}", a.id), a.role))
                (unit_select(lang, &format!("unit-{}", a.id), a.unit_id.as_deref(), &units))
                (remote_select(&format!("remote-{}", a.id), a.remote_id.as_deref(), &people))
                label { input type="checkbox" name="disabled" value="1" checked[a.disabled]; (t(lang, "無効にする", "Disabled")) }
                button type="submit" { (t(lang, "保存（ロックも解除）", "Save (also unlocks)")) } } }
            td { form method="post" action={ "/admin/users/" (a.id) "/password" } { (csrf_input(caller.csrf()))
                button type="submit" { (t(lang, "パスワードを再発行", "Reset password")) } } }
        } } } }
        h2 { (t(lang, "運転手のその日の車両", "A driver's unit for a day")) }
        form.inline method="post" action="/admin/crew-days" { (csrf_input(caller.csrf()))
            div { label for="crew-user" { (t(lang, "運転手", "Driver")) } select id="crew-user" name="user" {
                @for a in users.iter().filter(|a| a.role == Role::Driver && a.unit_id.is_none()) { option value=(a.id) { (a.name) } } } }
            div { label for="crew-date" { (t(lang, "日付", "Date")) } input id="crew-date" name="date" type="date" required; }
            div { label for="crew-unit" { (t(lang, "車両", "Unit")) } (unit_select(lang, "crew-unit", None, &units)) }
            button type="submit" { (t(lang, "割り当てる", "Assign")) }
        }
        h2 { (t(lang, "API トークン（全員）", "API tokens (everyone)")) }
        ul { @for tk in &tokens { li { (tk.user) ": " (tk.label) " — " (tk.last_used_at.as_deref().unwrap_or("-"))
            form.inline method="post" action={ "/account/tokens/" (tk.id) "/revoke" } { (csrf_input(caller.csrf()))
                button type="submit" { (t(lang, "失効させる", "Revoke")) } } } } }
    };
    let nav = staff_nav(lang, caller);
    Ok(Page::new(lang, t(lang, "アカウント管理", "Accounts"), "/admin/users").nav(&nav).render(body))
}

fn unit_select(lang: Lang, id: &str, current: Option<&str>, units: &[String]) -> Markup {
    html! {
        select id=(id) name="unit" {
            option value="" selected[current.is_none()] { (t(lang, "（その日の車両）", "(the day's unit)")) }
            @for u in units { option value=(u) selected[current == Some(u.as_str())] { (u) } }
        }
    }
}

/// `(id, name)` of the data set's remote staff.
async fn remote_people(s: &AppState) -> Result<Vec<(String, String)>, ApiError> {
    Ok(s.store.names("remote_staff").await?.into_iter().map(|x| (x.id, x.name)).collect())
}

fn remote_select(id: &str, current: Option<&str>, people: &[(String, String)]) -> Markup {
    html! {
        select id=(id) name="remote" {
            option value="" selected[current.is_none()] { "—" }
            @for (pid, name) in people { option value=(pid) selected[current == Some(pid.as_str())] { (name) " (" (pid) ")" } }
        }
    }
}

pub async fn users_page(who: Result<Admin, ApiError>, State(s): State<AppState>) -> Result<Response, ApiError> {
    match who {
        Ok(Admin(caller)) => Ok(Html(users_html(&s, &caller, None).await?).into_response()),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => Ok(Redirect::to("/login").into_response()),
        Err(e) => Err(e),
    }
}

/// A generated password, shown once.
fn password_notice(lang: Lang, name: &str, password: &str) -> Markup {
    html! { div.notice role="status" {
        p { (name) ": " (t(lang, "初期パスワードです。本人に安全な方法で伝えてください。再表示はできません。",
                              "the initial password. Pass it on safely; it is not shown again.")) }
        p { code data-testid="new-password" { (password) } }
    } }
}

fn problem_notice(text: &str) -> Markup {
    html! { p.notice role="alert" { (text) } }
}

/// The page again with why the form was refused (422).
async fn refused(s: &AppState, caller: &Caller, text: &str) -> Result<Response, ApiError> {
    let html = users_html(s, caller, Some(problem_notice(text))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct NewUserForm {
    name: String,
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    remote: String,
}

/// What an account of `role` is bound to: a driver's unit, a remote account's person.
fn binding<'a>(role: Role, unit: &'a str, remote: &'a str) -> Option<&'a str> {
    let bound = match role {
        Role::Driver => unit,
        Role::Remote => remote,
        _ => "",
    };
    (!bound.is_empty()).then_some(bound)
}

/// A valid account name: 1–64 letters, digits, `.`, `_`, `-` (also non-ASCII letters).
pub fn valid_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=64).contains(&n) && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

pub async fn add_user(
    State(s): State<AppState>,
    Admin(caller): Admin,
    Form(f): Form<NewUserForm>,
) -> Result<Response, ApiError> {
    super::account::signed_in_by_page(&caller)?;
    let lang = current_lang();
    let name = f.name.trim();
    let role = Role::parse(&f.role);
    let (Some(role), true) = (role, valid_name(name)) else {
        let text = t(
            lang,
            "名前は64文字以内の英数字・かな・漢字と . _ - で、役割は一覧から選んでください。",
            "Use up to 64 letters, digits, . _ - for the name, and a role from the list.",
        );
        return refused(&s, &caller, text).await;
    };
    let password = generate_password();
    if s.store.add_user(name, role, binding(role, &f.unit, &f.remote), &password, &caller.who()).await?.is_none() {
        return refused(&s, &caller, t(lang, "同じ名前のアカウントがあります。", "An account with that name exists."))
            .await;
    }
    Ok(Html(users_html(&s, &caller, Some(password_notice(lang, name, &password))).await?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ChangeUserForm {
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    remote: String,
    disabled: Option<String>,
}

async fn find_user(s: &AppState, id: i64) -> Result<Account, ApiError> {
    s.store.user(id).await?.ok_or_else(|| ApiError::not_found("アカウント", "account"))
}

pub async fn change_user(
    State(s): State<AppState>,
    Admin(caller): Admin,
    Path(id): Path<i64>,
    Form(f): Form<ChangeUserForm>,
) -> Result<Response, ApiError> {
    let mut account = find_user(&s, id).await?;
    let role = Role::parse(&f.role).ok_or_else(|| {
        ApiError::bad_request(["役割が不明です", "unknown role"], ["一覧から選んでください", "choose from the list"])
    })?;
    // An admin cannot take their own admin role away (someone must manage the accounts).
    account.role = if account.id == caller.account.id { Role::Admin } else { role };
    account.unit_id = binding(account.role, &f.unit, "").map(String::from);
    account.remote_id = binding(account.role, "", &f.remote).map(String::from);
    account.disabled = f.disabled.is_some() && account.id != caller.account.id;
    account.locked_until = None;
    s.store.update_user(&account, &caller.who()).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

pub async fn reset_password(
    State(s): State<AppState>,
    Admin(caller): Admin,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    super::account::signed_in_by_page(&caller)?;
    let account = find_user(&s, id).await?;
    let password = generate_password();
    s.store.set_password(account.id, &password, true, &caller.who()).await?;
    let notice = password_notice(current_lang(), &account.name, &password);
    Ok(Html(users_html(&s, &caller, Some(notice)).await?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CrewDayForm {
    user: i64,
    date: chrono::NaiveDate,
    unit: String,
}

pub async fn assign_crew_day(
    State(s): State<AppState>,
    Admin(caller): Admin,
    Form(f): Form<CrewDayForm>,
) -> Result<Response, ApiError> {
    let account = find_user(&s, f.user).await?;
    if account.role != Role::Driver || f.unit.is_empty() {
        return Err(ApiError::bad_request(
            ["運転手と車両を選んでください", "choose a driver and a unit"],
            ["固定の車両がない運転手だけが一覧に出ます", "only drivers without a fixed unit are listed"],
        ));
    }
    if s.store.unit(&f.unit).await?.is_none() {
        return Err(ApiError::bad_request(
            ["その車両はありません", "there is no such unit"],
            ["一覧から車両を選んでください", "choose a unit from the list"],
        ));
    }
    s.store.assign_crew_day(account.id, &f.date.to_string(), &f.unit, &caller.who()).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
