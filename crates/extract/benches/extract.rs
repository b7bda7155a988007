//! Extraction speed: a synthetic news page with the usual boilerplate, and, when
//! `../shared/data` is present, the first Scrapinghub benchmark pages.

use std::io::Read;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn synthetic_page(paragraphs: usize) -> String {
    let mut body = String::new();
    for i in 0..paragraphs {
        body.push_str(&format!(
            "<p>Paragraph {i} of the report, with a <a href=\"/x/{i}\">link</a>, some numbers like 4,500 and 12%, and a quote: “We will rebuild,” the mayor said on Tuesday.</p>"
        ));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Storm hits the coast | Bench Daily</title>\
         <meta property=\"og:site_name\" content=\"Bench Daily\"><meta property=\"article:published_time\" content=\"2026-11-03T10:00:00Z\">\
         <script>var tracking = 1;</script></head><body><header><nav><a href=\"/\">Home</a><a href=\"/world\">World</a></nav></header>\
         <main><article><h1>Storm hits the coast</h1><p class=\"byline\">By Ana Ruiz</p><div class=\"share\"><a href=\"#\">Share</a></div>\
         {body}<aside class=\"related\"><h3>Read also</h3><ul><li><a href=\"/a\">Another story</a></li></ul></aside></article></main>\
         <section class=\"comments\"><p>First!</p></section><footer>© 2026 Bench Daily</footer></body></html>"
    )
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    let mut pages = vec![
        ("synthetic-20".to_string(), synthetic_page(20)),
        ("synthetic-80".to_string(), synthetic_page(80)),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/extraction/scrapinghub-aeb/html");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths.into_iter().take(3) {
            let mut html = String::new();
            if let Ok(file) = std::fs::File::open(&path) {
                if flate2::read::GzDecoder::new(file)
                    .read_to_string(&mut html)
                    .is_ok()
                {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy()[..12].to_string())
                        .unwrap_or_default();
                    pages.push((format!("scrapinghub-{name}"), html));
                }
            }
        }
    }
    for (name, html) in &pages {
        group.throughput(Throughput::Bytes(html.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), html, |b, html| {
            b.iter(|| {
                parallax_extract::extract(html, None)
                    .map(|x| x.text.len())
                    .unwrap_or(0)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
