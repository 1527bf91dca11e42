//! The one JSON shape of every 4xx/5xx answer: `{code, message, hint}` (plus `problems`
//! for input diagnostics), in the language the client asks for (`Accept-Language`,
//! default Japanese).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::lang::Lang;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: (String, String),
    pub hint: (String, String),
    /// Input diagnostics (rendered in both languages), for 422.
    pub problems: Vec<Diagnostic>,
}

/// The body of every error answer (its schema is in the OpenAPI document).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    /// A stable code, e.g. `A422`, `A4091`.
    code: &'a str,
    message: &'a str,
    /// What to do about it.
    hint: &'a str,
    /// The input's coded problems (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<Problem>,
}

/// One coded problem of the input: its code (`E…`, `W…`), JSON path and text.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    code: String,
    path: String,
    text: String,
}

fn pick(lang: Lang, text: &(String, String)) -> &str {
    if lang == Lang::Ja { &text.0 } else { &text.1 }
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: [&str; 2], hint: [&str; 2]) -> ApiError {
        ApiError {
            status,
            code,
            message: (message[0].into(), message[1].into()),
            hint: (hint[0].into(), hint[1].into()),
            problems: Vec::new(),
        }
    }

    /// The same error with a message made from values (in Japanese and English).
    fn with_message(mut self, ja: String, en: String) -> ApiError {
        self.message = (ja, en);
        self
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "A401",
            ["サインインしていないか、トークンが無効です", "not signed in, or the token is not valid"],
            [
                "/login でサインインするか、Authorization: Bearer <APIトークン> を付けてください",
                "sign in at /login, or send Authorization: Bearer <API token>",
            ],
        )
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "A403",
            ["このアカウントの役割では利用できません", "this account's role may not use this endpoint"],
            [
                "役割（管理者・計画担当・運転手・閲覧者）に合ったアカウントを使ってください",
                "use an account of the right role (admin, planner, driver or viewer)",
            ],
        )
    }

    /// A state-changing request by cookie without this session's CSRF token.
    pub fn csrf() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "A4030",
            [
                "フォームの確認用トークン（CSRF）がないか、一致しません",
                "the form's CSRF token is missing or does not match",
            ],
            [
                "ページを開き直してから送信してください（API は X-CSRF-Token ヘッダーを付けるか Bearer トークンを使ってください）",
                "reload the page and send the form again (API clients: send X-CSRF-Token or use a bearer token)",
            ],
        )
    }

    /// A cookie-authenticated write (or a sign-in) sent by a page of another origin.
    pub fn cross_origin() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "A4031",
            ["ほかのサイトから送られたフォームは受け付けません", "a form sent from another site is not accepted"],
            [
                "このサービスのページを開き直してから送信してください",
                "open this service's page again and send the form from there",
            ],
        )
    }

    /// An account change (a new token, a new password) asked with an API token.
    pub fn needs_sign_in() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "A4032",
            [
                "API トークンではトークンの発行、パスワードの設定、アカウントの作成はできません",
                "an API token cannot issue tokens, set passwords or make accounts",
            ],
            ["ブラウザでサインインして /account から行ってください", "sign in with a browser and use /account"],
        )
    }

    /// Deleting a stop or unit that announced visits still use (`dates`, `YYYY-MM-DD`).
    pub fn announced_visits(what: [&str; 2], dates: &[String]) -> ApiError {
        let list = dates.join(", ");
        ApiError::new(
            StatusCode::CONFLICT,
            "A4091",
            ["", ""],
            [
                "先にその日を運休・休館にして再計画し、公開してから削除してください（住民にお知らせが届きます）",
                "mark those dates out of service or closed, re-plan and publish first (residents are told), then delete",
            ],
        ).with_message(format!("{}にはお知らせ済みの訪問があるため削除できません（{list}）", what[0]),
            format!("the {} has announced visits on {list}; deleting it would drop them silently", what[1]))
    }

    /// Publishing a plan that books requests which announced visits of other dates serve.
    pub fn booked_twice(requests: &[&str]) -> ApiError {
        let list = requests.join(", ");
        ApiError::new(
            StatusCode::CONFLICT,
            "A4092",
            ["", ""],
            [
                "この計画はその後のお知らせと重なっています。再計画（お知らせ済みの時間枠を保つ）で作り直してください",
                "the plan overlaps what was announced since: re-plan (keeping announced windows) instead",
            ],
        )
        .with_message(
            format!("公開すると予約が二重になります（{list}：ほかの日のお知らせ済みの訪問で対応済み）"),
            format!("publishing would book {list} twice (announced visits of other dates serve them)"),
        )
    }

    /// Publishing a plan that uses stops or units deleted since it was made.
    pub fn plan_uses_deleted(ids: &[String]) -> ApiError {
        let list = ids.join(", ");
        ApiError::new(
            StatusCode::CONFLICT,
            "A4093",
            ["", ""],
            ["今のデータで計画を作り直してください", "make the plan again with the current data"],
        )
        .with_message(
            format!("この計画は削除された訪問先・車両を使っています（{list}）"),
            format!("the plan uses stops or units deleted since it was made ({list})"),
        )
    }

    /// Too many failed sign-ins from one address or for one account.
    pub fn throttled(minutes: i64) -> ApiError {
        let ja = format!("サインインの失敗が続いたため、一時的に受け付けを止めています（約{minutes}分）");
        let en = format!("too many failed sign-ins: sign-in is paused for about {minutes} minutes");
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "A4290",
            ["", ""],
            [
                "時間をおいてからもう一度お試しください。急ぐ場合は管理者にロックの解除を依頼してください",
                "wait and try again, or ask an administrator to unlock the account",
            ],
        )
        .with_message(ja, en)
    }

    pub fn not_found(what_ja: &str, what_en: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "A404",
            ["", ""],
            ["一覧（GET）で id を確認してください", "check the id in the list (GET)"],
        )
        .with_message(format!("{what_ja}が見つかりません"), format!("{what_en} not found"))
    }

    pub fn bad_request(message: [&str; 2], hint: [&str; 2]) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "A400", message, hint)
    }

    pub fn busy() -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "A429",
            ["別の計画を計算中です", "another solve is running"],
            [
                "GET /api/plans で進み具合を確かめ、終わってから再度送ってください",
                "watch GET /api/plans and retry when it has finished",
            ],
        )
    }

    pub fn conflict(message: [&str; 2], hint: [&str; 2]) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "A409", message, hint)
    }

    /// Bad input data: the coded diagnostics, as the CLI prints them.
    pub fn invalid(problems: Vec<Diagnostic>) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "A422",
            ["入力に問題があります（problems を参照）", "the input has problems (see problems)"],
            ["各問題のコードと説明に従って直してください", "fix each problem as its code and text say"],
        );
        e.problems = problems;
        e
    }

    /// An error answer made by the framework (status and its plain-text detail).
    pub fn from_status(status: StatusCode, detail: &str) -> ApiError {
        let (code, hint): (&'static str, [&str; 2]) = match status {
            StatusCode::PAYLOAD_TOO_LARGE => ("A413", ["本文を小さくしてください", "send a smaller body"]),
            StatusCode::METHOD_NOT_ALLOWED => {
                ("A405", ["docs/API.md で使えるメソッドを確認してください", "see docs/API.md for the methods"])
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ("A415", ["Content-Type: application/json を付けてください", "send Content-Type: application/json"])
            }
            StatusCode::REQUEST_TIMEOUT => ("A408", ["しばらくしてから再度お試しください", "retry later"]),
            s if s.is_server_error() => ("A500", ["しばらくしてから再度お試しください", "retry later"]),
            _ => (
                "A400",
                ["本文・クエリの形式を docs/API.md で確認してください", "check the body and query against docs/API.md"],
            ),
        };
        let ja = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "本文が大きすぎます",
            StatusCode::METHOD_NOT_ALLOWED => "このメソッドは使えません",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "本文の形式（Content-Type）が違います",
            StatusCode::REQUEST_TIMEOUT => "時間内に処理できませんでした",
            s if s.is_server_error() => "サーバー内部のエラーです",
            _ => "リクエストの形式が正しくありません",
        };
        // The framework's English detail goes only into the English message.
        let mut e = ApiError::new(status, code, [ja, ""], hint);
        let reason = status.canonical_reason().unwrap_or("error");
        e.message.1 = format!("{reason}: {detail}");
        e
    }

    pub fn internal(detail: &str) -> ApiError {
        tracing::error!(detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A500",
            ["サーバー内部のエラーです", "internal server error"],
            [
                "しばらくしてから再度お試しください。続く場合は管理者に連絡してください",
                "retry later; tell the administrator if it persists",
            ],
        )
    }

    /// The answer in `lang`.
    pub fn render(&self, lang: Lang) -> Response {
        let problems = self
            .problems
            .iter()
            .map(|d| Problem { code: d.code.as_str(), path: d.path.clone(), text: d.render(lang) })
            .collect();
        let body =
            ErrorBody { code: self.code, message: pick(lang, &self.message), hint: pick(lang, &self.hint), problems };
        (self.status, Json(body)).into_response()
    }
}

impl IntoResponse for ApiError {
    /// Without a request at hand the answer is Japanese; handlers that know the client's
    /// language call [`ApiError::render`] through [`super::lang::Localised`].
    fn into_response(self) -> Response {
        self.render(current_lang())
    }
}

/// For an error answer (4xx/5xx), whether it is already JSON (the `{code, message, hint}`
/// shape); `None` for any other answer.
pub fn error_is_json(response: &Response) -> Option<bool> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let content_type = response.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    Some(content_type.is_some_and(|t| t.starts_with("application/json")))
}

/// The language of the request being handled (Japanese outside a request).
pub fn current_lang() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::Ja)
}

tokio::task_local! {
    /// The language of the request being handled (set by the language middleware).
    pub static LANG: Lang;
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(&e.to_string())
    }
}
