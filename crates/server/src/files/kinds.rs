//! What a shared file is and how it may be served: a clean file name, the type derived from the
//! name (never from the sender), whether it may be previewed inline, and the
//! `Content-Disposition` that keeps dangerous types from ever rendering in a browser.

use switchboard_protocol::limits::MAX_FILE_NAME_CHARS;

/// Types that are shown inline as image previews. SVG and HTML are never among them: they can
/// carry scripts.
const PREVIEWABLE: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// Extension → type. Anything not listed is `application/octet-stream`.
const TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
    ("bmp", "image/bmp"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("csv", "text/csv"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("mp3", "audio/mpeg"),
    ("ogg", "audio/ogg"),
    ("wav", "audio/wav"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
];

/// The name to keep: the last path component, without control characters, bounded; `file`
/// when nothing is left.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "file".to_string()
    } else {
        cleaned.to_string()
    }
}

/// The type a file is served as, from its name's extension.
pub fn mime_of(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    TYPES
        .iter()
        .find(|(ext, _)| *ext == extension)
        .map_or("application/octet-stream", |(_, mime)| mime)
}

/// Whether clients may show a file of this type inline as an image.
pub fn previewable(mime: &str) -> bool {
    PREVIEWABLE.contains(&mime)
}

/// `Content-Disposition` for a download: `inline` only for previewable images when asked for
/// inline, `attachment` for everything else; the name in both ASCII and RFC 5987 UTF-8 forms.
pub fn content_disposition(name: &str, mime: &str, inline: bool) -> String {
    let kind = if inline && previewable(mime) {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Whether `id` has the shape of a file id (64 lowercase hex digits). Anything else never
/// reaches the disk, so no path can be smuggled in.
pub fn is_file_id(id: &str) -> bool {
    id.len() == 64
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(clean_name(".."), "file");
        assert_eq!(clean_name(".bashrc"), "bashrc");
        assert_eq!(
            clean_name(&"x".repeat(500)).chars().count(),
            MAX_FILE_NAME_CHARS
        );
    }

    #[test]
    fn only_raster_images_are_previewed() {
        assert!(previewable(mime_of("shot.PNG")));
        assert!(previewable(mime_of("photo.jpeg")));
        assert!(!previewable(mime_of("logo.svg")));
        assert!(!previewable(mime_of("page.html")));
        assert_eq!(mime_of("noextension"), "application/octet-stream");
    }

    #[test]
    fn dangerous_types_are_always_attachments() {
        assert!(content_disposition("a.svg", mime_of("a.svg"), true).starts_with("attachment"));
        assert!(content_disposition("a.html", mime_of("a.html"), true).starts_with("attachment"));
        assert!(content_disposition("a.png", mime_of("a.png"), true).starts_with("inline"));
        assert!(content_disposition("a.png", mime_of("a.png"), false).starts_with("attachment"));
    }

    #[test]
    fn names_are_quoted_safely() {
        let header = content_disposition("bé \"x\".txt", "text/plain", false);
        assert_eq!(
            header,
            "attachment; filename=\"b_ _x_.txt\"; filename*=UTF-8''b%C3%A9%20%22x%22.txt"
        );
    }

    #[test]
    fn only_hex_ids_are_file_ids() {
        assert!(is_file_id(&"a1".repeat(32)));
        assert!(!is_file_id("../switchboard.db"));
        assert!(!is_file_id(&"A1".repeat(32)));
        assert!(!is_file_id(&format!("{}/x", "a".repeat(62))));
    }
}
