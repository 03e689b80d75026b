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
    /// Writing an export failed.
    #[error("write error: {0}")]
    Io(#[from] std::io::Error),
    /// Writing a CSV export failed.
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
    /// Writing a JSON Lines export failed.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

/// An export format name that pulse does not know; the message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {0:?}; valid formats: jsonl, csv, gdelt, geojson")]
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
