//! The cookies of staff sign-in (built and parsed with the `cookie` crate): the session
//! cookie (the random session id; the server keeps only its hash) and the sign-in form's
//! own CSRF cookie (double submit, since there is no session yet).
//!
//! Both are `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` whenever the service's
//! `public_url` is https.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

/// The session cookie's name.
pub const SESSION: &str = "junkai_session";
/// The sign-in form's CSRF cookie.
pub const LOGIN_CSRF: &str = "junkai_login_csrf";

/// The value of cookie `name` in the request, if present and not empty.
pub fn value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// The session id sent with a request.
pub fn read(headers: &HeaderMap) -> Option<String> {
    value(headers, SESSION)
}

/// A `Set-Cookie` value: `value` for `max_age_s` seconds (0 removes the cookie).
pub fn set(name: &'static str, value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((name, value.to_string()))
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
        let plain = set(SESSION, "ab12", 3600, false);
        let text = plain.to_str().unwrap();
        assert!(text.starts_with("junkai_session=ab12"), "{text}");
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Path=/"), "{text}");
        assert!(!text.contains("Secure"));
        assert!(set(SESSION, "ab12", 3600, true).to_str().unwrap().contains("Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("junkai_lang=en; junkai_session=ff00"));
        assert_eq!(read(&headers).as_deref(), Some("ff00"));
        headers.insert(header::COOKIE, HeaderValue::from_static("junkai_session="));
        assert_eq!(read(&headers), None);
    }
}
