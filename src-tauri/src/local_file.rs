//! Small JSON files the app keeps on this machine (drafts, preferences): one file per keychain
//! profile in the app's data folder, replaced atomically on every write so a crash never leaves
//! half a file.

use std::path::{Path, PathBuf};

/// The file `<stem>.json` (or `<stem>-<profile>.json` for a named profile) in `dir`. Characters
/// of the profile that do not belong in a file name become `_`.
pub fn profile_path(dir: &Path, stem: &str, profile: Option<&str>) -> PathBuf {
    let name = match profile {
        Some(profile) => format!("{stem}-{}.json", sanitize(profile)),
        None => format!("{stem}.json"),
    };
    dir.join(name)
}

/// `text` with everything but ASCII letters, digits and `-` replaced by `_`.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_profile_has_its_own_file_name() {
        let dir = Path::new("data");
        assert_eq!(profile_path(dir, "prefs", None), dir.join("prefs.json"));
        assert_eq!(
            profile_path(dir, "prefs", Some("second op/1")),
            dir.join("prefs-second_op_1.json")
        );
    }
}
