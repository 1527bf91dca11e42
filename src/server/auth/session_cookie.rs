//! The cookies of staff sign-in (built and parsed with the `cookie` crate): the session
//! cookie (the random session id; the server keeps only its hash) and the sign-in form's
//! own CSRF cookie (double submit, since there is no session yet).
//!
//! Both are `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` whenever the service's
//! `public_url` is https. Over https their names carry the `__Host-` prefix: a browser
//! takes such a cookie only from this very origin over https, so a page on another port or
//! a sibling host cannot plant a sign-in token or a session of its own (login CSRF,
//! session fixation). Over http cookies cannot be bound to a port; the Origin check of
//! [`super::same_origin`] covers the forms there.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

/// The two cookies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The session id.
    Session,
    /// The sign-in form's CSRF token.
    LoginCsrf,
}

impl Kind {
    /// The cookie's name: `__Host-` prefixed when the service is reached over https.
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (Kind::Session, false) => "junkai_session",
            (Kind::Session, true) => "__Host-junkai_session",
            (Kind::LoginCsrf, false) => "junkai_login_csrf",
            (Kind::LoginCsrf, true) => "__Host-junkai_login_csrf",
        }
    }
}

/// The value of cookie `kind` in the request, if present and not empty.
pub fn value(headers: &HeaderMap, kind: Kind, secure: bool) -> Option<String> {
    let name = kind.name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value: `value` for `max_age_s` seconds (0 removes the cookie).
pub fn set(kind: Kind, value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((kind.name(secure), value.to_string()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_s))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie values are hex or empty")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_lax_and_secure_on_https() {
        let plain = set(Kind::Session, "ab12", 3600, false);
        let text = plain.to_str().unwrap();
        assert!(text.starts_with("junkai_session=ab12"), "{text}");
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Path=/"), "{text}");
        assert!(!text.contains("Secure"));
        let secure = set(Kind::Session, "ab12", 3600, true);
        let secure = secure.to_str().unwrap();
        assert!(secure.starts_with("__Host-junkai_session=ab12") && secure.contains("Secure"), "{secure}");
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("junkai_lang=en; junkai_session=ff00"));
        assert_eq!(value(&headers, Kind::Session, false).as_deref(), Some("ff00"));
        assert_eq!(value(&headers, Kind::Session, true), None, "over https only the __Host- cookie counts");
        headers.insert(header::COOKIE, HeaderValue::from_static("junkai_session="));
        assert_eq!(value(&headers, Kind::Session, false), None);
    }
}
