//! Feed parsing speed: a synthetic RSS 2.0 and Atom feed of 200 entries with HTML content,
//! and, when `../shared/data` is present, Miniflux's large real-world benchmark feeds.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn synthetic_rss(entries: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Bench Daily</title><link>https://bench.example/</link>");
    for i in 0..entries {
        out.push_str(&format!(
            "<item><title>Story number {i} &amp; more</title><link>https://bench.example/news/{i}</link><guid>bench-{i}</guid>\
             <pubDate>Tue, 03 Nov 2026 10:{:02}:00 +0100</pubDate><dc:creator>Reporter {i}</dc:creator><category>World</category>\
             <description>&lt;p&gt;The first paragraph of story {i}, with &lt;a href=\"/x/{i}\"&gt;a link&lt;/a&gt; and &lt;b&gt;bold&lt;/b&gt; words.&lt;/p&gt;&lt;p&gt;A second paragraph.&lt;/p&gt;</description></item>",
            i % 60
        ));
    }
    out.push_str("</channel></rss>");
    out
}

fn synthetic_atom(entries: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Bench Atom</title><id>urn:bench</id><updated>2026-11-03T10:00:00Z</updated>");
    for i in 0..entries {
        out.push_str(&format!(
            "<entry><id>urn:bench:{i}</id><title>Entry {i}</title><link href=\"https://bench.example/a/{i}\"/><updated>2026-11-03T10:00:00Z</updated>\
             <author><name>Writer {i}</name></author><content type=\"html\">&lt;p&gt;Body of entry {i} with some &lt;em&gt;markup&lt;/em&gt;.&lt;/p&gt;</content></entry>"
        ));
    }
    out.push_str("</feed>");
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_feed");
    let mut inputs = vec![
        ("rss2-200".to_string(), synthetic_rss(200).into_bytes()),
        ("atom-200".to_string(), synthetic_atom(200).into_bytes()),
    ];
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/feeds/miniflux-testdata/parser/testdata");
    for name in ["large_atom.xml", "large_rss.xml"] {
        if let Ok(bytes) = std::fs::read(shared.join(name)) {
            inputs.push((format!("miniflux-{name}"), bytes));
        }
    }
    for (name, bytes) in &inputs {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("full", name), bytes, |b, bytes| {
            b.iter(|| {
                parallax_feed::parse_feed(bytes, None, None)
                    .map(|f| f.entries.len())
                    .unwrap_or(0)
            })
        });
        group.bench_with_input(BenchmarkId::new("raw", name), bytes, |b, bytes| {
            b.iter(|| {
                parallax_feed::parse_document(bytes, &parallax_feed::Origin::default())
                    .map(|d| d.raw.entries.len())
                    .unwrap_or(0)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
