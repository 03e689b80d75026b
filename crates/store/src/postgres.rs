//! The PostgreSQL backend of [`crate::sql::Conn`], for teams that share one
//! event store: `Store::connect("postgres://user@host/db")`.
//!
//! It uses the synchronous `postgres` client (a thin wrapper over
//! `tokio-postgres`), so the store's API stays the same for both backends.
//! Statements are prepared once per connection and cached. Writers take a
//! transaction-scoped advisory lock, so that, as with SQLite, one article is
//! merged at a time and two ingests never give one event two ids.

use crate::sql::{dollar_placeholders, Backend, Conn, Row, Val};
use crate::StoreError;
use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

/// The advisory lock key every pulse writer takes ("pulse" in ASCII).
const WRITE_LOCK: i64 = 0x70_75_6c_73_65;

/// A PostgreSQL connection and its prepared statements.
pub(crate) struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The statement timeout in force, to name it when a statement hits it.
    limit: Option<std::time::Duration>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgConn")
    }
}

impl PgConn {
    /// Connects to the server named by a `postgres://` URL (or key=value
    /// string), without TLS: meant for loopback or a trusted network.
    pub(crate) fn connect(url: &str) -> Result<PgConn, postgres::Error> {
        let client = Client::connect(url, NoTls)?;
        Ok(PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            limit: None,
        })
    }

    /// A client error, or [`StoreError::TimedOut`] when the server cancelled
    /// the statement for running past the time limit.
    fn error(&self, e: postgres::Error) -> StoreError {
        match (e.code(), self.limit) {
            (Some(code), Some(limit)) if *code == postgres::error::SqlState::QUERY_CANCELED => {
                StoreError::TimedOut(limit)
            }
            _ => StoreError::Postgres(e),
        }
    }

    /// Runs statements without parameters (schema changes).
    pub(crate) fn batch(&self, sql: &str) -> Result<(), StoreError> {
        self.client
            .try_borrow_mut()
            .map_err(busy)?
            .batch_execute(sql)?;
        Ok(())
    }

    fn statement(&self, client: &mut Client, sql: &str) -> Result<Statement, StoreError> {
        let mut cache = self.statements.try_borrow_mut().map_err(busy)?;
        if let Some(s) = cache.get(sql) {
            return Ok(s.clone());
        }
        let s = client.prepare(&dollar_placeholders(sql))?;
        cache.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

/// The client was borrowed twice: a bug in the store (a statement run from
/// inside another's row loop), reported rather than panicking.
fn busy(_: std::cell::BorrowMutError) -> StoreError {
    StoreError::Busy
}

/// Reads column `i` of a row as a [`Val`] by its PostgreSQL type.
fn value(row: &postgres::Row, i: usize) -> Result<Val, StoreError> {
    let ty = row.columns().get(i).map(|c| c.type_().clone());
    Ok(match ty {
        Some(Type::INT8) => row.try_get::<_, Option<i64>>(i)?.into(),
        Some(Type::INT4) => row.try_get::<_, Option<i32>>(i)?.map(i64::from).into(),
        Some(Type::INT2) => row.try_get::<_, Option<i16>>(i)?.map(i64::from).into(),
        Some(Type::BOOL) => row.try_get::<_, Option<bool>>(i)?.into(),
        Some(Type::FLOAT8) => row.try_get::<_, Option<f64>>(i)?.into(),
        Some(Type::FLOAT4) => row.try_get::<_, Option<f32>>(i)?.into(),
        Some(Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME) => {
            row.try_get::<_, Option<String>>(i)?.into()
        }
        _ => {
            return Err(StoreError::Column {
                index: i,
                expected: "integer, real, boolean or text",
                found: "another PostgreSQL type",
            })
        }
    })
}

impl ToSql for Val {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(n) => match *ty {
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => n.to_string().to_sql(ty, out),
                _ => n.to_sql(ty, out),
            },
            Val::Real(x) => match *ty {
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                _ => x.to_sql(ty, out),
            },
            Val::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::FLOAT8
                | Type::FLOAT4
                | Type::TEXT
                | Type::VARCHAR
                | Type::BPCHAR
                | Type::NAME
                | Type::UNKNOWN
        )
    }

    postgres::types::to_sql_checked!();
}

fn params(vals: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    vals.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgConn {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn exec(&self, sql: &str, vals: &[Val]) -> Result<usize, StoreError> {
        let mut client = self.client.try_borrow_mut().map_err(busy)?;
        let stmt = self.statement(&mut client, sql)?;
        let n = client
            .execute(&stmt, &params(vals))
            .map_err(|e| self.error(e))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn rows(&self, sql: &str, vals: &[Val]) -> Result<Vec<Row>, StoreError> {
        let mut client = self.client.try_borrow_mut().map_err(busy)?;
        let stmt = self.statement(&mut client, sql)?;
        let rows = client
            .query(&stmt, &params(vals))
            .map_err(|e| self.error(e))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| value(r, i))
                    .collect::<Result<_, _>>()
                    .map(Row)
            })
            .collect()
    }

    fn begin(&self, write: bool) -> Result<(), StoreError> {
        if write {
            self.batch(&format!(
                "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
            ))
        } else {
            self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        }
    }

    fn commit(&self) -> Result<(), StoreError> {
        self.batch("COMMIT")
    }

    fn rollback(&self) -> Result<(), StoreError> {
        self.batch("ROLLBACK")
    }

    fn insertion_order(&self) -> &'static str {
        "seq"
    }

    fn set_time_limit(&mut self, limit: Option<std::time::Duration>) -> Result<(), StoreError> {
        let ms = limit.map_or(0, |d| d.as_millis().clamp(1, i32::MAX as u128));
        self.limit = limit;
        self.batch(&format!("SET statement_timeout = {ms}"))
    }
}
