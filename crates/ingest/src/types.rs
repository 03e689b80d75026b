//! The public types of the ingest stage.

use serde::Serialize;
use std::path::PathBuf;

/// One news article, ready for text analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// Stable id: the first 16 hex digits of the SHA-256 of the normalised text.
    pub id: String,
    /// Where the article came from, as the user would name it
    /// (`path`, `path:LINE` for JSON Lines, `<stdin>`).
    pub source: String,
    /// The article's URL, when the input gives one.
    pub url: Option<String>,
    /// The headline, when the input gives or the HTML contains one.
    pub title: Option<String>,
    /// Publication date as `YYYY-MM-DD`, from the input or the default given by the user.
    pub published: Option<String>,
    /// The article body, normalised (Unicode NFC), paragraphs separated by blank lines.
    pub text: String,
}

/// One input to read: a file found on disk or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file; its format is chosen by extension (`.txt`, `.html`/`.htm`,
    /// `.jsonl`, `.warc`, `.rss`/`.atom`, each possibly gzipped as `.gz`).
    File(PathBuf),
    /// Standard input; its format is sniffed from its first bytes.
    Stdin,
}

impl Input {
    /// The name used in reports and in `Article::source`.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// Options that apply to every article read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Publication date (`YYYY-MM-DD`) for articles whose input gives none.
    pub published: Option<String>,
    /// Inputs larger than this many bytes are refused with an error.
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            published: None,
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Why an input, or one article in it, could not be read. The message always
/// names the input (and the line, for JSON Lines).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file or directory could not be opened or read.
    #[error("{input}: cannot read: {source}")]
    Io {
        /// The input's name.
        input: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input holds no text at all.
    #[error("{input}: empty input")]
    Empty {
        /// The input's name.
        input: String,
    },
    /// The input is larger than [`ReadOptions::max_bytes`].
    #[error("{input}: too large ({size} bytes, limit {limit})")]
    TooLarge {
        /// The input's name.
        input: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The input looks like binary data, not text.
    #[error("{input}: not text (binary data)")]
    Binary {
        /// The input's name.
        input: String,
    },
    /// A JSON Lines record is not valid JSON or lacks the fields needed.
    #[error("{input}: {reason}")]
    BadRecord {
        /// The input's name with the line number (`file.jsonl:7`).
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A date given by the user or the input is not a valid `YYYY-MM-DD` date.
    #[error("{input}: bad date {value:?}: expected YYYY-MM-DD")]
    BadDate {
        /// The input's name.
        input: String,
        /// The value that did not parse.
        value: String,
    },
}

/// The format of an input, chosen from a file's extension or sniffed from its
/// first characters when the extension is unknown (and always for stdin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (`.txt`, `.text`): one article; a short first line may be its title.
    Text,
    /// An HTML page (`.html`, `.htm`): one article, with page clutter removed.
    Html,
    /// JSON Lines (`.jsonl`, `.ndjson`): one article per non-blank line.
    JsonLines,
    /// A WARC archive (`.warc`, `.warc.gz`): one article per HTML response
    /// or resource record, read as a stream.
    Warc,
    /// An RSS, Atom or JSON feed (`.rss`, `.atom`): one article per item.
    Feed,
}

impl Format {
    /// The format an extension (without the dot, any case) stands for, if it is one we read.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "warc" => Some(Format::Warc),
            "rss" | "atom" => Some(Format::Feed),
            _ => None,
        }
    }

    /// The format a path's extension stands for (looking through a final
    /// `.gz`: `page.html.gz` is HTML); `None` means "sniff the content".
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension().and_then(|e| e.to_str())?;
        if ext.eq_ignore_ascii_case("gz") {
            return path
                .file_stem()
                .map(std::path::Path::new)
                .and_then(|stem| stem.extension())
                .and_then(|e| e.to_str())
                .and_then(Format::from_extension);
        }
        Format::from_extension(ext)
    }

    /// Whether a path names a gzip file (`.gz`), whose content format may
    /// still be unknown (then it is sniffed after decompression).
    pub fn is_gzip_path(path: &std::path::Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    }
}

/// What [`crate::read_bytes`] may be told about an input's format: a
/// [`Format`], `Option<Format>` (`None` = sniff), or a path whose extension
/// decides (an unknown extension means sniff).
pub trait FormatHint {
    /// The format to read with, or `None` to sniff it from the content.
    fn format_hint(&self) -> Option<Format>;
}

impl FormatHint for Option<Format> {
    fn format_hint(&self) -> Option<Format> {
        *self
    }
}

impl FormatHint for Format {
    fn format_hint(&self) -> Option<Format> {
        Some(*self)
    }
}

impl FormatHint for &std::path::Path {
    fn format_hint(&self) -> Option<Format> {
        Format::from_path(self)
    }
}

impl FormatHint for &std::path::PathBuf {
    fn format_hint(&self) -> Option<Format> {
        Format::from_path(self)
    }
}
