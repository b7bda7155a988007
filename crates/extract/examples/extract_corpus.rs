//! Extracts every page of a folder (`.html`, or `.html.gz`) several times over and prints the
//! time per pass, the share spent parsing HTML, and the median of each page's best time: a
//! steady load to profile the extractor with (`perf record`), apart from file reading.
//!
//! `cargo run --release -p parallax-extract --example extract_corpus -- ../shared/data/extraction/scrapinghub-aeb/html 5`

// The allocator the `parallax` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/data/extraction/scrapinghub-aeb/html".into()),
    );
    let passes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut raw = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let bytes = if path.extension().is_some_and(|e| e == "gz") {
            let mut out = Vec::new();
            if flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .is_err()
            {
                continue;
            }
            out
        } else {
            bytes
        };
        raw.push(bytes);
    }
    let pages: Vec<String> = raw
        .iter()
        .map(|b| parallax_text::charset::decode(b, None).text.into_owned())
        .collect();
    let (mut best, mut best_parse) = (f64::MAX, f64::MAX);
    // Each page's fastest decode + extract over the passes: the figure to set beside another
    // extractor timed the same way (scripts/compare-extractors.sh).
    let mut fastest = vec![f64::MAX; raw.len()];
    for _ in 0..passes {
        let started = Instant::now();
        for (bytes, fastest) in raw.iter().zip(&mut fastest) {
            let page = Instant::now();
            let html = parallax_text::charset::decode(bytes, None).text;
            std::hint::black_box(parallax_extract::extract(&html, None).is_ok());
            *fastest = fastest.min(page.elapsed().as_secs_f64());
        }
        best = best.min(started.elapsed().as_secs_f64());
        let started = Instant::now();
        for html in &pages {
            std::hint::black_box(parallax_extract::parse_page(html).is_ok());
        }
        best_parse = best_parse.min(started.elapsed().as_secs_f64());
    }
    fastest.sort_by(f64::total_cmp);
    let median = fastest.get(fastest.len() / 2).copied().unwrap_or(0.0);
    println!(
        "{} pages, best pass {:.1} ms ({:.2} ms a page), of which parsing HTML {:.1} ms",
        pages.len(),
        best * 1e3,
        best * 1e3 / pages.len().max(1) as f64,
        best_parse * 1e3
    );
    println!(
        "parallax: median {:.2} ms per page (decode + extract, each page's best of {passes})",
        median * 1e3
    );
}
