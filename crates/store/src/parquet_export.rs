//! The Parquet export (cargo feature `parquet`): the [`CSV_COLUMNS`] with
//! their own types, zstd-compressed, written a row group at a time.
//!
//! Column types: integers are `INT64` (signed, so that readers without
//! unsigned types read them as plain integers), the Goldstein score,
//! confidence and coordinates `DOUBLE`, the two `*_from_context` flags
//! `BOOLEAN`, everything else UTF-8 strings. Dates stay strings (`date` may be
//! a month or a year alone, `first_seen` is RFC 3339). A value the event does
//! not have (no target, no place, no mention) is null.

use crate::export::CSV_COLUMNS;
use crate::query::{EventFilter, StoredEvent};
use crate::{Store, StoreError};
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;

/// Rows per row group: the rows held in memory before they are written out.
pub const ROW_GROUP_ROWS: usize = 5000;

/// The Parquet export's schema: the [`CSV_COLUMNS`] in order, with their types.
pub fn parquet_schema() -> Schema {
    use DataType::{Boolean, Float64, Int64, Utf8};
    // (type, nullable) of each CSV column, in order
    const TYPES: [(DataType, bool); 41] = [
        (Utf8, false),    // id
        (Int64, false),   // global_id
        (Utf8, true),     // date
        (Utf8, false),    // cameo
        (Utf8, false),    // root
        (Utf8, false),    // name
        (Int64, false),   // quad_class
        (Float64, false), // goldstein
        (Utf8, true),     // plover
        (Utf8, false),    // source_code
        (Utf8, false),    // source_name
        (Utf8, true),     // source_country
        (Utf8, true),     // source_sector
        (Utf8, true),     // target_code
        (Utf8, true),     // target_name
        (Utf8, true),     // target_country
        (Utf8, true),     // target_sector
        (Utf8, false),    // first_seen
        (Int64, false),   // num_mentions
        (Int64, false),   // num_articles
        (Int64, false),   // num_sources
        (Utf8, true),     // url
        (Utf8, true),     // sentence_text
        (Utf8, true),     // mode
        (Utf8, true),     // pattern
        (Float64, true),  // confidence
        (Boolean, false), // source_country_from_context
        (Boolean, false), // target_country_from_context
        (Utf8, true),     // date_precision
        (Utf8, true),     // date_source
        (Int64, true),    // fatalities
        (Int64, true),    // injuries
        (Int64, true),    // size
        (Int64, true),    // place_id
        (Utf8, true),     // place_name
        (Utf8, true),     // place_country
        (Utf8, true),     // place_admin1
        (Utf8, true),     // place_level
        (Float64, true),  // lat
        (Float64, true),  // lon
        (Int64, true),    // geo_precision
    ];
    Schema::new(
        CSV_COLUMNS
            .iter()
            .zip(TYPES)
            .map(|(name, (ty, nullable))| Field::new(*name, ty, nullable))
            .collect::<Vec<_>>(),
    )
}

/// A count as a Parquet `INT64`.
fn int(what: &'static str, n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::OutOfRange {
        what,
        value: n.to_string(),
    })
}

/// The rows of one row group, column by column.
struct Rows {
    text: Vec<StringBuilder>,
    int: Vec<Int64Builder>,
    float: Vec<Float64Builder>,
    flag: Vec<BooleanBuilder>,
    len: usize,
}

/// Text, integer, float and flag columns of one event, each group in schema
/// order.
type Cells<'a> = (
    Vec<Option<&'a str>>,
    Vec<Option<i64>>,
    Vec<Option<f64>>,
    Vec<bool>,
);

impl Rows {
    fn new(schema: &Schema) -> Rows {
        // as many builders as the schema has columns of type `t`
        fn each<B>(schema: &Schema, t: &DataType, make: fn() -> B) -> Vec<B> {
            let cols = schema.fields().iter().filter(|f| f.data_type() == t);
            cols.map(|_| make()).collect()
        }
        Rows {
            text: each(schema, &DataType::Utf8, StringBuilder::new),
            int: each(schema, &DataType::Int64, Int64Builder::new),
            float: each(schema, &DataType::Float64, Float64Builder::new),
            flag: each(schema, &DataType::Boolean, BooleanBuilder::new),
            len: 0,
        }
    }

    /// The cells of `e`: each kind in the order its columns have in the schema.
    fn cells(e: &StoredEvent) -> Result<Cells<'_>, StoreError> {
        let first = e.mentions.first();
        let place = e.place.as_ref();
        let counts = first.map(|m| &m.counts);
        let count = |what, n: Option<u64>| n.map(|n| int(what, n)).transpose();
        let text = vec![
            Some(e.id.as_str()),
            e.date.as_deref(),
            Some(e.cameo.as_str()),
            Some(e.root.as_str()),
            Some(e.name.as_str()),
            e.plover.as_deref(),
            Some(e.source_code.as_str()),
            Some(e.source_name.as_str()),
            e.source_country.as_deref(),
            e.source_sector.as_deref(),
            e.target_code.as_deref(),
            e.target_name.as_deref(),
            e.target_country.as_deref(),
            e.target_sector.as_deref(),
            Some(e.first_seen.as_str()),
            first.and_then(|m| m.url.as_deref()),
            first.map(|m| m.sentence_text.as_str()),
            first.and_then(|m| m.mode.as_deref()),
            first.and_then(|m| m.pattern.as_deref()),
            e.date_precision.as_deref(),
            e.date_source.as_deref(),
            place.map(|p| p.name.as_str()),
            place.map(|p| p.country.as_str()),
            place.map(|p| p.admin1.as_str()),
            place.map(|p| p.level.as_str()),
        ];
        let int = vec![
            Some(e.global_id),
            Some(i64::from(e.quad_class)),
            Some(int("num_mentions", e.num_mentions)?),
            Some(int("num_articles", e.num_articles)?),
            Some(int("num_sources", e.num_sources)?),
            count("fatalities", counts.and_then(|c| c.fatalities))?,
            count("injuries", counts.and_then(|c| c.injuries))?,
            count("size", counts.and_then(|c| c.size))?,
            place.map(|p| i64::from(p.geonameid)),
            place.map(|p| i64::from(p.geo_precision)),
        ];
        let float = vec![
            Some(e.goldstein),
            first.and_then(|m| m.confidence),
            place.map(|p| p.lat),
            place.map(|p| p.lon),
        ];
        let flag = vec![e.source_country_from_context, e.target_country_from_context];
        Ok((text, int, float, flag))
    }

    /// Appends one event's row.
    fn push(&mut self, e: &StoredEvent) -> Result<(), StoreError> {
        let (text, int, float, flag) = Rows::cells(e)?;
        for (b, v) in self.text.iter_mut().zip(text) {
            b.append_option(v);
        }
        for (b, v) in self.int.iter_mut().zip(int) {
            b.append_option(v);
        }
        for (b, v) in self.float.iter_mut().zip(float) {
            b.append_option(v);
        }
        for (b, v) in self.flag.iter_mut().zip(flag) {
            b.append_value(v);
        }
        self.len += 1;
        Ok(())
    }

    /// The rows so far as a record batch of `schema`; the builders start empty again.
    fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, StoreError> {
        let mut text = self.text.iter_mut();
        let mut int = self.int.iter_mut();
        let mut float = self.float.iter_mut();
        let mut flag = self.flag.iter_mut();
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        for field in schema.fields() {
            let column: Option<ArrayRef> = match field.data_type() {
                DataType::Utf8 => text.next().map(|b| Arc::new(b.finish()) as ArrayRef),
                DataType::Int64 => int.next().map(|b| Arc::new(b.finish()) as ArrayRef),
                DataType::Float64 => float.next().map(|b| Arc::new(b.finish()) as ArrayRef),
                DataType::Boolean => flag.next().map(|b| Arc::new(b.finish()) as ArrayRef),
                _ => None,
            };
            columns.push(column.ok_or_else(|| StoreError::ParquetSchema(field.name().clone()))?);
        }
        self.len = 0;
        Ok(RecordBatch::try_new(schema.clone(), columns)?)
    }
}

impl Store {
    /// Writes the events matching `f` to `out` as a zstd-compressed Parquet
    /// file, a row group of [`ROW_GROUP_ROWS`] events at a time: only one row
    /// group is held in memory, and its bytes go to `out` once it is written.
    pub(crate) fn export_parquet(
        &self,
        f: &EventFilter,
        out: &mut dyn Write,
    ) -> Result<usize, StoreError> {
        let schema: SchemaRef = Arc::new(parquet_schema());
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        // The writer needs a `Send` sink, which `out` need not be: it writes
        // into a buffer that is drained into `out` after each row group. The
        // writer counts the bytes it wrote itself (it never seeks), so
        // emptying the buffer keeps the footer's offsets right.
        let mut writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props))?;
        let mut rows = Rows::new(&schema);
        let mut drain =
            |writer: &mut ArrowWriter<Vec<u8>>, rows: &mut Rows| -> Result<(), StoreError> {
                if rows.len > 0 {
                    writer.write(&rows.finish(&schema)?)?;
                    writer.flush()?;
                }
                out.write_all(writer.inner())?;
                writer.inner_mut().clear();
                Ok(())
            };
        let n = self.scan(f, |e| {
            rows.push(&e)?;
            if rows.len >= ROW_GROUP_ROWS {
                drain(&mut writer, &mut rows)?;
            }
            Ok(())
        })?;
        drain(&mut writer, &mut rows)?;
        out.write_all(&writer.into_inner()?)?;
        Ok(n)
    }
}
