//! The SQLite database (sqlx, WAL mode): the data set, plan versions and the audit log.
//! Every write is one transaction. Plan versions: [`plans`]. sqlx keeps the door open to PostgreSQL: the queries
//! are plain SQL with bound parameters.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::clock::Clock;
use crate::io::problem_file::{
    Documents, Named, REQUESTS_FORMAT, RequestEntry, StopEntry, UnitEntry, VERSION, names_in,
};

mod accounts;
mod announcements;
mod applications;
pub mod backup;
mod cancellations;
pub mod documents;
mod plans;
mod records;
mod retention;
pub use accounts::{Account, Role, SessionRow, TokenInfo, secret_hash};
pub use announcements::AnnouncedChange;
pub use applications::{Application, ApplicationStatus, RESERVED_FOR_APPLICATIONS, is_application_number};
pub use cancellations::Cancellation;
pub use documents::{ChangedWindow, FailureProblem, PlanFailure, PlanKind, PlanStatus, PlanSummary};
pub use plans::{PlanColumn, PlanOutputs, PlanRow, Publishing};
pub use records::{FollowUp, NewEntry};
pub use retention::PurgeReport;

/// The database handle.
#[derive(Clone)]
pub struct Store {
    pub pool: SqlitePool,
    /// Bumped by every committed write (entities, publishing): caches of public content
    /// compare it to know they are current. All writes go through this process.
    generation: Arc<AtomicU64>,
    /// Stamps every row and audit entry.
    pub clock: Clock,
}

/// One entry of the audit log: who did what to which target, when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    /// RFC 3339, from the service's clock.
    pub at: String,
    /// The account (or `system`, `online`, `address:…`).
    pub actor: String,
    /// e.g. `create`, `update`, `read`, `publish`, `sign-in-failed`.
    pub action: String,
    /// e.g. `requests/R7`, `plans/3`.
    pub target: String,
    pub detail: String,
}

/// Which list of the data set an entity belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    Stop,
    Unit,
    Request,
}

impl Entity {
    fn table(self) -> &'static str {
        match self {
            Entity::Stop => "stops",
            Entity::Unit => "units",
            Entity::Request => "requests",
        }
    }

    /// The key of the list in the problem-file format.
    pub fn json_key(self) -> &'static str {
        match self {
            Entity::Stop => "stops",
            Entity::Unit => "vehicles",
            Entity::Request => "requests",
        }
    }
}

/// A stored body of row `id` in `table`; one that does not parse (a damaged row) is an
/// error that names the row, logged, so that no list silently loses an entry.
pub(super) fn stored_body<T: DeserializeOwned>(table: &str, id: &str, body: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(body).map_err(|e| {
        tracing::error!(table, id, error = %e, "a stored body does not parse");
        sqlx::Error::Decode(format!("{table} {id}: {e}").into())
    })
}

impl Store {
    /// The current write generation.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(super) fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Opens (creating and migrating if needed) the database file.
    pub async fn open(path: &Path, clock: Clock) -> Result<Store, sqlx::Error> {
        Store::connect(path, true, clock).await
    }

    /// Opens a database that must exist already (maintenance commands: a mistyped `--db`
    /// is an error, not a new empty database).
    pub async fn open_existing(path: &Path, clock: Clock) -> Result<Store, sqlx::Error> {
        Store::connect(path, false, clock).await
    }

    async fn connect(path: &Path, create: bool, clock: Clock) -> Result<Store, sqlx::Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool, generation: Arc::new(AtomicU64::new(0)), clock })
    }

    /// Imports the documents when the database holds no data set yet; returns whether it did.
    pub async fn import_if_empty(&self, docs: &Documents) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM dataset").fetch_optional(&mut *tx).await?;
        if exists.is_some() {
            return Ok(false);
        }
        let (label, problem) = &docs.problem;
        let mut base = problem.clone();
        let list = |v: &mut Value, key: &str| v.as_object_mut().and_then(|o| o.remove(key)).unwrap_or(json!([]));
        let stops = list(&mut base, "stops");
        let units = list(&mut base, "vehicles");
        let mut requests = list(&mut base, "requests");
        if let Some((_, doc)) = &docs.requests {
            requests = doc.get("requests").cloned().unwrap_or(json!([]));
        }
        let at = self.clock.stamp();
        sqlx::query("INSERT INTO dataset (id, label, base_json, imported_at) VALUES (1, ?, ?, ?)")
            .bind(label)
            .bind(base.to_string())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        for (entity, items) in [(Entity::Stop, &stops), (Entity::Unit, &units), (Entity::Request, &requests)] {
            for (i, item) in items.as_array().into_iter().flatten().enumerate() {
                let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
                insert(&mut tx, entity, id, i as i64, item, &at).await?;
            }
        }
        audit(&mut tx, &at, "system", "import", label, "").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The data set as documents for the parser (requests as a separate requests file
    /// when there are any, so that the base's sample requests apply otherwise).
    pub async fn documents(&self) -> Result<Documents, sqlx::Error> {
        let row = sqlx::query("SELECT label, base_json FROM dataset WHERE id = 1").fetch_one(&self.pool).await?;
        let label: String = row.get("label");
        let mut problem: Value = serde_json::from_str(row.get::<&str, _>("base_json")).unwrap_or(json!({}));
        for entity in [Entity::Stop, Entity::Unit] {
            problem[entity.json_key()] = Value::Array(self.list(entity).await?);
        }
        let requests = self.list(Entity::Request).await?;
        let requests = (!requests.is_empty()).then(|| {
            ("requests".to_string(), json!({ "format": REQUESTS_FORMAT, "version": VERSION, "requests": requests }))
        });
        Ok(Documents::new((label, problem), requests))
    }

    /// The bodies of one list, in order. A stored body that does not parse is an error
    /// naming its row (and logged), never left out.
    pub async fn list(&self, entity: Entity) -> Result<Vec<Value>, sqlx::Error> {
        self.list_as(entity).await
    }

    async fn list_as<T: DeserializeOwned>(&self, entity: Entity) -> Result<Vec<T>, sqlx::Error> {
        let order = if entity == Entity::Request { "created_at, id" } else { "position, id" };
        let rows: Vec<(String, String)> =
            sqlx::query_as(&format!("SELECT id, body_json FROM {} ORDER BY {order}", entity.table()))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|(id, body)| stored_body(entity.table(), id, body)).collect()
    }

    /// The ids and names of list `key` of the data set's base document (`service_kinds`,
    /// `remote_staff`: lists the service does not edit).
    pub async fn names(&self, key: &str) -> Result<Vec<Named>, sqlx::Error> {
        let text: String =
            sqlx::query_scalar("SELECT base_json FROM dataset WHERE id = 1").fetch_one(&self.pool).await?;
        Ok(names_in(&stored_body::<Value>("dataset", "1", &text)?, key))
    }

    /// The service kinds' ids and names.
    pub async fn kinds(&self) -> Result<Vec<Named>, sqlx::Error> {
        self.names("service_kinds").await
    }

    /// The stops, in order.
    pub async fn stops(&self) -> Result<Vec<StopEntry>, sqlx::Error> {
        self.list_as(Entity::Stop).await
    }

    /// Stop `id`, if stored.
    pub async fn stop(&self, id: &str) -> Result<Option<StopEntry>, sqlx::Error> {
        self.get_as(Entity::Stop, id).await
    }

    /// The units, in order.
    pub async fn units(&self) -> Result<Vec<UnitEntry>, sqlx::Error> {
        self.list_as(Entity::Unit).await
    }

    /// Unit `id`, if stored.
    pub async fn unit(&self, id: &str) -> Result<Option<UnitEntry>, sqlx::Error> {
        self.get_as(Entity::Unit, id).await
    }

    /// The stored requests, oldest first (they hold residents' data: the caller audits
    /// the read).
    pub async fn requests(&self) -> Result<Vec<RequestEntry>, sqlx::Error> {
        self.list_as(Entity::Request).await
    }

    /// The stored requests by id (audited by the caller like [`Store::requests`]).
    pub async fn requests_by_id(&self) -> Result<std::collections::HashMap<String, RequestEntry>, sqlx::Error> {
        Ok(self.requests().await?.into_iter().map(|r| (r.id.clone(), r)).collect())
    }

    /// Request `id`, if stored.
    pub async fn request(&self, id: &str) -> Result<Option<RequestEntry>, sqlx::Error> {
        self.get_as(Entity::Request, id).await
    }

    /// Whether `entity` `id` is stored.
    pub async fn exists(&self, entity: Entity, id: &str) -> Result<bool, sqlx::Error> {
        let found: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {} WHERE id = ?", entity.table()))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Whether the database holds a data set (imported on first start).
    pub async fn has_dataset(&self) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM dataset").fetch_optional(&self.pool).await?.is_some())
    }

    async fn get_as<T: DeserializeOwned>(&self, entity: Entity, id: &str) -> Result<Option<T>, sqlx::Error> {
        let body: Option<String> =
            sqlx::query_scalar(&format!("SELECT body_json FROM {} WHERE id = ?", entity.table()))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        body.map(|b| stored_body(entity.table(), id, &b)).transpose()
    }

    /// Creates or replaces an entity (already validated by the caller), with an audit entry.
    pub async fn put(&self, entity: Entity, id: &str, body: &Value, actor: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        self.put_in(&mut tx, entity, id, body, actor).await?;
        tx.commit().await?;
        self.bump();
        Ok(())
    }

    /// [`Store::put`] inside the caller's transaction.
    pub(super) async fn put_in(
        &self,
        tx: &mut sqlx::SqliteConnection,
        entity: Entity,
        id: &str,
        body: &Value,
        actor: &str,
    ) -> Result<(), sqlx::Error> {
        let table = entity.table();
        let existing: Option<i64> = if entity == Entity::Request {
            sqlx::query_scalar("SELECT 0 FROM requests WHERE id = ?").bind(id).fetch_optional(&mut *tx).await?
        } else {
            sqlx::query_scalar(&format!("SELECT position FROM {table} WHERE id = ?"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        };
        let action = if existing.is_some() { "update" } else { "create" };
        if existing.is_some() {
            sqlx::query(&format!("UPDATE {table} SET body_json = ? WHERE id = ?"))
                .bind(body.to_string())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        } else {
            let position: i64 = if entity == Entity::Request {
                0
            } else {
                sqlx::query_scalar(&format!("SELECT COALESCE(MAX(position) + 1, 0) FROM {table}"))
                    .fetch_one(&mut *tx)
                    .await?
            };
            insert(tx, entity, id, position, body, &self.clock.stamp()).await?;
        }
        audit(tx, &self.clock.stamp(), actor, action, &format!("{}/{id}", entity.json_key()), "").await?;
        Ok(())
    }

    /// Adds new requests (ids not stored yet), all or none, each audited.
    pub async fn add_requests(&self, requests: &[RequestEntry], actor: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let stamp = self.clock.stamp();
        for request in requests {
            let id = &request.id;
            insert(&mut tx, Entity::Request, id, 0, &request.to_value(), &stamp).await?;
            audit(&mut tx, &stamp, actor, "create", &format!("requests/{id}"), "import").await?;
        }
        tx.commit().await?;
        self.bump();
        Ok(())
    }

    /// Deletes an entity; returns whether it existed.
    pub async fn delete(&self, entity: Entity, id: &str, actor: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done =
            sqlx::query(&format!("DELETE FROM {} WHERE id = ?", entity.table())).bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(&mut tx, &self.clock.stamp(), actor, "delete", &format!("{}/{id}", entity.json_key()), "").await?;
        tx.commit().await?;
        self.bump();
        Ok(true)
    }

    /// The latest audit entries, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
        sqlx::query_as("SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?")
            .bind(limit)
            .fetch_all(&self.pool)
            .await
    }
}

async fn insert(
    tx: &mut sqlx::SqliteConnection,
    entity: Entity,
    id: &str,
    position: i64,
    body: &Value,
    at: &str,
) -> Result<(), sqlx::Error> {
    let sql = match entity {
        Entity::Request => "INSERT INTO requests (id, body_json, created_at) VALUES (?, ?, ?)".to_string(),
        _ => format!("INSERT INTO {} (id, position, body_json) VALUES (?, ?, ?)", entity.table()),
    };
    let query = sqlx::query(&sql).bind(id);
    let query = match entity {
        Entity::Request => query.bind(body.to_string()).bind(at),
        _ => query.bind(position).bind(body.to_string()),
    };
    query.execute(&mut *tx).await?;
    if entity == Entity::Request {
        // The id is in use again (a form, the API or an import): no longer a cancelled request.
        sqlx::query("DELETE FROM cancelled_requests WHERE id = ?").bind(id).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Appends an audit entry stamped `at`, inside the caller's transaction.
pub(super) async fn audit(
    tx: &mut sqlx::SqliteConnection,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(tx)
        .await?;
    Ok(())
}
