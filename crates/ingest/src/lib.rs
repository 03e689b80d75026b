//! Reading news into [`Article`]s: a file, a directory (recursively) or stdin,
//! in plain text, HTML or JSON Lines, with charset handling, a first
//! HTML-to-text pass that drops page clutter, and stable article ids.
//!
//! The usual flow is [`discover`] the inputs named by the user, then
//! [`read_input`] each one; errors name the input (and line) they concern.

#![warn(missing_docs)]

mod clean;
mod decode;
mod discover;
mod html;
mod read;
mod types;

pub use clean::{article_id, clean_lines};
pub use discover::discover;
pub use html::{html_to_text, Extracted};
pub use read::{parse_date, read_bytes, read_input, Articles};
pub use types::{Article, Format, FormatHint, IngestError, Input, ReadOptions};
