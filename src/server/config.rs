//! Settings of `junkai serve`: defaults, then a TOML file, then environment variables
//! (`JUNKAI_BIND`, `JUNKAI_DB`, `JUNKAI_DATA`, `JUNKAI_PUBLIC_URL`, `JUNKAI_PLANNER_TOKENS`,
//! `JUNKAI_DRIVER_TOKENS`), then command-line options.
//!
//! Tokens are kept only as SHA-256 hashes once loaded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::auth::TokenHash;

/// The server's settings.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub bind: String,
    /// SQLite database file (created and migrated on first start).
    pub db: PathBuf,
    /// Data folder imported into an empty database; `None`: the embedded Midori data.
    pub data: Option<PathBuf>,
    pub planner_tokens: Vec<TokenHash>,
    /// Unit id → hashes of its drivers' tokens.
    pub driver_tokens: BTreeMap<String, Vec<TokenHash>>,
    /// Largest accepted request body, bytes.
    pub max_body_bytes: usize,
    /// Time limit of every request (solves run in the background and are not bound by it).
    pub request_timeout: Duration,
    /// Solves that may run at once; further ones get 429.
    pub max_concurrent_solves: usize,
    /// The service's public address (the GTFS feed's agency URL).
    pub public_url: String,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            bind: "127.0.0.1:8080".into(),
            db: PathBuf::from("junkai.sqlite"),
            data: None,
            planner_tokens: Vec::new(),
            driver_tokens: BTreeMap::new(),
            max_body_bytes: 1 << 20,
            request_timeout: Duration::from_secs(30),
            max_concurrent_solves: 1,
            public_url: "http://127.0.0.1:8080/".into(),
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
    planner_tokens: Option<Vec<String>>,
    driver_tokens: Option<BTreeMap<String, Vec<String>>>,
    max_body_bytes: Option<usize>,
    request_timeout_s: Option<u64>,
    max_concurrent_solves: Option<usize>,
    public_url: Option<String>,
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

/// `unit=token,unit=token` (environment form of driver tokens).
fn parse_driver_pairs(text: &str) -> Result<BTreeMap<String, Vec<String>>, ConfigError> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (unit, token) = pair.split_once('=').ok_or_else(|| {
            config_error("JUNKAI_DRIVER_TOKENS", format!("`{pair}` is not unit=token"), "write e.g. iryo-1=SECRET")
        })?;
        map.entry(unit.trim().to_string()).or_default().push(token.trim().to_string());
    }
    Ok(map)
}

fn hash_all(setting: &str, tokens: &[String]) -> Result<Vec<TokenHash>, ConfigError> {
    tokens
        .iter()
        .map(|t| {
            if t.len() < 16 {
                Err(config_error(setting, "a token is shorter than 16 characters", "use a long random token"))
            } else {
                Ok(TokenHash::of(t))
            }
        })
        .collect()
}

impl ServeConfig {
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
        let planners = match env("JUNKAI_PLANNER_TOKENS") {
            Some(list) => list.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            None => from_file.planner_tokens.unwrap_or_default(),
        };
        c.planner_tokens = hash_all("planner_tokens", &planners)?;
        let drivers = match env("JUNKAI_DRIVER_TOKENS") {
            Some(text) => parse_driver_pairs(&text)?,
            None => from_file.driver_tokens.unwrap_or_default(),
        };
        for (unit, tokens) in drivers {
            let hashes = hash_all(&format!("driver_tokens.{unit}"), &tokens)?;
            c.driver_tokens.insert(unit, hashes);
        }
        if let Some(b) = from_file.max_body_bytes {
            c.max_body_bytes = b.clamp(1024, 64 << 20);
        }
        if let Some(t) = from_file.request_timeout_s {
            c.request_timeout = Duration::from_secs(t.clamp(1, 600));
        }
        if let Some(n) = from_file.max_concurrent_solves {
            c.max_concurrent_solves = n.clamp(1, 16);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file_and_tokens_are_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("junkai.toml");
        std::fs::write(&file, "bind = \"0.0.0.0:9000\"\nplanner_tokens = [\"planner-token-from-file\"]\n").unwrap();
        let env = |k: &str| (k == "JUNKAI_BIND").then(|| "127.0.0.1:9999".to_string());
        let c = ServeConfig::load(Some(&file), &env).unwrap();
        assert_eq!(c.bind, "127.0.0.1:9999");
        assert_eq!(c.planner_tokens.len(), 1);
        assert!(c.planner_tokens[0].matches("planner-token-from-file"));
        assert!(!format!("{c:?}").contains("planner-token-from-file"), "no clear token is kept");
    }

    #[test]
    fn bad_settings_are_named() {
        let env = |k: &str| (k == "JUNKAI_DRIVER_TOKENS").then(|| "iryo-1".to_string());
        let e = ServeConfig::load(None, &env).unwrap_err();
        assert!(e.to_string().contains("JUNKAI_DRIVER_TOKENS"), "{e}");
        let env = |k: &str| (k == "JUNKAI_PLANNER_TOKENS").then(|| "short".to_string());
        assert!(ServeConfig::load(None, &env).unwrap_err().to_string().contains("16 characters"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "bnd = 1\n").unwrap();
        assert!(ServeConfig::load(Some(&file), &|_| None).unwrap_err().to_string().contains("bad.toml"));
    }
}
