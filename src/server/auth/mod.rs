//! Who is calling, and may they: staff accounts signed in by a server-side session
//! (cookie) or by a per-account API token (`Authorization: Bearer`), CSRF checks for every
//! state-changing request that comes with the cookie, and one extractor per role so that
//! a handler states who may call it in its signature.
//!
//! [`authenticate`] runs once per request (a middleware): it resolves the caller, refuses
//! a cookie-authenticated POST/PUT/DELETE without this session's CSRF token (403 A4030),
//! and leaves a [`Caller`] in the request's extensions for the extractors.

pub mod client_address;
pub mod password;
pub mod session_cookie;
pub mod throttle;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::ApiError;
pub use super::store::{Account, Role};

/// The name of the CSRF field in forms and of its header for scripts.
pub const CSRF_FIELD: &str = "csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Via {
    /// A signed-in browser session, with its CSRF token (for the forms of its pages).
    Session { csrf: String },
    /// An API token (machine clients; no cookie, so no CSRF).
    Token,
}

/// The signed-in account of a request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account: Account,
    pub via: Via,
}

impl Caller {
    /// The person in the audit log (`user:name`).
    pub fn who(&self) -> String {
        self.account.actor()
    }

    /// The CSRF token to put into the page's forms (empty for API tokens).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf } => csrf,
            Via::Token => "",
        }
    }
}

/// `Authorization: Bearer …`, if sent.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty())
}

/// Resolves the caller: a bearer token wins over the cookie.
async fn resolve(s: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
    if let Some(token) = bearer(headers) {
        let account = s.store.token_account(token).await?;
        return Ok(account.map(|account| Caller { account, via: Via::Token }));
    }
    let Some(id) = session_cookie::value(headers, session_cookie::Kind::Session, s.config.secure_cookies()) else {
        return Ok(None);
    };
    let found =
        s.store.session(&id, s.config.session_idle.as_secs() as i64, s.config.session_max.as_secs() as i64).await?;
    Ok(found.map(|row| Caller { account: row.account, via: Via::Session { csrf: row.csrf_token } }))
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a browser's request was sent by a page of this service: `Sec-Fetch-Site`, when
/// sent, is `same-origin` or `none` (typed or bookmarked), and `Origin`, when sent, is the
/// origin of `public_url` or has the host and port the request was sent to. A page on
/// another port of the same host is another origin (browsers call it `same-site`), so it
/// is refused although it shares the cookies. Clients that send neither header (scripts,
/// old browsers) pass here and still need the CSRF token.
pub fn same_origin(headers: &HeaderMap, authority: Option<&str>, public_url: &str) -> bool {
    let text = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    if text("sec-fetch-site").is_some_and(|site| !matches!(site, "same-origin" | "none")) {
        return false;
    }
    let Some(origin) = text(header::ORIGIN.as_str()) else { return true };
    if origin.eq_ignore_ascii_case(crate::server::config::origin_of(public_url)) {
        return true;
    }
    // Else the host and port asked (`Host`, or HTTP/2's authority), in the service's scheme.
    let scheme = public_url.split_once("://").map_or("http", |(scheme, _)| scheme);
    let Some((origin_scheme, host)) = origin.split_once("://") else { return false };
    let asked = text(header::HOST.as_str()).or(authority);
    origin_scheme.eq_ignore_ascii_case(scheme) && asked.is_some_and(|a| host.eq_ignore_ascii_case(a))
}

/// Whether `presented` is the session's CSRF token (constant time).
pub fn csrf_matches(expected: &str, presented: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
}

/// The CSRF token sent with a request: the header, else the form field (the body is read
/// and put back).
async fn presented_csrf(req: Request, limit: usize) -> Result<(Request, Option<String>), ApiError> {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let v = v.to_string();
        return Ok((req, Some(v)));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::from_status(axum::http::StatusCode::PAYLOAD_TOO_LARGE, "the form is larger than max_body_bytes")
    })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let token = fields.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// The client's IP address ([`client_address::client_address`]; "unknown" without a
/// connection, as in tests that call the router directly); the key of the per-address limits.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// The middleware: resolves the caller and enforces CSRF on cookie-authenticated writes.
pub async fn authenticate(State(s): State<AppState>, req: Request, next: Next) -> Response {
    // The stylesheet and script load with every page: no session lookup for them.
    if req.uri().path().starts_with("/assets/") {
        return next.run(req).await;
    }
    let peer = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let address = client_address::client_address(peer, req.headers(), &s.config.trusted_proxies)
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    let caller = match resolve(&s, req.headers()).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let mut req = req;
    let by_cookie = matches!(caller, Some(Caller { via: Via::Session { .. }, .. }));
    if changes_state(req.method())
        && (by_cookie || req.uri().path() == "/login")
        && !same_origin(req.headers(), req.uri().authority().map(|a| a.as_str()), &s.config.public_url)
    {
        return ApiError::cross_origin().into_response();
    }
    // The sign-in form carries its own token (there may be an old session in the browser).
    if let Some(Caller { via: Via::Session { csrf }, .. }) = &caller
        && changes_state(req.method())
        && req.uri().path() != "/login"
    {
        let (back, presented) = match presented_csrf(req, s.config.max_body_bytes).await {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
        if !presented.is_some_and(|p| csrf_matches(csrf, &p)) {
            return ApiError::csrf().into_response();
        }
        req = back;
    }
    req.extensions_mut().insert(caller);
    req.extensions_mut().insert(ClientAddress(address));
    next.run(req).await
}

/// The caller left by [`authenticate`]; 401 when nobody is signed in.
fn caller(parts: &Parts) -> Result<Caller, ApiError> {
    parts.extensions.get::<Option<Caller>>().cloned().flatten().ok_or_else(ApiError::unauthenticated)
}

/// The caller if their role passes `allowed`; 401 without a caller, 403 with another role.
fn with_role(parts: &Parts, allowed: fn(Role) -> bool) -> Result<Caller, ApiError> {
    let c = caller(parts)?;
    if allowed(c.account.role) { Ok(c) } else { Err(ApiError::forbidden()) }
}

/// Declares an extractor that admits the roles `allowed` lets through.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub Caller);

        impl $name {
            pub fn who(&self) -> String {
                self.0.who()
            }
        }

        impl FromRequestParts<AppState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
                with_role(parts, $allowed).map($name)
            }
        }
    };
}

role_extractor!(
    /// Any signed-in staff member.
    Staff,
    |_| true
);
role_extractor!(
    /// Admins only (accounts).
    Admin,
    |r| r == Role::Admin
);
role_extractor!(
    /// Planners and admins: the data set, requests, plans, publishing.
    Planner,
    Role::plans
);
role_extractor!(
    /// Anyone who may read plans without personal data: viewers, planners, admins.
    Viewer,
    |r| matches!(r, Role::Admin | Role::Planner | Role::Viewer)
);
role_extractor!(
    /// Drivers and crews: their unit's itinerary.
    Driver,
    |r| r == Role::Driver
);
role_extractor!(
    /// Remote staff: their own sessions.
    Remote,
    |r| r == Role::Remote
);

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (header::HeaderName::from_static(k), axum::http::HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn only_pages_of_this_origin_may_send_cookie_writes() {
        let url = "http://127.0.0.1:8080/";
        let check = |h: &HeaderMap, url: &str| same_origin(h, None, url);
        assert!(check(&headers(&[]), url), "scripts send neither header");
        assert!(check(&headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]), url));
        assert!(check(&headers(&[("sec-fetch-site", "same-origin")]), url));
        let other_port = headers(&[("origin", "http://127.0.0.1:9999"), ("host", "127.0.0.1:8080")]);
        assert!(!check(&other_port, url), "another port is another origin");
        assert!(!check(&headers(&[("sec-fetch-site", "same-site")]), url));
        assert!(!check(&headers(&[("sec-fetch-site", "cross-site")]), url));
        assert!(!check(&headers(&[("origin", "null"), ("host", "127.0.0.1:8080")]), url));
        // Behind a proxy the Host may be rewritten: the public URL's origin counts.
        let proxied = headers(&[("origin", "https://junkai.example.jp"), ("host", "127.0.0.1:8080")]);
        assert!(check(&proxied, "https://junkai.example.jp/"));
        assert!(!check(&proxied, "https://junkai.example.jp.evil.test/"));
        // Only the whole origin counts, not a prefix of the public URL.
        for partial in ["http:", "http://", "http://127.0.0.1", "http://127.0.0.1:80"] {
            let h = axum::http::HeaderValue::from_static(partial);
            let sent: HeaderMap =
                [(header::ORIGIN, h), (header::HOST, "127.0.0.1:8080".parse().unwrap())].into_iter().collect();
            assert!(!check(&sent, url), "{partial}");
        }

        // The host asked, in another scheme than the service's, is another origin.
        let plain = headers(&[("origin", "http://junkai.example.jp"), ("host", "junkai.example.jp")]);
        assert!(!check(&plain, "https://junkai.example.jp/"), "http page, https service");
        // HTTP/2 names the host in the request's authority, not in a Host header.
        let h2 = headers(&[("origin", "http://10.0.0.5:8080")]);
        assert!(same_origin(&h2, Some("10.0.0.5:8080"), url));
    }

    #[test]
    fn csrf_tokens_match_only_themselves_and_never_when_empty() {
        assert!(csrf_matches("abc123", "abc123"));
        assert!(!csrf_matches("abc123", "abc124"));
        assert!(!csrf_matches("abc123", ""));
        assert!(!csrf_matches("", ""));
    }
}
