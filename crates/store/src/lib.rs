//! The embedded SQLite store of pulse: articles, their sentences and the events
//! coded from them.
//!
//! * [`Store::open`] creates or upgrades the database (WAL mode, migrations tracked
//!   with `PRAGMA user_version`).
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
mod query;
mod schema;
mod store;
mod util;

pub use aggregate::{Aggregate, AggregateRow, GroupBy, Period};
pub use alerts::{Alert, AlertKind, AlertOptions, Series};
pub use error::{StoreError, UnknownChoice, UnknownFormat};
pub use export::{ExportFormat, CSV_COLUMNS, GDELT_COLUMNS};
#[cfg(feature = "parquet")]
pub use parquet_export::{parquet_schema, ROW_GROUP_ROWS};
pub use query::{
    cursor_of, EventFilter, Mention, MentionPlace, MentionSpan, StoredEvent, StoredPlace,
};
pub use schema::SCHEMA_VERSION;
pub use store::{InsertOutcome, Stats, Store};
