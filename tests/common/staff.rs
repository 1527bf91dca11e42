//! Staff through the router: sign-in as a browser does it (the sign-in form's CSRF cookie,
//! the session cookie, and the CSRF token of the pages' forms), and API calls with a
//! bearer token.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use tower::ServiceExt;

/// A signed-in browser: its cookie header and the CSRF token of its pages.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// An answer: status, headers, body text.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as sent (for files that are not text).
    pub bytes: Vec<u8>,
}

impl Page {
    /// The `name=value` of a cookie the answer sets.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or_default().to_string())
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The value of the first hidden `csrf` field.
    pub fn csrf(&self) -> Option<String> {
        let at = self.text.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
        Some(self.text[at..].split('"').next()?.to_string())
    }
}

/// One request with optional cookie and form body.
pub async fn send(app: &Router, method: &str, uri: &str, cookie: Option<&str>, form: Option<&str>) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let req = match form {
        Some(f) => {
            req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(f.to_string()))
        }
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    Page { status, headers, text: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
}

/// One API call with a bearer token and an optional JSON body: the status and the text.
pub async fn bearer(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, String) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Posts the sign-in form; the answer (a redirect on success).
pub async fn try_sign_in(app: &Router, name: &str, password: &str) -> Page {
    let form = send(app, "GET", "/login", None, None).await;
    // Over https the cookies carry the `__Host-` prefix.
    let login_cookie = form
        .set_cookie("junkai_login_csrf")
        .or_else(|| form.set_cookie("__Host-junkai_login_csrf"))
        .expect("the sign-in page sets its CSRF cookie");
    let csrf = form.csrf().expect("the sign-in form has a CSRF field");
    let body = serde_urlencoded::to_string([("name", name), ("password", password), ("csrf", &csrf)]).unwrap();
    send(app, "POST", "/login", Some(&login_cookie), Some(&body)).await
}

/// Signs in and returns the session (panics if the sign-in fails).
pub async fn sign_in(app: &Router, name: &str, password: &str) -> Session {
    let answer = try_sign_in(app, name, password).await;
    assert!(answer.status.is_redirection(), "sign-in of {name}: {} {}", answer.status, answer.text);
    let cookie = answer
        .set_cookie("junkai_session")
        .or_else(|| answer.set_cookie("__Host-junkai_session"))
        .expect("a session cookie");
    let account = send(app, "GET", "/account", Some(&cookie), None).await;
    let csrf = account.csrf().expect("the account page has forms with a CSRF token");
    Session { cookie, csrf }
}

impl Session {
    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, app: &Router, uri: &str, form: &str) -> Page {
        let sep = if form.is_empty() { "" } else { "&" };
        let body = format!("{form}{sep}csrf={}", self.csrf);
        send(app, "POST", uri, Some(&self.cookie), Some(&body)).await
    }

    pub async fn get(&self, app: &Router, uri: &str) -> Page {
        send(app, "GET", uri, Some(&self.cookie), None).await
    }
}
