//! The errors of the store.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or configured.
    #[error("{path}: cannot open database: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// The underlying SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer pulse whose schema this build does not know.
    #[error("database schema version {found} is newer than this build supports ({supported}); upgrade pulse")]
    SchemaTooNew {
        /// The `user_version` found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A number from the data does not fit the database's integer type.
    #[error("{what} is out of range: {value}")]
    OutOfRange {
        /// Which value (e.g. `event sentence index`).
        what: &'static str,
        /// The value, as text.
        value: String,
    },
    /// An SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server named by a connection string could not be reached
    /// or refused the connection (the password, if any, is not shown).
    #[cfg(feature = "postgres")]
    #[error("{url}: cannot connect to PostgreSQL: {source}")]
    Connect {
        /// The connection string, password redacted.
        url: String,
        /// The client's error.
        #[source]
        source: postgres::Error,
    },
    /// A PostgreSQL error.
    #[cfg(feature = "postgres")]
    #[error("database error: {0}")]
    Postgres(#[from] postgres::Error),
    /// A `postgres://` database was named, but this build has no PostgreSQL support.
    #[error(
        "this pulse was built without PostgreSQL support; rebuild it with the `postgres` feature"
    )]
    PostgresNotBuilt,
    /// A stored column does not hold the type the store expects (a database
    /// written by something else, or edited by hand).
    #[error("column {index} holds {found} where {expected} was expected")]
    Column {
        /// The column's position in the query.
        index: usize,
        /// The expected type.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// A query ran past the time limit set with `Store::set_time_limit` and
    /// was stopped.
    #[error("the query took longer than {0:?} and was stopped")]
    TimedOut(std::time::Duration),
    /// A connection was used from inside one of its own row loops (a bug in
    /// pulse, reported instead of a panic).
    #[error("database connection is busy")]
    Busy,
    /// Writing an export failed.
    #[error("write error: {0}")]
    Io(#[from] std::io::Error),
    /// Writing a CSV export failed.
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
    /// Writing a JSON Lines export failed.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// Parquet was asked for, but this build has no Parquet support.
    #[error("this pulse was built without Parquet support; rebuild it with `--features parquet`")]
    ParquetNotBuilt,
    /// Writing a Parquet export failed.
    #[cfg(feature = "parquet")]
    #[error("Parquet error: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// Building the Arrow columns of a Parquet export failed.
    #[cfg(feature = "parquet")]
    #[error("Arrow error: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// A Parquet export column has a type the exporter has no builder for
    /// (a bug in pulse, not in the data).
    #[cfg(feature = "parquet")]
    #[error("Parquet column {0:?} has no builder")]
    ParquetSchema(String),
}

/// An export format name that pulse does not know; the message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {0:?}; valid formats: jsonl, csv, gdelt, geojson, parquet")]
pub struct UnknownFormat(pub String);

/// A period, grouping or other named choice that pulse does not know; the
/// message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}; valid: {valid}")]
pub struct UnknownChoice {
    /// What was being chosen (`period`, `group`).
    pub what: &'static str,
    /// The value given.
    pub value: String,
    /// The valid names, comma-separated.
    pub valid: &'static str,
}

impl StoreError {
    /// Whether the database cannot be written at all: the disk is full, the
    /// file may not grow, or the storage failed. Going on with the next
    /// article cannot help; the caller should stop and say so.
    pub fn is_storage_failure(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            | StoreError::Open {
                source: rusqlite::Error::SqliteFailure(f, _),
                ..
            } => matches!(
                f.code,
                rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::SystemIoFailure
                    | rusqlite::ErrorCode::ReadOnly
                    | rusqlite::ErrorCode::CannotOpen
            ),
            #[cfg(feature = "postgres")]
            StoreError::Postgres(e) => e.code().is_some_and(|c| {
                *c == postgres::error::SqlState::DISK_FULL
                    || *c == postgres::error::SqlState::IO_ERROR
                    || *c == postgres::error::SqlState::INSUFFICIENT_RESOURCES
            }),
            _ => false,
        }
    }
}
