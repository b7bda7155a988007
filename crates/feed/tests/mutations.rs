//! Feeds broken at random never crash the reader: thousands of mutants of well-formed
//! documents (bytes flipped, markup inserted, cut anywhere, nesting repeated) all get an
//! answer, a parse or an error. A cheap, always-on cousin of a fuzz target.

use parallax_feed::{parse_document, parse_feed, Origin};

const SEEDS: &[&str] = &[
    r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Fenwick Gazette &amp; Co</title><link>https://fenwick.example/</link>
<item><title>Bridge reopens</title><link>/town/bridge</link><guid isPermaLink="false">fg-1</guid>
<pubDate>Mon, 12 Oct 2026 08:30:00 +0200</pubDate><dc:creator>Ana Ruiz</dc:creator><category>Town</category>
<description><![CDATA[<p>The <b>bridge</b> <a href="/x">reopened</a>.</p>]]></description>
<content:encoded>&lt;p onclick="x()"&gt;Full text&lt;script&gt;bad()&lt;/script&gt;&lt;/p&gt;</content:encoded>
<media:content url="https://fenwick.example/b.jpg" type="image/jpeg"/><enclosure url="https://fenwick.example/a.mp3" type="audio/mpeg" length="12"/></item>
</channel></rss>"#,
    r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/news/" xml:lang="en">
<title type="html">&lt;b&gt;Atom&lt;/b&gt; Daily</title><id>urn:a</id><updated>2026-11-02T08:00:00Z</updated>
<entry><id>urn:e1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Storm <i>warning</i></div></title>
<link rel="alternate" href="e1"/><author><name>Tom Field</name><email>tom@atom.example</email><uri>/tom</uri></author>
<summary type="text/html" mode="base64">PHA+SGVsbG88L3A+</summary><content type="xhtml" xml:base="sub/"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <a href="x">link</a><br/></p></div></content>
<published>2026-11-02T07:00:00+01:00</published></entry></feed>"#,
    r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link></channel>
<image rdf:about="https://rdf.example/i.gif"><url>https://rdf.example/i.gif</url></image>
<item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link><dc:date>2026-10-12T08:30:00+02:00</dc:date></item></rdf:RDF>"#,
    r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.example/1","title":"One","content_html":"<p>x</p>","date_published":"2026-11-02T08:00:00Z","tags":["a"],"authors":[{"name":"N"}],"attachments":[{"url":"https://j.example/a.mp3","mime_type":"audio/mpeg"}]}]}"#,
    r#"<!DOCTYPE rss [<!ENTITY copy "&#169;">]><rss version="0.91"><channel><title>Caf&eacute; &copy; &bogus; & more</title><item><title>x<y</title></item></channel></rss>"#,
];

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPLICES: &[&[u8]] = &[
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#x",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"-->",
    b"\"",
    b"'",
    b"</item>",
    b"<item>",
    b"<entry>",
    b"</feed>",
    b"xmlns:x=\"",
    b"xml:base=\"javascript:x\"",
    b"<div xmlns=\"http://www.w3.org/1999/xhtml\">",
    b"type=\"xhtml\"",
    b"mode=\"base64\"",
    b"\xff\xfe",
    b"\xc3",
    b"\x00",
    b"\xe2\x80",
    b"<a:b:c>",
    b"<?xml",
    b"<!DOCTYPE x [",
];

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut doc = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(doc.len() + 1);
        match rng.below(5) {
            0 => doc.truncate(at),
            1 => {
                let splice = SPLICES[rng.below(SPLICES.len())];
                doc.splice(at..at, splice.iter().copied());
            }
            2 => {
                if let Some(b) = doc.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            3 => {
                let end = (at + rng.below(40)).min(doc.len());
                doc.drain(at..end);
            }
            _ => {
                // A run of the document repeated: deep or long nesting.
                let end = (at + rng.below(30)).min(doc.len());
                let run = doc[at..end].to_vec();
                for _ in 0..rng.below(50) {
                    doc.splice(at..at, run.iter().copied());
                }
            }
        }
    }
    doc
}

#[test]
fn mutated_feeds_always_get_an_answer() {
    let mut rng = Rng(0x5eed_f00d_cafe_d00d);
    let base = url::Url::parse("https://base.example/feed.xml").unwrap();
    let mut parsed = 0;
    for seed in SEEDS {
        for _ in 0..1500 {
            let doc = mutate(seed.as_bytes(), &mut rng);
            if parse_feed(&doc, Some(&base), Some("text/xml; charset=utf-8")).is_ok() {
                parsed += 1;
            }
            let _ = parse_document(&doc, &Origin::default());
        }
    }
    // Most mutants are still feeds a reader can make sense of.
    assert!(parsed > SEEDS.len() * 1500 / 2, "only {parsed} parsed");
}
