//! Documents: the type read from the content (magic bytes), never from the name; names made
//! safe to show and to send as a download's file name; the limits of a file and of an object.

/// The largest file, in bytes (25 MiB).
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
/// The most documents one object (a call, a bid, a contract) carries, and the most files one
/// upload request carries.
pub const MAX_FILES_PER_OBJECT: usize = 20;
/// How much of a file's beginning is read to tell its type.
pub const HEAD_BYTES: usize = 64 * 1024;
/// The size of a stored chunk.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

const OOXML: [(&str, &str); 3] = [
    (
        "word/",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xl/",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "ppt/",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
];

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The type of a file from its first bytes (`head`, at most [`HEAD_BYTES`]; `complete` when
/// it is the whole file): PDF, PNG, JPEG, an ODF or OOXML office file, or plain UTF-8 text.
/// `None` for anything else.
pub fn sniff(head: &[u8], complete: bool) -> Option<String> {
    if head.starts_with(b"%PDF-") {
        return Some("application/pdf".into());
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png".into());
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg".into());
    }
    if head.starts_with(b"PK\x03\x04") {
        // ODF: the first entry is `mimetype`, stored, holding the type (its length is the
        // entry's compressed size, at offset 18 of the local header).
        if head.get(30..38) == Some(b"mimetype".as_slice()) {
            let len = head
                .get(18..22)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, u32::from_le_bytes) as usize;
            let value = head
                .get(38..38usize.saturating_add(len))
                .unwrap_or_default();
            let odf = value.starts_with(b"application/vnd.oasis.opendocument.")
                && value
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-'));
            return odf
                .then(|| std::str::from_utf8(value).ok().map(str::to_owned))
                .flatten();
        }
        // OOXML: `[Content_Types].xml` and the part folder of its kind.
        if contains(head, b"[Content_Types].xml") {
            return OOXML
                .iter()
                .find(|(dir, _)| contains(head, dir.as_bytes()))
                .map(|(_, t)| (*t).to_owned());
        }
        return None;
    }
    text(head, complete).then(|| "text/plain; charset=utf-8".to_owned())
}

/// Plain text: UTF-8 without NUL or other control characters (tab, newline and carriage
/// return aside). A head cut in the middle of a character is still text.
fn text(head: &[u8], complete: bool) -> bool {
    if head.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if !complete && e.error_len().is_none() => {
            // Cut inside the last character: the part before it.
            match std::str::from_utf8(&head[..e.valid_up_to()]) {
                Ok(s) => s,
                Err(_) => return false,
            }
        }
        Err(_) => return false,
    };
    !valid
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// A name safe to show and to give as a download's file name: the last part of a path,
/// without control characters or `"<>:|?*\/`, trimmed of spaces and dots, at most
/// [`MAX_NAME_CHARS`] characters; `document` when nothing is left.
pub fn safe_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
                // Direction marks and overrides, which can disguise an extension.
                && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .take(MAX_NAME_CHARS)
        .collect();
    let trimmed = kept.trim_matches(|c: char| c.is_whitespace() || c == '.');
    if trimmed.is_empty() {
        "document".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// A range that starts past the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsatisfiable;

/// One byte range of a file of `size` bytes from a `Range` header (`bytes=a-b`, `bytes=a-`,
/// `bytes=-n`): `Ok(None)` for no range or one not understood (the whole file), `Err(())`
/// when it cannot be satisfied.
pub fn range(header: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, Unsatisfiable> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let (start, end) = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(s), Ok(e)) if s <= e => (s, e.min(size.saturating_sub(1))),
        (Ok(s), Err(_)) if b.is_empty() => (s, size.saturating_sub(1)),
        (Err(_), Ok(0)) if a.is_empty() => return Err(Unsatisfiable),
        (Err(_), Ok(n)) if a.is_empty() => (size.saturating_sub(n), size.saturating_sub(1)),
        _ => return Ok(None),
    };
    if size == 0 || start >= size || start > end {
        return Err(Unsatisfiable);
    }
    Ok(Some((start, end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_read_from_the_content() {
        assert_eq!(
            sniff(b"%PDF-1.7\n...", false).as_deref(),
            Some("application/pdf")
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", false).as_deref(),
            Some("image/png")
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0], false).as_deref(),
            Some("image/jpeg")
        );
        let mime = b"application/vnd.oasis.opendocument.text";
        let mut odt = b"PK\x03\x04".to_vec();
        odt.resize(30, 0);
        odt[18..22].copy_from_slice(&(mime.len() as u32).to_le_bytes());
        odt.extend_from_slice(b"mimetype");
        odt.extend_from_slice(mime);
        odt.extend_from_slice(b"PK\x03\x04");
        assert_eq!(
            sniff(&odt, false).as_deref(),
            Some("application/vnd.oasis.opendocument.text")
        );
        let mut docx = b"PK\x03\x04".to_vec();
        docx.resize(30, 0);
        docx.extend_from_slice(b"[Content_Types].xml....PK\x03\x04....word/document.xml");
        assert_eq!(
            sniff(&docx, false).as_deref(),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(
            sniff("Hinnasto 2027\n\tkotihoito 45,50 €\r\n".as_bytes(), true).as_deref(),
            Some("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            b"MZ\x90\x00 an exe".as_slice(),
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
            b"\x7fELF....",
            b"text with a NUL\0 byte",
            b"PK\x03\x04 a zip that is no office file",
            b"",
            &[0xC3, 0x28],
        ] {
            assert_eq!(sniff(bad, true), None, "{bad:?}");
        }
        // A head cut inside a character is text; the same bytes as the whole file are not.
        let cut = &"ä".as_bytes()[..1];
        let head = [b"abc".as_slice(), cut].concat();
        assert!(sniff(&head, false).is_some());
        assert!(sniff(&head, true).is_none());
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\Users\\x\\Tarjous.pdf"), "Tarjous.pdf");
        assert_eq!(safe_name("a\"b<c>d|e?.pdf\r\n"), "abcde.pdf");
        assert_eq!(safe_name("..."), "document");
        assert_eq!(safe_name(&"x".repeat(500)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(
            safe_name("kuva\u{202E}fdp.exe"),
            "kuvafdp.exe",
            "no right-to-left override"
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(range(None, 100), Ok(None));
        assert_eq!(range(Some("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(range(Some("bytes=90-"), 100), Ok(Some((90, 99))));
        assert_eq!(range(Some("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(range(Some("bytes=50-1000"), 100), Ok(Some((50, 99))));
        assert_eq!(range(Some("bytes=100-"), 100), Err(Unsatisfiable));
        assert_eq!(range(Some("bytes=-0"), 100), Err(Unsatisfiable));
        assert_eq!(range(Some("bytes=0-1,5-6"), 100), Ok(None));
        assert_eq!(range(Some("items=0-1"), 100), Ok(None));
    }
}
