//! Reading news into [`Article`]s: a file, a directory (recursively) or stdin,
//! in plain text, HTML, JSON Lines, RSS/Atom feeds or WARC archives (any of
//! them gzipped), with charset handling, an HTML-to-text pass that drops page
//! clutter, and stable article ids. Archives stream ([`for_each_article`]).
//!
//! The usual flow is [`discover`] the inputs named by the user, then
//! [`read_input`] each one; errors name the input (and line) they concern.

#![warn(missing_docs)]

mod clean;
mod decode;
mod dedup;
mod discover;
mod feed;
mod html;
mod meta;
mod read;
mod types;
mod warc;

pub use clean::{article_id, clean_lines};
pub use decode::decode_bytes;
pub use dedup::{bands, hamming, simhash, similarity, MAX_DISTANCE, MIN_SIMILARITY, MIN_WORDS};
pub use discover::discover;
pub use html::{html_to_text, Extracted};
pub use meta::{extract_metadata, extract_metadata_at, meta_debug, Metadata, MAX_HTML_BYTES};
pub use read::{
    for_each_article, for_each_article_until, parse_date, read_bytes, read_input, Articles,
};
pub use types::{Article, Format, FormatHint, IngestError, Input, ReadOptions};
pub use warc::{
    parse_http_response, split_content_type, HttpResponse, WarcProblem, WarcReader, WarcRecord,
};
