//! The SQLite backend of [`crate::sql::Conn`]: the embedded default.

use crate::sql::{Backend, Conn, Row, Val};
use crate::StoreError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, ErrorCode, ToSql};
use std::time::{Duration, Instant};

/// The SQLite connection with the time limit its statements run under.
pub(crate) struct SqliteConn {
    conn: Connection,
    limit: Option<Duration>,
}

impl SqliteConn {
    pub(crate) fn new(conn: Connection) -> SqliteConn {
        SqliteConn { conn, limit: None }
    }

    /// An SQLite error, or [`StoreError::TimedOut`] when the progress
    /// handler stopped the statement.
    fn error(&self, e: rusqlite::Error) -> StoreError {
        match (&e, self.limit) {
            (rusqlite::Error::SqliteFailure(f, _), Some(limit))
                if f.code == ErrorCode::OperationInterrupted =>
            {
                StoreError::TimedOut(limit)
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Val::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Val::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Val::Real(x) => ToSqlOutput::Borrowed(ValueRef::Real(*x)),
            Val::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// Reads one column of an SQLite row; blobs (which pulse never writes) and
/// text that is not UTF-8 are errors naming the column.
fn value(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Val> {
    Ok(match r.get_ref(i)? {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(n) => Val::Int(n),
        ValueRef::Real(x) => Val::Real(x),
        ValueRef::Text(t) => Val::Text(
            std::str::from_utf8(t)
                .map_err(|e| rusqlite::Error::Utf8Error(i, e))?
                .to_string(),
        ),
        ValueRef::Blob(_) => {
            return Err(rusqlite::Error::InvalidColumnType(
                i,
                "blob".to_string(),
                rusqlite::types::Type::Blob,
            ))
        }
    })
}

impl SqliteConn {
    fn try_rows(&self, sql: &str, params: &[Val]) -> rusqlite::Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let rows = stmt.query_map(params_from_iter(params), |r| {
            (0..n).map(|i| value(r, i)).collect::<Result<Vec<_>, _>>()
        })?;
        let mut out = Vec::new();
        for row in rows {
            out.push(Row(row?));
        }
        Ok(out)
    }
}

impl Conn for SqliteConn {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn exec(&self, sql: &str, params: &[Val]) -> Result<usize, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params_from_iter(params)))
            .map_err(|e| self.error(e))
    }

    fn rows(&self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        self.try_rows(sql, params).map_err(|e| self.error(e))
    }

    fn begin(&self, write: bool) -> Result<(), StoreError> {
        // IMMEDIATE takes the write lock at once, so two writers never
        // deadlock upgrading from a read; a read transaction is a snapshot
        self.conn
            .execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })
            .map_err(|e| self.error(e))
    }

    fn commit(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.error(e))
    }

    fn rollback(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(|e| self.error(e))
    }

    fn insertion_order(&self) -> &'static str {
        "rowid"
    }

    fn set_time_limit(&mut self, limit: Option<Duration>) -> Result<(), StoreError> {
        self.limit = limit;
        match limit {
            Some(limit) => {
                let deadline = Instant::now() + limit;
                // checked every 10,000 virtual-machine steps (a few
                // microseconds), so the limit holds to well within a millisecond
                self.conn
                    .progress_handler(10_000, Some(move || Instant::now() > deadline))?;
            }
            None => self.conn.progress_handler(10_000, None::<fn() -> bool>)?,
        }
        Ok(())
    }
}
