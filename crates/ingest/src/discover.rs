//! Finding the inputs named on the command line: files, directories walked
//! recursively, and `-` for standard input.

use crate::types::{Format, IngestError, Input};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Turns the paths the user named into inputs, in the order given.
///
/// `-` is standard input; a file is taken whatever its extension; a directory
/// is walked recursively (hidden entries skipped, symlinked directories
/// followed once) for `.txt`, `.text`, `.html`, `.htm`, `.jsonl`, `.ndjson`,
/// `.warc`, `.rss` and `.atom` files, each also as `.gz`, sorted by path. Paths that cannot be read come back as
/// [`IngestError::Io`] naming the path; the others are still returned.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<IngestError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Err(source) => errors.push(io_error(path, source)),
            Ok(meta) if meta.is_dir() => {
                let mut found = walk(path, &mut errors);
                found.sort();
                inputs.extend(found.into_iter().map(Input::File));
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    (inputs, errors)
}

fn io_error(path: &Path, source: std::io::Error) -> IngestError {
    IngestError::Io {
        input: path.display().to_string(),
        source,
    }
}

/// Whether a directory entry's name marks it hidden (leading `.`).
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Walks `root` with an explicit stack (no recursion), collecting readable
/// article files; errors on sub-directories are recorded and the walk goes on.
fn walk(root: &Path, errors: &mut Vec<IngestError>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    if let Ok(canon) = fs::canonicalize(root) {
        visited.insert(canon);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(source) => {
                errors.push(io_error(&dir, source));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(source) => {
                    errors.push(io_error(&dir, source));
                    continue;
                }
            };
            if is_hidden(&entry.file_name()) {
                continue;
            }
            let path = entry.path();
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(source) => {
                    errors.push(io_error(&path, source));
                    continue;
                }
            };
            let (is_dir, is_file) = if file_type.is_symlink() {
                // Follow the link; a dangling link is reported.
                match fs::metadata(&path) {
                    Ok(meta) => (meta.is_dir(), meta.is_file()),
                    Err(source) => {
                        errors.push(io_error(&path, source));
                        continue;
                    }
                }
            } else {
                (file_type.is_dir(), file_type.is_file())
            };
            if is_dir {
                // Guard against symlink loops: each real directory once.
                let first_visit = match fs::canonicalize(&path) {
                    Ok(canon) => visited.insert(canon),
                    Err(_) => true,
                };
                if first_visit {
                    stack.push(path);
                }
            } else if is_file && Format::from_path(&path).is_some() {
                files.push(path);
            }
        }
    }
    files
}
