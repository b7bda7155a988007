//! Bytes of a document -> UTF-8 text, the way browsers and tolerant feed readers decide it:
//! a byte-order mark first, then the HTTP charset, then the document's own declaration
//! (`<?xml encoding=…?>` or `<meta charset=…>`), then UTF-8. Invalid bytes are replaced,
//! never fatal; a document declared UTF-8 that is not is read as windows-1252, the usual
//! culprit.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The bytes themselves where they were UTF-8 already: a page need not be copied to be
    /// read.
    pub text: Cow<'a, str>,
    /// WHATWG name of the encoding used.
    pub encoding: &'static str,
    /// The label that chose it, lower-cased, as the HTTP header or document wrote it
    /// (`iso-8859-1` where `encoding` says `windows-1252`); else the encoding's name.
    pub label: String,
    /// What had to be guessed or replaced, for the caller's warnings.
    pub warnings: Vec<String>,
}

/// Multi-byte characters a document declared in another encoding must hold, all valid, to
/// be read as UTF-8: a few could be legacy text that happens to form UTF-8 pairs ("Ã©").
const MIN_UTF8_EVIDENCE: usize = 10;

/// Only the head of a document is searched for its declaration.
const SNIFF_BYTES: usize = 4096;

pub fn decode<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> Decoded<'a> {
    let mut warnings = Vec::new();
    // UTF-32 first: its little-endian BOM starts with UTF-16's.
    if let Some(big_endian) = utf32_order(bytes) {
        return decode_utf32(bytes, big_endian, warnings);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_len..], warnings);
    }
    // UTF-16 without a BOM still starts with "<" and a zero byte.
    if bytes.starts_with(&[0, b'<', 0]) {
        return finish(UTF_16BE, bytes, warnings);
    }
    if bytes.starts_with(&[b'<', 0, b'?', 0])
        || bytes.starts_with(&[b'<', 0, b'r', 0])
        || bytes.starts_with(&[b'<', 0, b'f', 0])
    {
        return finish(UTF_16LE, bytes, warnings);
    }
    let from_http = http_charset.and_then(|label| {
        let found = lookup(label);
        if found.is_none() {
            warnings.push(format!("unknown charset {label:?} in the HTTP header"));
        }
        found
    });
    let declared = declared_charset(bytes);
    let from_doc = declared.as_deref().and_then(|label| {
        let found = lookup(label);
        if found.is_none() {
            warnings.push(format!(
                "unknown charset {label:?} declared in the document"
            ));
        }
        found
    });
    let label = if from_http.is_some() {
        http_charset
    } else if from_doc.is_some() {
        declared.as_deref()
    } else {
        None
    }
    .map(|l| l.trim().trim_matches(['"', '\'']).to_ascii_lowercase());
    let encoding = from_http.or(from_doc).unwrap_or(UTF_8);
    // A UTF-16 label on single-byte text is a lie the bytes already told us about.
    let encoding = if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    };
    // A page re-encoded on its way (a CMS, a proxy, a saved copy) keeps its old declaration;
    // text in a legacy encoding is almost never valid UTF-8 over many non-ASCII characters.
    if encoding != UTF_8 && encoding.is_ascii_compatible() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.bytes().filter(|&b| b >= 0xC0).count() >= MIN_UTF8_EVIDENCE {
                warnings.push(format!(
                    "declared {} but is UTF-8 throughout; read as UTF-8",
                    encoding.name()
                ));
                return valid_utf8(text, warnings);
            }
        }
    }
    let utf8 = (encoding == UTF_8).then(|| std::str::from_utf8(bytes));
    if matches!(utf8, Some(Err(_))) && !is_mostly_utf8(bytes) {
        let (text, _, errors) = WINDOWS_1252.decode(bytes);
        if !errors {
            warnings.push("declared or assumed UTF-8 but is not; read as windows-1252".into());
            return Decoded {
                text,
                encoding: WINDOWS_1252.name(),
                label: "windows-1252".into(),
                warnings,
            };
        }
    }
    let mut decoded = match utf8 {
        // Validated already: the decoder need not go over it again.
        Some(Ok(text)) => valid_utf8(text, warnings),
        _ => finish(encoding, bytes, warnings),
    };
    if let Some(label) = label.filter(|_| decoded.encoding == encoding.name()) {
        decoded.label = label;
    }
    decoded
}

/// Text already checked to be UTF-8, decoded as such.
fn valid_utf8(text: &str, warnings: Vec<String>) -> Decoded<'_> {
    Decoded {
        text: Cow::Borrowed(text),
        encoding: UTF_8.name(),
        label: UTF_8.name().to_ascii_lowercase(),
        warnings,
    }
}

/// Whether text with invalid UTF-8 in it is still UTF-8, damaged in a few places (a
/// character cut in half where a server shortened a teaser): its valid multi-byte characters
/// far outnumber its invalid sequences. Text in windows-1252 has almost no byte runs that
/// happen to be valid UTF-8.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    while !rest.is_empty() {
        let (valid, skip) = match std::str::from_utf8(rest) {
            Ok(_) => (rest.len(), rest.len()),
            Err(e) => {
                invalid += 1;
                let valid = e.valid_up_to();
                (valid, valid + e.error_len().unwrap_or(rest.len() - valid))
            }
        };
        // In valid UTF-8 each multi-byte character has one lead byte, 0xC0 and above.
        multibyte += rest[..valid].iter().filter(|&&b| b >= 0xC0).count();
        rest = &rest[skip..];
    }
    multibyte >= 10 * invalid
}

/// UTF-32 (which the WHATWG encodings leave out), by BOM or by the zero bytes around `<`.
fn utf32_order(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..4)? {
        [0, 0, 0xFE, 0xFF] | [0, 0, 0, b'<'] => Some(true),
        [0xFF, 0xFE, 0, 0] | [b'<', 0, 0, 0] => Some(false),
        _ => None,
    }
}

fn decode_utf32(bytes: &[u8], big_endian: bool, mut warnings: Vec<String>) -> Decoded<'static> {
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut replaced = false;
    for unit in bytes.chunks(4) {
        let Ok(array) = <[u8; 4]>::try_from(unit) else {
            replaced = true;
            break;
        };
        let code = if big_endian {
            u32::from_be_bytes(array)
        } else {
            u32::from_le_bytes(array)
        };
        match char::from_u32(code) {
            Some('\u{feff}') if text.is_empty() => {}
            Some(c) => text.push(c),
            None => {
                replaced = true;
                text.push('\u{fffd}');
            }
        }
    }
    if replaced {
        warnings.push("invalid UTF-32 replaced".into());
    }
    let encoding = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
    Decoded {
        text: Cow::Owned(text),
        encoding,
        label: encoding.to_ascii_lowercase(),
        warnings,
    }
}

fn finish<'a>(
    encoding: &'static Encoding,
    bytes: &'a [u8],
    mut warnings: Vec<String>,
) -> Decoded<'a> {
    let (text, errors) = encoding.decode_without_bom_handling(bytes);
    if errors {
        warnings.push(format!("invalid {} bytes replaced", encoding.name()));
    }
    Decoded {
        text,
        encoding: encoding.name(),
        label: encoding.name().to_ascii_lowercase(),
        warnings,
    }
}

/// Decodes by byte-order mark (UTF-8, UTF-16 or UTF-32), else as UTF-8; invalid bytes are
/// replaced.
pub fn decode_bom_or_utf8(bytes: &[u8]) -> String {
    if let Some(big_endian) = utf32_order(bytes).filter(|_| {
        bytes.starts_with(&[0, 0, 0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE, 0, 0])
    }) {
        return decode_utf32(bytes, big_endian, Vec::new())
            .text
            .into_owned();
    }
    match Encoding::for_bom(bytes) {
        Some((encoding, len)) => encoding
            .decode_without_bom_handling(&bytes[len..])
            .0
            .into_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Finds an encoding by label, also in the spellings feeds use (`windows_1252`, `utf8`).
pub fn lookup(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']);
    Encoding::for_label(label.as_bytes()).or_else(|| {
        let normalised = label.replace('_', "-").to_ascii_lowercase();
        let normalised = match normalised.as_str() {
            "utf8" => "utf-8".to_string(),
            other => other.to_string(),
        };
        Encoding::for_label(normalised.as_bytes())
    })
}

/// The charset a document declares in its head: XML declaration, `<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let value_after = |text: &str, key: &str| -> Option<String> {
        let idx = text.find(key)? + key.len();
        let rest = text[idx..].trim_start_matches([' ', '=', '"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
            .unwrap_or(rest.len());
        let value = &rest[..end];
        (!value.is_empty()).then(|| value.to_string())
    };
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    if head[start..].starts_with(b"<?xml") {
        // Only the declaration is read: a feed's head is otherwise no business of this.
        let decl = &head[start..];
        let end = decl
            .windows(2)
            .position(|w| w == b"?>")
            .unwrap_or(decl.len());
        let decl = String::from_utf8_lossy(&decl[..end]).to_ascii_lowercase();
        if let Some(v) = value_after(&decl, "encoding") {
            return Some(v);
        }
    }
    // HTML asks for `<meta charset>` in the first 1024 bytes; pages with long heads put it
    // later, so the whole sniffed head is read.
    // One pass over the tags' openings, in any letter case.
    let meta = memchr::memchr_iter(b'<', head).find(|&i| {
        head.get(i + 1..i + 5)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"meta"))
    })?;
    let rest = String::from_utf8_lossy(&head[meta..]).to_ascii_lowercase();
    value_after(&rest, "charset")
}

/// Parses the charset parameter of a Content-Type header value.
pub fn http_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_is_bom_then_http_then_document() {
        let doc = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><r>caf\xe9</r>";
        assert!(decode(doc, None).text.contains("café"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("<r>café</r>".as_bytes());
        assert_eq!(decode(&with_bom, Some("iso-8859-1")).text, "<r>café</r>");
        assert_eq!(decode("é".as_bytes(), Some("utf-8")).text, "é");
        assert_eq!(decode(b"\xe9", Some("windows-1251")).text, "й");
    }

    #[test]
    fn misdeclared_utf8_is_read_as_windows_1252() {
        let d = decode(
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><r>\x93quoted\x94 caf\xe9</r>",
            None,
        );
        assert!(d.text.contains("“quoted” café"), "{}", d.text);
        assert_eq!(d.encoding, "windows-1252");
        assert!(!d.warnings.is_empty());
    }

    #[test]
    fn utf8_declared_as_a_legacy_encoding_is_read_as_utf8() {
        let body = "<p>人工智能迈上新台阶，科技新闻。</p>";
        let page = format!("<meta charset=\"gb2312\"><title>新电脑</title>{body}");
        let d = decode(page.as_bytes(), None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains(body), "{}", d.text);
        assert!(!d.warnings.is_empty());
        // The same from the HTTP header; and a few pairs that could be windows-1252 keep
        // the declaration.
        assert_eq!(
            decode(page.as_bytes(), Some("iso-8859-1")).encoding,
            "UTF-8"
        );
        let d = decode("<p>Ã© café</p>".as_bytes(), Some("windows-1252"));
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("cafÃ©"), "{}", d.text);
        // GB2312 itself stays GB2312.
        let (gb, _, _) = encoding_rs::GB18030.encode(&page);
        assert_eq!(decode(&gb, None).encoding, "GBK");
    }

    #[test]
    fn utf8_cut_in_one_place_stays_utf8() {
        let mut page =
            "<meta charset=\"utf-8\"><p>Sprzeciw wobec ataków na fundację, zażółć gęślą jaźń.</p>"
                .repeat(3)
                .into_bytes();
        // A teaser shortened in the middle of "ó".
        page.extend_from_slice(b"<span>papieros\xc3...</span>");
        let d = decode(&page, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("ataków na fundację"), "{}", d.text);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let utf16le: Vec<u8> = "<?xml version=\"1.0\"?><r>ü</r>"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(
            decode(&utf16le, None).text,
            "<?xml version=\"1.0\"?><r>ü</r>"
        );
        let mut bom = vec![0xFE, 0xFF];
        bom.extend("<r>ü</r>".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&bom, None).text, "<r>ü</r>");
    }

    #[test]
    fn utf32_by_bom_and_by_shape() {
        let be: Vec<u8> = "\u{feff}<r>ü</r>"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(decode(&be, None).text, "<r>ü</r>");
        let le: Vec<u8> = "<r>ü</r>"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(decode(&le, None).text, "<r>ü</r>");
    }

    #[test]
    fn html_meta_charset_and_odd_labels() {
        assert_eq!(
            decode(
                b"<html><head><meta charset=\"windows_1252\"></head>\x93",
                None
            )
            .text
            .chars()
            .last(),
            Some('“')
        );
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"
            )
            .as_deref(),
            Some("koi8-r")
        );
        assert_eq!(http_charset("text/xml; Charset=\"UTF-8\""), Some("UTF-8"));
        let d = decode(b"abc", Some("no-such-charset"));
        assert_eq!(d.text, "abc");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn utf8_is_read_in_place_and_other_encodings_are_decoded() {
        let page = "<meta charset=\"utf-8\"><p>café</p>".as_bytes();
        assert!(matches!(decode(page, None).text, Cow::Borrowed(_)));
        assert!(matches!(decode(page, Some("utf-8")).text, Cow::Borrowed(_)));
        let latin = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        let d = decode(latin, None);
        assert!(matches!(d.text, Cow::Owned(_)));
        assert!(d.text.ends_with("café</p>"));
    }
}
