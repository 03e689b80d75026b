//! The one SQL interface the store's logic is written against, so that the
//! same statements, merge rule, queries and aggregates run on SQLite (the
//! embedded default) and on PostgreSQL (for teams).
//!
//! Statements are written once, with `?` or `?N` placeholders and SQL that
//! both databases read the same way (`ON CONFLICT DO NOTHING`,
//! `NULLS FIRST`, `CAST(… AS BIGINT)`); the PostgreSQL backend rewrites the
//! placeholders to `$N`. Values cross the boundary as [`Val`], rows as
//! [`Row`]. What differs between the two (schema versions, transaction
//! locking, the implicit row order) sits behind [`Conn`].

use crate::StoreError;

/// A value bound to a statement or read from a row: the four storage classes
/// the schema uses (booleans are stored as 0/1 integers).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text.
    Text(String),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}

impl From<u32> for Val {
    fn from(v: u32) -> Val {
        Val::Int(i64::from(v))
    }
}

impl From<u8> for Val {
    fn from(v: u8) -> Val {
        Val::Int(i64::from(v))
    }
}

impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(i64::from(v))
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::Real(v)
    }
}

impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::Real(f64::from(v))
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}

impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// Builds an array of statement parameters from values of mixed types.
macro_rules! vals {
    ($($v:expr),* $(,)?) => { [$($crate::sql::Val::from($v)),*] };
}
pub(crate) use vals;

/// One result row; the getters check the column's type and name the column
/// in their error, so a schema mismatch is a clear error, never a panic.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub(crate) Vec<Val>);

impl Row {
    fn get(&self, i: usize) -> Result<&Val, StoreError> {
        self.0.get(i).ok_or(StoreError::Column {
            index: i,
            expected: "a column",
            found: "end of row",
        })
    }

    fn mismatch(i: usize, expected: &'static str, v: &Val) -> StoreError {
        StoreError::Column {
            index: i,
            expected,
            found: match v {
                Val::Null => "NULL",
                Val::Int(_) => "integer",
                Val::Real(_) => "real",
                Val::Text(_) => "text",
            },
        }
    }

    /// A nullable text column.
    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.get(i)? {
            Val::Null => Ok(None),
            Val::Text(s) => Ok(Some(s.clone())),
            v => Err(Row::mismatch(i, "text", v)),
        }
    }

    /// A text column that must not be NULL.
    pub(crate) fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?
            .ok_or_else(|| Row::mismatch(i, "text", &Val::Null))
    }

    /// A nullable integer column.
    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.get(i)? {
            Val::Null => Ok(None),
            Val::Int(n) => Ok(Some(*n)),
            v => Err(Row::mismatch(i, "integer", v)),
        }
    }

    /// An integer column that must not be NULL.
    pub(crate) fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?
            .ok_or_else(|| Row::mismatch(i, "integer", &Val::Null))
    }

    /// A nullable non-negative integer read into an unsigned type; a value out
    /// of range is an error, not a wrapped number.
    pub(crate) fn opt_uint<T: TryFrom<i64>>(&self, i: usize) -> Result<Option<T>, StoreError> {
        self.opt_int(i)?
            .map(|v| {
                T::try_from(v).map_err(|_| StoreError::OutOfRange {
                    what: "stored integer",
                    value: v.to_string(),
                })
            })
            .transpose()
    }

    /// [`Row::opt_uint`] for a column that must not be NULL.
    pub(crate) fn uint<T: TryFrom<i64>>(&self, i: usize) -> Result<T, StoreError> {
        self.opt_uint(i)?
            .ok_or_else(|| Row::mismatch(i, "integer", &Val::Null))
    }

    /// A nullable real column (an integer is widened).
    pub(crate) fn opt_real(&self, i: usize) -> Result<Option<f64>, StoreError> {
        match self.get(i)? {
            Val::Null => Ok(None),
            Val::Real(x) => Ok(Some(*x)),
            // exact for every value the schema stores in a real column
            Val::Int(n) => Ok(Some(*n as f64)),
            v => Err(Row::mismatch(i, "real", v)),
        }
    }

    /// A real column that must not be NULL.
    pub(crate) fn real(&self, i: usize) -> Result<f64, StoreError> {
        self.opt_real(i)?
            .ok_or_else(|| Row::mismatch(i, "real", &Val::Null))
    }

    /// A nullable 0/1 column as a boolean.
    pub(crate) fn opt_bool(&self, i: usize) -> Result<Option<bool>, StoreError> {
        Ok(self.opt_int(i)?.map(|n| n != 0))
    }
}

/// Which database a store is backed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (or memory), the embedded default.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A connection to one database, as the store uses it: statements with
/// parameters, result rows, and transactions. Implemented for SQLite and
/// PostgreSQL; all methods take `&self` so that read paths of the store need
/// no exclusive borrow (the PostgreSQL client sits in a `RefCell`).
pub(crate) trait Conn: Send {
    /// Which database this is.
    fn backend(&self) -> Backend;
    /// Runs one statement; returns the number of rows it changed.
    fn exec(&self, sql: &str, params: &[Val]) -> Result<usize, StoreError>;
    /// Runs one query and returns all of its rows.
    fn rows(&self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError>;
    /// Starts a transaction: a write transaction holds the store's write lock
    /// from its start (one writer at a time, as SQLite's `BEGIN IMMEDIATE`);
    /// a read transaction sees one consistent snapshot.
    fn begin(&self, write: bool) -> Result<(), StoreError>;
    /// Commits the open transaction.
    fn commit(&self) -> Result<(), StoreError>;
    /// Rolls the open transaction back.
    fn rollback(&self) -> Result<(), StoreError>;
    /// The column that orders `ingest_errors` by insertion.
    fn insertion_order(&self) -> &'static str;
    /// Stops any statement that runs longer than `limit` from now on (with
    /// [`StoreError::TimedOut`]); `None` lifts the limit.
    fn set_time_limit(&mut self, limit: Option<std::time::Duration>) -> Result<(), StoreError>;
}

impl dyn Conn + '_ {
    /// The first row of a query, if any.
    pub(crate) fn row(&self, sql: &str, params: &[Val]) -> Result<Option<Row>, StoreError> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }

    /// Whether a query returns any row.
    pub(crate) fn exists(&self, sql: &str, params: &[Val]) -> Result<bool, StoreError> {
        Ok(!self.rows(sql, params)?.is_empty())
    }

    /// Opens a transaction that rolls back when dropped uncommitted, so an
    /// error anywhere in a write leaves the store as it was.
    pub(crate) fn transaction(&self, write: bool) -> Result<Tx<'_>, StoreError> {
        self.begin(write)?;
        Ok(Tx {
            conn: self,
            open: true,
        })
    }
}

/// An open transaction; see [`Conn::begin`].
pub(crate) struct Tx<'a> {
    conn: &'a dyn Conn,
    open: bool,
}

impl Tx<'_> {
    /// Commits it.
    pub(crate) fn commit(mut self) -> Result<(), StoreError> {
        self.open = false;
        self.conn.commit()
    }
}

impl<'a> std::ops::Deref for Tx<'a> {
    type Target = dyn Conn + 'a;
    fn deref(&self) -> &Self::Target {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // the error that brought us here is the one worth reporting
            let _ = self.conn.rollback();
        }
    }
}

/// Rewrites `?` and `?N` placeholders as PostgreSQL's `$N` (bare `?` are
/// numbered in order), leaving quoted text and identifiers alone.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    next += 1;
                    out.push_str(&next.to_string());
                } else {
                    out.push_str(&digits);
                }
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_dollars() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ? AND c LIKE ? ESCAPE '\\'"),
            "SELECT a FROM t WHERE b = $1 AND c LIKE $2 ESCAPE '\\'"
        );
        assert_eq!(
            dollar_placeholders("UPDATE t SET x = ?2 WHERE id = ?1 AND y > ?2"),
            "UPDATE t SET x = $2 WHERE id = $1 AND y > $2"
        );
        assert_eq!(
            dollar_placeholders("SELECT '?', \"a?\" FROM t WHERE x = ?"),
            "SELECT '?', \"a?\" FROM t WHERE x = $1"
        );
    }

    #[test]
    fn rows_name_the_wrong_column_type() {
        let row = Row(vals![1i64, "x", Option::<i64>::None].to_vec());
        assert_eq!(row.int(0).ok(), Some(1));
        assert_eq!(row.text(1).ok().as_deref(), Some("x"));
        assert_eq!(row.opt_int(2).ok(), Some(None));
        assert!(row.int(1).is_err());
        assert!(row.text(2).is_err());
        assert!(row.int(7).is_err());
        assert!(matches!(row.uint::<u8>(0), Ok(1)));
        let big = Row(vals![1000i64].to_vec());
        assert!(big.uint::<u8>(0).is_err());
    }
}
