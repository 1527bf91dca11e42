//! Staff accounts in the store: users with roles, server-side sessions (hashed ids, idle
//! and absolute expiry), per-account API tokens (hashed), sign-in failure counts and locks.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{Store, audit};
use crate::server::auth::password::{self, hex};

/// What a staff member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything a planner may, and managing accounts.
    Admin,
    /// The data set, requests (personal data), plans, publishing.
    Planner,
    /// One unit's itinerary (with the residents it visits).
    Driver,
    /// Plans, maps and KPIs, read-only, without personal data.
    Viewer,
    /// A remote person (doctor, pharmacist, counsellor): their own sessions, with the
    /// residents' names of those sessions only.
    Remote,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Planner, Role::Driver, Role::Viewer, Role::Remote];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Planner => "planner",
            Role::Driver => "driver",
            Role::Viewer => "viewer",
            Role::Remote => "remote",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The role's name for people.
    pub fn label(self) -> [&'static str; 2] {
        match self {
            Role::Admin => ["管理者", "administrator"],
            Role::Planner => ["計画担当", "planner"],
            Role::Driver => ["運転手・乗務員", "driver / crew"],
            Role::Viewer => ["閲覧者", "viewer"],
            Role::Remote => ["オンライン対応者（医師・相談員）", "remote staff (doctor, counsellor)"],
        }
    }

    /// Planners' rights (admins have them too).
    pub fn plans(self) -> bool {
        matches!(self, Role::Admin | Role::Planner)
    }
}

/// A staff account as stored (without its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// A driver's fixed unit; `None`: the unit assigned for the day.
    pub unit_id: Option<String>,
    /// A remote account's person (`remote_staff[].id`); `None` for other roles.
    pub remote_id: Option<String>,
    pub disabled: bool,
    pub failed_logins: i64,
    /// Unix seconds until which sign-in is refused.
    pub locked_until: Option<i64>,
}

impl Account {
    /// The account's name in the audit log.
    pub fn actor(&self) -> String {
        format!("user:{}", self.name)
    }
}

fn account(row: &sqlx::sqlite::SqliteRow) -> Account {
    Account {
        id: row.get("id"),
        name: row.get("name"),
        role: Role::parse(row.get::<&str, _>("role")).unwrap_or(Role::Viewer),
        unit_id: row.get("unit_id"),
        remote_id: row.get("remote_id"),
        disabled: row.get::<i64, _>("disabled") != 0,
        failed_logins: row.get("failed_logins"),
        locked_until: row.get("locked_until"),
    }
}

const ACCOUNT_COLUMNS: &str = "id, name, role, unit_id, remote_id, disabled, failed_logins, locked_until";
/// The same columns of `users u` in a join.
const JOINED_ACCOUNT_COLUMNS: &str =
    "u.id, u.name, u.role, u.unit_id, u.remote_id, u.disabled, u.failed_logins, u.locked_until";

/// The SHA-256 of a secret (session id, API token), hex.
pub fn secret_hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A signed-in session as found by its id.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub account: Account,
    pub csrf_token: String,
    pub created_unix: i64,
    pub seen_unix: i64,
}

/// An API token as listed (never the token itself).
#[derive(Clone, Debug, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub user: String,
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl Store {
    /// Creates an account; `Ok(None)` when the name is taken.
    /// Creates an account; `bound_to` is a driver's unit or a remote account's person
    /// (ignored for other roles). `Ok(None)` when the name is taken.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        bound_to: Option<&str>,
        password: &str,
        actor: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        let unit_id = bound_to.filter(|_| role == Role::Driver);
        let remote_id = bound_to.filter(|_| role == Role::Remote);
        let hash = password::hash_async(password).await;
        let mut tx = self.pool.begin().await?;
        let at = self.clock.stamp();
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (name, role, unit_id, remote_id, password_hash, created_at, password_changed_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(unit_id)
        .bind(remote_id)
        .bind(hash)
        .bind(&at)
        .bind(&at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { return Ok(None) };
        audit(&mut tx, &at, actor, "user-create", &format!("users/{name}"), role.as_str()).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn users(&self) -> Result<Vec<Account>, sqlx::Error> {
        let rows =
            sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM users ORDER BY name")).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(account).collect())
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<(Account, String)>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM users WHERE name = ?"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (account(&r), r.get("password_hash"))))
    }

    pub async fn user(&self, id: i64) -> Result<Option<Account>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(account))
    }

    /// Counts a sign-in attempt before its password is checked, in one statement, so that
    /// parallel attempts cannot exceed `max_failures`: `None` when the account is locked,
    /// else whether this attempt reached the limit. The attempt that reaches it locks the
    /// account for `lock_s` seconds at once (a correct password opens a session and clears
    /// the lock), so every lock has its expiry even if the attempt never finishes; an
    /// expired lock starts the count again.
    pub async fn reserve_sign_in(&self, id: i64, max_failures: i64, lock_s: i64) -> Result<Option<bool>, sqlx::Error> {
        let now = self.clock.unix();
        let count: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET \
               failed_logins = CASE WHEN locked_until <= ?1 THEN 1 ELSE failed_logins + 1 END, \
               locked_until = CASE WHEN (CASE WHEN locked_until <= ?1 THEN 1 ELSE failed_logins + 1 END) >= ?2 \
                                   THEN ?1 + ?3 ELSE NULL END \
             WHERE id = ?4 AND (locked_until IS NULL OR locked_until <= ?1) RETURNING failed_logins",
        )
        .bind(now)
        .bind(max_failures)
        .bind(lock_s)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(count.map(|c| c >= max_failures))
    }

    /// Ends sessions past their idle or absolute expiry (the hourly clean-up).
    pub async fn delete_expired_sessions(&self, idle_s: i64, absolute_s: i64) -> Result<u64, sqlx::Error> {
        let now = self.clock.unix();
        let done = sqlx::query("DELETE FROM sessions WHERE seen_unix < ? OR created_unix < ?")
            .bind(now - idle_s)
            .bind(now - absolute_s)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// After a correct password: the account's failures and lock are cleared.
    pub async fn clear_sign_in_failures(&self, id: i64) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        clear_failures(&mut conn, id).await
    }

    /// Opens a session for the account; returns (session id, CSRF token). Clears failures.
    pub async fn open_session(&self, id: i64) -> Result<(String, String), sqlx::Error> {
        let (session, csrf) = (password::random_secret(), password::random_secret());
        let now = self.clock.unix();
        let mut tx = self.pool.begin().await?;
        clear_failures(&mut tx, id).await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_unix, seen_unix) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(secret_hash(&session))
        .bind(id)
        .bind(&csrf)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((session, csrf))
    }

    /// The live session of `session_id`, touched; expired ones are deleted and not returned.
    pub async fn session(
        &self,
        session_id: &str,
        idle_s: i64,
        absolute_s: i64,
    ) -> Result<Option<SessionRow>, sqlx::Error> {
        let hash = secret_hash(session_id);
        let row = sqlx::query(&format!(
            "SELECT {JOINED_ACCOUNT_COLUMNS}, s.csrf_token, s.created_unix, s.seen_unix FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?"
        ))
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let found = SessionRow {
            account: account(&row),
            csrf_token: row.get("csrf_token"),
            created_unix: row.get("created_unix"),
            seen_unix: row.get("seen_unix"),
        };
        let now = self.clock.unix();
        if found.account.disabled || now - found.seen_unix > idle_s || now - found.created_unix > absolute_s {
            sqlx::query("DELETE FROM sessions WHERE id_hash = ?").bind(&hash).execute(&self.pool).await?;
            return Ok(None);
        }
        if now - found.seen_unix >= 60 {
            sqlx::query("UPDATE sessions SET seen_unix = ? WHERE id_hash = ?")
                .bind(now)
                .bind(&hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(found))
    }

    /// Ends one session (sign-out).
    pub async fn close_session(&self, session_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?").bind(secret_hash(session_id)).execute(&self.pool).await?;
        Ok(())
    }

    /// Sets a new password and ends every session of the account.
    /// With `revoke_tokens` (an admin's reset, e.g. after a compromise) its API tokens end too.
    pub async fn set_password(
        &self,
        id: i64,
        password: &str,
        revoke_tokens: bool,
        actor: &str,
    ) -> Result<(), sqlx::Error> {
        let hash = password::hash_async(password).await;
        let mut tx = self.pool.begin().await?;
        let at = self.clock.stamp();
        let name: String = sqlx::query_scalar(
            "UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL \
             WHERE id = ? RETURNING name",
        )
        .bind(hash)
        .bind(&at)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(id).execute(&mut *tx).await?;
        let mut detail = "sessions revoked";
        if revoke_tokens {
            sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
                .bind(&at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            detail = "sessions and API tokens revoked";
        }
        audit(&mut tx, &at, actor, "password-change", &format!("users/{name}"), detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Clears an account's sign-in lock and failure count (`junkai users unlock`).
    pub async fn unlock(&self, id: i64, actor: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let name: String =
            sqlx::query_scalar("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? RETURNING name")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        audit(&mut tx, &self.clock.stamp(), actor, "user-unlock", &format!("users/{name}"), "").await?;
        tx.commit().await
    }

    /// An admin's change of an account: role, unit, disabled, lock cleared.
    pub async fn update_user(&self, changed: &Account, actor: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE users SET role = ?, unit_id = ?, remote_id = ?, disabled = ?, locked_until = ?, failed_logins = 0 \
             WHERE id = ?",
        )
        .bind(changed.role.as_str())
        .bind(&changed.unit_id)
        .bind(&changed.remote_id)
        .bind(i64::from(changed.disabled))
        .bind(changed.locked_until)
        .bind(changed.id)
        .execute(&mut *tx)
        .await?;
        if changed.disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(changed.id).execute(&mut *tx).await?;
            sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
                .bind(self.clock.stamp())
                .bind(changed.id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = format!(
            "role={} unit={} remote={} disabled={}",
            changed.role.as_str(),
            changed.unit_id.as_deref().unwrap_or("-"),
            changed.remote_id.as_deref().unwrap_or("-"),
            changed.disabled
        );
        audit(&mut tx, &self.clock.stamp(), actor, "user-update", &format!("users/{}", changed.name), &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Issues an API token for the account; returns the token (shown once).
    pub async fn add_token(&self, user_id: i64, label: &str, actor: &str) -> Result<String, sqlx::Error> {
        let token = format!("jk_{}", password::random_secret());
        let mut tx = self.pool.begin().await?;
        let at = self.clock.stamp();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(user_id)
        .bind(label)
        .bind(secret_hash(&token))
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        audit(&mut tx, &at, actor, "token-create", &format!("tokens/{id}"), label).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account of a live API token, noting its use.
    pub async fn token_account(&self, token: &str) -> Result<Option<Account>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT t.id AS token_id, t.last_used_at, {JOINED_ACCOUNT_COLUMNS} FROM api_tokens t \
             JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0"
        ))
        .bind(secret_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // Noted to the minute: one write a minute per token at most.
        let stamp = self.clock.stamp();
        let last: Option<String> = row.get("last_used_at");
        if last.as_deref().and_then(|l| l.get(..16)) != stamp.get(..16) {
            sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                .bind(&stamp)
                .bind(row.get::<i64, _>("token_id"))
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(account(&row)))
    }

    /// Live tokens, of one account or (`None`) of all.
    pub async fn tokens(&self, user_id: Option<i64>) -> Result<Vec<TokenInfo>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT t.id, u.name, t.label, t.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.revoked_at IS NULL AND (? IS NULL OR t.user_id = ?) ORDER BY t.id",
        )
        .bind(user_id)
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| TokenInfo {
                id: r.get("id"),
                user: r.get("name"),
                label: r.get("label"),
                created_at: r.get("created_at"),
                last_used_at: r.get("last_used_at"),
            })
            .collect())
    }

    /// Revokes a token (of `user_id` only, unless `None`: an admin); whether it was live.
    pub async fn revoke_token(&self, id: i64, user_id: Option<i64>, actor: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let at = self.clock.stamp();
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND (? IS NULL OR user_id = ?)",
        )
        .bind(&at)
        .bind(id)
        .bind(user_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(&mut tx, &at, actor, "token-revoke", &format!("tokens/{id}"), "").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The (date, unit) assignments of a driver without a fixed unit.
    pub async fn crew_days(&self, user_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as("SELECT date, unit_id FROM crew_days WHERE user_id = ? ORDER BY date")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await
    }

    /// Assigns a driver without a fixed unit to `unit_id` on `date`.
    pub async fn assign_crew_day(
        &self,
        user_id: i64,
        date: &str,
        unit_id: &str,
        actor: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO crew_days (user_id, date, unit_id) VALUES (?, ?, ?) \
                     ON CONFLICT (user_id, date) DO UPDATE SET unit_id = excluded.unit_id",
        )
        .bind(user_id)
        .bind(date)
        .bind(unit_id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &self.clock.stamp(),
            actor,
            "crew-day",
            &format!("users/{user_id}"),
            &format!("{date} {unit_id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that `actor` read residents' personal data (`target`: what was read).
    pub async fn audit_read(&self, actor: &str, target: &str, detail: &str) -> Result<(), sqlx::Error> {
        self.audit_event(actor, "read-personal", target, detail).await
    }

    /// Records a security event (failed sign-in, lock) outside any other write.
    pub async fn audit_event(&self, actor: &str, action: &str, target: &str, detail: &str) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        audit(&mut conn, &self.clock.stamp(), actor, action, target, detail).await
    }
}

async fn clear_failures(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?").bind(id).execute(conn).await?;
    Ok(())
}
