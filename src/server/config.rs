//! Settings of `junkai serve`: defaults, then a TOML file, then environment variables
//! (`JUNKAI_BIND`, `JUNKAI_DB`, `JUNKAI_DATA`, `JUNKAI_PUBLIC_URL`, `JUNKAI_TODAY`,
//! `JUNKAI_MAP_TILES`, `JUNKAI_TRUSTED_PROXIES`), then command-line options. Staff accounts and their API tokens
//! live in the database (`junkai users add`), not here.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::clock::Clock;

/// The server's settings.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub bind: String,
    /// SQLite database file (created and migrated on first start).
    pub db: PathBuf,
    /// Data folder imported into an empty database; `None`: the embedded Midori data.
    pub data: Option<PathBuf>,
    /// Largest accepted request body, bytes.
    pub max_body_bytes: usize,
    /// Time limit of every request (solves run in the background and are not bound by it).
    pub request_timeout: Duration,
    /// Solves that may run at once; further ones get 429.
    pub max_concurrent_solves: usize,
    /// The service's public address (the GTFS feed's agency URL).
    pub public_url: String,
    /// Where "now" and "today" come from: the system clock, or set to `today` and running on.
    pub clock: Clock,
    /// A session ends after this long without a request…
    pub session_idle: Duration,
    /// …and this long after sign-in in any case.
    pub session_max: Duration,
    /// Failed sign-ins in a row that lock an account, and for how long.
    pub lock_after_failures: i64,
    pub lock_for: Duration,
    /// Failed sign-ins from one address within `lock_for` that pause that address.
    pub address_failures: usize,
    /// Days after a request's last visit or cancellation at which residents' names and
    /// phone numbers are erased.
    pub retention_days: i64,
    /// A place saved farther than this many kilometres outside the data set's boundary
    /// gets the warning W2001 (the save still goes through).
    pub outside_km: f64,
    /// Online applications accepted from one client address per hour.
    pub applications_per_hour: usize,
    /// The base map's tile server: the URL before `/{layer}/{z}/{x}/{y}.png` (地理院タイル by
    /// default; a city may mirror them); `None`: maps without a base map.
    pub map_tiles: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or networks);
    /// empty: the header is never read.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// 地理院タイル, the GSI's tile server.
pub const GSI_TILES: &str = "https://cyberjapandata.gsi.go.jp/xyz";

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            bind: "127.0.0.1:8080".into(),
            db: PathBuf::from("junkai.sqlite"),
            data: None,
            max_body_bytes: 1 << 20,
            request_timeout: Duration::from_secs(30),
            max_concurrent_solves: 1,
            public_url: "http://127.0.0.1:8080/".into(),
            clock: Clock::system(),
            session_idle: Duration::from_secs(60 * 60),
            session_max: Duration::from_secs(12 * 60 * 60),
            lock_after_failures: 5,
            lock_for: Duration::from_secs(15 * 60),
            address_failures: 20,
            retention_days: 90,
            outside_km: 1.0,
            applications_per_hour: 5,
            map_tiles: Some(GSI_TILES.into()),
            trusted_proxies: Vec::new(),
        }
    }
}

/// The TOML file's shape; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    db: Option<PathBuf>,
    data: Option<PathBuf>,
    max_body_bytes: Option<usize>,
    request_timeout_s: Option<u64>,
    max_concurrent_solves: Option<usize>,
    public_url: Option<String>,
    /// Sets the clock: `YYYY-MM-DD` (09:00 JST that day) or an RFC 3339 instant, from which
    /// it runs on.
    today: Option<String>,
    session_idle_minutes: Option<u64>,
    session_max_hours: Option<u64>,
    lock_after_failures: Option<i64>,
    lock_minutes: Option<u64>,
    address_failures: Option<usize>,
    retention_days: Option<i64>,
    outside_km: Option<f64>,
    applications_per_hour: Option<usize>,
    /// The tile server's URL prefix; `""` turns the base map off.
    map_tiles: Option<String>,
    /// Addresses or networks of the reverse proxies in front of the service.
    trusted_proxies: Option<Vec<String>>,
}

/// A configuration problem: the setting, what is wrong, how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("E4001 {setting}: {cause} — {hint}")]
pub struct ConfigError {
    pub setting: String,
    pub cause: String,
    pub hint: String,
}

fn config_error(setting: &str, cause: impl Into<String>, hint: &str) -> ConfigError {
    ConfigError { setting: setting.into(), cause: cause.into(), hint: hint.into() }
}

/// The origin of an http(s) `url`: its scheme, host and port (`https://example.jp:8443`),
/// without the path.
pub(crate) fn origin_of(url: &str) -> &str {
    let host_at = url.find("://").map_or(0, |i| i + 3);
    url[host_at..].find('/').map_or(url, |i| &url[..host_at + i])
}

/// `value` of setting `name` when inside `range`; else E4001 naming the range (a value
/// out of range is refused, never silently changed).
fn within<T: PartialOrd + std::fmt::Display>(
    name: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError> {
    if range.contains(&value) {
        return Ok(value);
    }
    let (low, high) = range.into_inner();
    Err(config_error(name, format!("{value} is outside {low}–{high}"), &format!("write a value from {low} to {high}")))
}

impl ServeConfig {
    /// How long a lock lasts, in whole minutes rounded up (for the people it refuses).
    pub fn lock_minutes(&self) -> i64 {
        self.lock_for.as_secs().div_ceil(60) as i64
    }

    /// Whether cookies must be `Secure` (the service is reached over https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The tile server's origin (`https://host[:port]`), for the pages' security policy.
    pub fn map_tiles_origin(&self) -> Option<&str> {
        self.map_tiles.as_deref().map(origin_of)
    }

    /// Loads the settings: `file` (if given), then the environment `env`.
    pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<ServeConfig, ConfigError> {
        let mut c = ServeConfig::default();
        let from_file = match file {
            None => FileConfig::default(),
            Some(path) => {
                let label = path.display().to_string();
                let text = std::fs::read_to_string(path)
                    .map_err(|e| config_error(&label, e.to_string(), "check the path of --config"))?;
                toml::from_str(&text).map_err(|e| {
                    config_error(&label, e.to_string(), "see the example in docs/API.md (Configuration)")
                })?
            }
        };
        c.bind = env("JUNKAI_BIND").or(from_file.bind).unwrap_or(c.bind);
        c.db = env("JUNKAI_DB").map(PathBuf::from).or(from_file.db).unwrap_or(c.db);
        c.data = env("JUNKAI_DATA").map(PathBuf::from).or(from_file.data);
        if let Some(url) = env("JUNKAI_PUBLIC_URL").or(from_file.public_url) {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(config_error(
                    "public_url",
                    format!("`{url}` is not an http(s) URL"),
                    "write e.g. https://junkai.example.jp/",
                ));
            }
            c.public_url = url;
        }
        if let Some(url) = env("JUNKAI_MAP_TILES").or(from_file.map_tiles) {
            c.map_tiles = map_tiles(url.trim())?;
        }
        let proxies = env("JUNKAI_TRUSTED_PROXIES").map(|t| t.split(',').map(str::to_string).collect::<Vec<_>>());
        if let Some(list) = proxies.or(from_file.trusted_proxies) {
            c.trusted_proxies = trusted_proxies(&list)?;
        }
        if let Some(text) = env("JUNKAI_TODAY").or(from_file.today) {
            c.clock = Clock::parse_running(&text).ok_or_else(|| {
                config_error(
                    "today",
                    format!("`{text}` is not a date"),
                    "write e.g. today = \"2026-12-07\" (YYYY-MM-DD)",
                )
            })?;
        }
        if let Some(b) = from_file.max_body_bytes {
            c.max_body_bytes = within("max_body_bytes", b, 1024..=64 << 20)?;
        }
        if let Some(t) = from_file.request_timeout_s {
            c.request_timeout = Duration::from_secs(within("request_timeout_s", t, 1..=600)?);
        }
        if let Some(n) = from_file.max_concurrent_solves {
            c.max_concurrent_solves = within("max_concurrent_solves", n, 1..=16)?;
        }
        let minutes = |m: u64| Duration::from_secs(m * 60);
        if let Some(m) = from_file.session_idle_minutes {
            c.session_idle = minutes(within("session_idle_minutes", m, 5..=24 * 60)?);
        }
        if let Some(h) = from_file.session_max_hours {
            c.session_max = minutes(within("session_max_hours", h, 1..=24 * 7)? * 60);
        }
        if let Some(n) = from_file.lock_after_failures {
            c.lock_after_failures = within("lock_after_failures", n, 3..=100)?;
        }
        if let Some(m) = from_file.lock_minutes {
            c.lock_for = minutes(within("lock_minutes", m, 1..=24 * 60)?);
        }
        if let Some(n) = from_file.address_failures {
            c.address_failures = within("address_failures", n, 5..=10_000)?;
        }
        if let Some(d) = from_file.retention_days {
            c.retention_days = within("retention_days", d, 1..=3650)?;
        }
        if let Some(n) = from_file.applications_per_hour {
            c.applications_per_hour = within("applications_per_hour", n, 1..=1000)?;
        }
        if let Some(km) = from_file.outside_km {
            c.outside_km = within("outside_km", km, 0.0..=1000.0)?;
        }
        Ok(c)
    }
}

/// The `trusted_proxies` entries (empty ones are skipped).
fn trusted_proxies(list: &[String]) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let entries = list.iter().map(|t| t.trim()).filter(|t| !t.is_empty());
    entries
        .map(|text| {
            crate::server::auth::client_address::parse_proxy(text).ok_or_else(|| {
                config_error(
                    "trusted_proxies",
                    format!("`{text}` is not an IP address or network"),
                    "write e.g. trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]",
                )
            })
        })
        .collect()
}

/// A tile server's URL prefix: an http(s) URL without query, spaces or quotes (it goes
/// into the security policy); empty: no base map.
fn map_tiles(url: &str) -> Result<Option<String>, ConfigError> {
    if url.is_empty() {
        return Ok(None);
    }
    let plain = url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | ';' | ',' | '?' | '#' | '\\'));
    let host = url.split_once("://").map(|(_, rest)| rest.split('/').next().unwrap_or(""));
    if !(url.starts_with("http://") || url.starts_with("https://")) || !plain || host.is_none_or(str::is_empty) {
        return Err(config_error(
            "map_tiles",
            format!("`{url}` is not an http(s) URL prefix"),
            "write e.g. map_tiles = \"https://cyberjapandata.gsi.go.jp/xyz\", or \"\" for maps without tiles",
        ));
    }
    Ok(Some(url.trim_end_matches('/').to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("junkai.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\ntoday = \"2026-12-07\"\nretention_days = 30\n").unwrap();
        let env = |k: &str| (k == "JUNKAI_BIND").then(|| "127.0.0.1:9999".to_string());
        let c = ServeConfig::load(Some(&file), &env).unwrap();
        assert_eq!(c.bind, "127.0.0.1:9999");
        assert_eq!(c.clock.today().to_string(), "2026-12-07");
        assert_eq!(c.retention_days, 30);
        let env = |k: &str| (k == "JUNKAI_TODAY").then(|| "2027-11-30".to_string());
        assert_eq!(ServeConfig::load(Some(&file), &env).unwrap().clock.today().to_string(), "2027-11-30");
    }

    #[test]
    fn bad_settings_are_named() {
        let env = |k: &str| (k == "JUNKAI_TODAY").then(|| "12/07".to_string());
        let e = ServeConfig::load(None, &env).unwrap_err();
        assert!(e.to_string().contains("today"), "{e}");
        let env = |k: &str| (k == "JUNKAI_PUBLIC_URL").then(|| "ftp://x".to_string());
        assert!(ServeConfig::load(None, &env).unwrap_err().to_string().contains("public_url"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "bnd = 1\n").unwrap();
        assert!(ServeConfig::load(Some(&file), &|_| None).unwrap_err().to_string().contains("bad.toml"));
        // A number out of range is refused with its range, never silently changed.
        std::fs::write(&file, "address_failures = 3\n").unwrap();
        let e = ServeConfig::load(Some(&file), &|_| None).unwrap_err().to_string();
        assert!(e.starts_with("E4001 address_failures") && e.contains("5–10000"), "{e}");
        std::fs::write(&file, "outside_km = -1.0\n").unwrap();
        assert!(ServeConfig::load(Some(&file), &|_| None).unwrap_err().to_string().contains("outside_km"));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("junkai.toml");
        std::fs::write(&file, "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n").unwrap();
        assert_eq!(ServeConfig::load(Some(&file), &|_| None).unwrap().trusted_proxies.len(), 2);
        assert!(ServeConfig::default().trusted_proxies.is_empty(), "none by default");
        let env = |k: &str| (k == "JUNKAI_TRUSTED_PROXIES").then(|| "::1, proxy.local".to_string());
        let e = ServeConfig::load(None, &env).unwrap_err().to_string();
        assert!(e.contains("trusted_proxies") && e.contains("proxy.local"), "{e}");
    }

    #[test]
    fn the_tile_server_is_checked_and_gives_the_policy_its_origin() {
        let with = |url: &'static str| {
            ServeConfig::load(None, &move |k: &str| (k == "JUNKAI_MAP_TILES").then(|| url.to_string()))
        };
        assert_eq!(ServeConfig::default().map_tiles_origin(), Some("https://cyberjapandata.gsi.go.jp"));
        let mirror = with("http://127.0.0.1:9/tiles/").unwrap();
        assert_eq!(mirror.map_tiles.as_deref(), Some("http://127.0.0.1:9/tiles"));
        assert_eq!(mirror.map_tiles_origin(), Some("http://127.0.0.1:9"));
        assert_eq!(origin_of("https://junkai.example.jp:8443/app/"), "https://junkai.example.jp:8443");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(with("").unwrap().map_tiles, None, "empty: no base map");
        for bad in ["ftp://x/y", "https://", "https://x/a b", "https://x/'; script-src *", "https://x/?k=1"] {
            assert!(with(bad).unwrap_err().to_string().contains("map_tiles"), "{bad}");
        }
    }
}
