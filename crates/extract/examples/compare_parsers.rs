//! Parses every page of the extraction benchmarks with html5ever (through scraper) and with
//! Parallax's own parser, and reports where the text a reader would see differs, and the time
//! each takes: the check that the fast parser builds the tree a browser builds.
//!
//! `cargo run --release -p parallax-extract --example compare_parsers -- ../shared/data/extraction [--show N]`

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use scraper::{Html, Node};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/data/extraction".into()),
    );
    let show: usize = match (args.next().as_deref(), args.next()) {
        (Some("--show"), Some(n)) => n.parse().unwrap_or(0),
        _ => 0,
    };
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let pages: Vec<String> = files.iter().filter_map(|p| read_page(p)).collect();
    let (mut ours, mut theirs) = (0.0, 0.0);
    let (mut same, mut differ, mut refused) = (0, 0, 0);
    let mut shown = 0;
    for (path, html) in files.iter().zip(&pages) {
        let t = Instant::now();
        let a = Html::parse_document(html);
        theirs += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let b = parallax_extract::parse_page(html);
        ours += t.elapsed().as_secs_f64();
        let Ok(b) = b else {
            refused += 1;
            continue;
        };
        let (ta, tb) = (visible_text(&a), visible_text(&b));
        if ta == tb {
            same += 1;
            continue;
        }
        differ += 1;
        if shown < show {
            shown += 1;
            let at = ta
                .char_indices()
                .zip(tb.chars())
                .find(|((_, x), y)| x != y)
                .map_or(ta.len().min(tb.len()), |((i, _), _)| i);
            let from = ta[..at].char_indices().rev().nth(60).map_or(0, |(i, _)| i);
            let ctx = |t: &str| {
                t.get(from..)
                    .unwrap_or("")
                    .chars()
                    .take(160)
                    .collect::<String>()
            };
            println!(
                "{}\n  html5ever: {}\n  ours:      {}",
                path.display(),
                ctx(&ta),
                ctx(&tb)
            );
        }
    }
    println!(
        "{} pages: same visible text {same}, different {differ}, refused {refused}; parsing html5ever {:.0} ms, ours {:.0} ms ({:.1}x)",
        pages.len(),
        theirs * 1e3,
        ours * 1e3,
        theirs / ours.max(1e-9)
    );
}

/// The text under `<body>` outside scripts and styles, without whitespace.
fn visible_text(doc: &Html) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(
                        e.name(),
                        "script" | "style" | "noscript" | "template" | "head"
                    )
                })
            });
            if !hidden {
                out.extend(t.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
    // Without spaces: html5ever keeps comments, which split text nodes that ours joins.
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("expected"))
        {
        } else if path.to_string_lossy().ends_with(".html")
            || path.to_string_lossy().ends_with(".html.gz")
        {
            out.push(path);
        }
    }
}

fn read_page(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        bytes
    };
    Some(
        parallax_text::charset::decode(&bytes, None)
            .text
            .into_owned(),
    )
}
