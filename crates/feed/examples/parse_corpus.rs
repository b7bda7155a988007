//! Parses every feed file under a folder, several times over, and prints the time per pass:
//! a steady load to profile the parser with (`perf record`), apart from file reading.
//!
//! `cargo run --release -p parallax-feed --example parse_corpus -- ../shared/data/feeds 20`

// The allocator the `parallax` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "xml" || e == "rss" || e == "atom" || e == "json" || e == "rdf")
        {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/feeds".into()));
    let passes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let mut files = Vec::new();
    collect(&root, &mut files);
    let blobs: Vec<Vec<u8>> = files.iter().filter_map(|f| std::fs::read(f).ok()).collect();
    let raw_only = std::env::var_os("RAW").is_some();
    let mut best = f64::MAX;
    for _ in 0..passes {
        let started = Instant::now();
        let mut parsed = 0;
        for b in &blobs {
            let ok = if raw_only {
                parallax_feed::parse_document(b, &parallax_feed::Origin::default()).is_ok()
            } else {
                parallax_feed::parse_feed(b, None, None).is_ok()
            };
            parsed += usize::from(ok);
        }
        best = best.min(started.elapsed().as_secs_f64());
        std::hint::black_box(parsed);
    }
    println!(
        "{} files, best pass {:.1} ms ({})",
        blobs.len(),
        best * 1e3,
        if raw_only {
            "parse_document"
        } else {
            "parse_feed"
        }
    );
}
