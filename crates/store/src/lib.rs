//! The store of pulse: articles, their sentences and the events coded from
//! them, in an embedded SQLite file (the default) or on a PostgreSQL server.
//!
//! * [`Store::open`] creates or upgrades an SQLite database (WAL mode,
//!   migrations tracked with `PRAGMA user_version`); [`Store::connect`] takes
//!   a `--db` value, a file path or a `postgres://` URL (cargo feature
//!   `postgres`, on by default). Both backends run the same statements
//!   through one internal connection trait, so they store, merge and answer
//!   alike.
//! * [`Store::insert_article`] stores one article with its sentences and events in
//!   one transaction; re-inserting the same article is a no-op, and the same event
//!   reported by several articles, in the same or other words, is merged into one
//!   row with a mention per report ([`merge`] states the rule).
//! * [`Store::query`] and [`Store::export`] read events back through an
//!   [`EventFilter`], as Rust values or as JSON Lines, CSV, GDELT 2.0 rows,
//!   GeoJSON or (with the cargo feature `parquet`) a Parquet file.
//! * [`Store::aggregate`] counts events per day, week or month, and
//!   [`Store::alerts`] flags series whose latest period is unusual.

#![warn(missing_docs)]

mod aggregate;
mod alerts;
mod error;
mod export;
pub mod merge;
#[cfg(feature = "parquet")]
mod parquet_export;
#[cfg(feature = "postgres")]
mod postgres;
mod query;
mod schema;
mod sql;
mod sqlite;
mod store;
mod util;

pub use aggregate::{Aggregate, AggregateRow, GroupBy, Period};
pub use alerts::{Alert, AlertKind, AlertOptions, Series};
pub use error::{StoreError, UnknownChoice, UnknownFormat};
pub use export::{ExportFormat, CSV_COLUMNS, GDELT_COLUMNS};
#[cfg(feature = "parquet")]
pub use parquet_export::{parquet_schema, ROW_GROUP_ROWS};
pub use query::{
    cursor_of, ArticleCopy, ArticlePlace, EventFilter, Mention, MentionPlace, MentionSpan,
    StoredArticle, StoredEvent, StoredPlace,
};
pub use schema::SCHEMA_VERSION;
pub use sql::Backend;
pub use store::{display_db, is_postgres_url, InsertOutcome, Stats, Store};
