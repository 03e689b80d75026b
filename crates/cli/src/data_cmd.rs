//! `pulse data build`: regenerate the derived dictionary files from their sources.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

/// Rebuild every derived file from `from` into `out`, reporting what changed.
pub fn build(from: &Path, out: &Path, check: bool) -> anyhow::Result<bool> {
    let files = pulse_code::build::build_all(from)
        .with_context(|| format!("building dictionaries from {}", from.display()))?;
    let mut all_same = true;
    let mut stdout = std::io::stdout().lock();
    for f in files {
        let path = out.join(&f.path);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let same = old == f.content;
        all_same &= same;
        let status = if same {
            "unchanged"
        } else if check {
            "DIFFERS"
        } else {
            "written"
        };
        writeln!(
            stdout,
            "{:<10} {} ({} bytes)",
            status,
            path.display(),
            f.content.len()
        )?;
        if !same && !check {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(&path, &f.content)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(all_same)
}

/// Build the gazetteer file `out` from the source packages unpacked under `from`.
pub fn build_gazetteer(from: &Path, out: &Path) -> anyhow::Result<()> {
    let built = pulse_geo::build::build(from)
        .with_context(|| format!("building the gazetteer from {}", from.display()))?;
    let bytes = pulse_geo::build::compress(&built.text)?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "written    {} ({} places, {} alternate names, {} bytes)",
        out.display(),
        built.places,
        built.names,
        bytes.len()
    );
    Ok(())
}
