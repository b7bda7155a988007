//! OPML subscription lists: the feeds an operator imports, with the folders they sit in.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// One subscribed feed found in an OPML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub xml_url: String,
    pub title: Option<String>,
    pub html_url: Option<String>,
    /// Titles of the enclosing outlines, outermost first (folders, usually categories).
    pub folders: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("malformed OPML at byte {position}: {reason}")]
    Malformed { position: u64, reason: String },
    #[error("not an OPML document (no <opml> root)")]
    NotOpml,
}

/// Nesting deeper than this is not a subscription list but an attack on the stack.
const MAX_DEPTH: usize = 64;

pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlFeed>, OpmlError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut feeds = Vec::new();
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut seen_root = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| OpmlError::Malformed {
                position: reader.buffer_position(),
                reason: e.to_string(),
            })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if name == "opml" {
                    seen_root = true;
                }
                if name != "outline" {
                    continue;
                }
                let mut attrs = std::collections::HashMap::new();
                for attr in e.attributes().flatten() {
                    let key = attr.key.local_name().as_ref().to_ascii_lowercase();
                    let value = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default();
                    attrs.insert(key, value);
                }
                let title = attrs
                    .get("title")
                    .or_else(|| attrs.get("text"))
                    .filter(|t| !t.is_empty())
                    .cloned();
                if let Some(xml_url) = attrs.get("xmlurl").filter(|u| !u.is_empty()) {
                    feeds.push(OpmlFeed {
                        xml_url: xml_url.clone(),
                        title: title.clone(),
                        html_url: attrs.get("htmlurl").filter(|u| !u.is_empty()).cloned(),
                        folders: folders.iter().flatten().cloned().collect(),
                    });
                }
                if !is_empty {
                    if folders.len() >= MAX_DEPTH {
                        return Err(OpmlError::Malformed {
                            position: reader.buffer_position(),
                            reason: format!("outlines nested deeper than {MAX_DEPTH}"),
                        });
                    }
                    folders.push(if attrs.contains_key("xmlurl") {
                        None
                    } else {
                        title
                    });
                }
            }
            Event::End(ref e) if e.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err(OpmlError::NotOpml);
    }
    Ok(feeds)
}

/// An OPML 2.0 document of `feeds`, nested by their folders (outermost first).
pub fn write_opml(title: &str, feeds: &[OpmlFeed]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head><title>{}</title></head>\n<body>\n",
        esc(title)
    );
    let mut open: Vec<&str> = Vec::new();
    for feed in feeds {
        let common = open
            .iter()
            .zip(&feed.folders)
            .take_while(|(a, b)| **a == b.as_str())
            .count();
        while open.len() > common {
            open.pop();
            out.push_str(&format!("{}</outline>\n", "  ".repeat(open.len() + 1)));
        }
        for folder in &feed.folders[common..] {
            out.push_str(&format!(
                "{}<outline text=\"{}\">\n",
                "  ".repeat(open.len() + 1),
                esc(folder)
            ));
            open.push(folder);
        }
        let text = feed.title.as_deref().unwrap_or(&feed.xml_url);
        out.push_str(&format!(
            "{}<outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\"{}/>\n",
            "  ".repeat(open.len() + 1),
            esc(text),
            esc(text),
            esc(&feed.xml_url),
            feed.html_url
                .as_deref()
                .map(|h| format!(" htmlUrl=\"{}\"", esc(h)))
                .unwrap_or_default()
        ));
    }
    while !open.is_empty() {
        open.pop();
        out.push_str(&format!("{}</outline>\n", "  ".repeat(open.len() + 1)));
    }
    out.push_str("</body>\n</opml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_outlines_keep_their_folder() {
        let doc = br#"<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>
<outline text="World"><outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.example/rss" htmlUrl="https://wire.example/"/></outline>
<outline type="rss" title="Solo" xmlUrl="https://solo.example/atom"/>
</body></opml>"#;
        let feeds = parse_opml(doc).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].title.as_deref(), Some("Wire & Co"));
        assert_eq!(feeds[0].folders, ["World"]);
        assert_eq!(feeds[1].xml_url, "https://solo.example/atom");
        assert!(feeds[1].folders.is_empty());
    }

    #[test]
    fn written_opml_reads_back_with_its_folders() {
        let feeds = vec![
            OpmlFeed {
                xml_url: "https://a.example/rss".into(),
                title: Some("A & Co".into()),
                html_url: None,
                folders: vec!["World".into()],
            },
            OpmlFeed {
                xml_url: "https://b.example/rss".into(),
                title: None,
                html_url: Some("https://b.example/".into()),
                folders: vec!["World".into()],
            },
            OpmlFeed {
                xml_url: "https://c.example/rss".into(),
                title: Some("C".into()),
                html_url: None,
                folders: vec![],
            },
        ];
        let back = parse_opml(write_opml("Mine", &feeds).as_bytes()).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].title.as_deref(), Some("A & Co"));
        assert_eq!(back[1].folders, ["World"]);
        assert_eq!(back[2].folders, Vec::<String>::new());
    }

    #[test]
    fn non_opml_is_refused() {
        assert!(matches!(
            parse_opml(b"<rss></rss>"),
            Err(OpmlError::NotOpml)
        ));
        assert!(parse_opml(b"<opml><body><outline text=\"a\"><outline").is_err());
    }
}
