//! The SQLite backend of [`crate::sql::Conn`]: the embedded default.

use crate::sql::{Backend, Conn, Row, Val};
use crate::StoreError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, ToSql};

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

impl Conn for Connection {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn exec(&self, sql: &str, params: &[Val]) -> Result<usize, StoreError> {
        Ok(self
            .prepare_cached(sql)?
            .execute(params_from_iter(params))?)
    }

    fn rows(&self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.prepare_cached(sql)?;
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

    fn begin(&self, write: bool) -> Result<(), StoreError> {
        // IMMEDIATE takes the write lock at once, so two writers never
        // deadlock upgrading from a read; a read transaction is a snapshot
        self.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
        Ok(())
    }

    fn commit(&self) -> Result<(), StoreError> {
        self.execute_batch("COMMIT")?;
        Ok(())
    }

    fn rollback(&self) -> Result<(), StoreError> {
        self.execute_batch("ROLLBACK")?;
        Ok(())
    }

    fn insertion_order(&self) -> &'static str {
        "rowid"
    }
}
