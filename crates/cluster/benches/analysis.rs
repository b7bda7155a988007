//! The whole analysis of one story (sentences, alignment, common ground, unique passages)
//! of 20 versions, as a story page asks for it: each version carries most of a pool of the
//! event's sentences, some lightly edited, in its own order, and a few of its own.

use criterion::{criterion_group, criterion_main, Criterion};
use parallax_cluster::analysis::{align, VersionText};

const SUBJECTS: &[&str] = &[
    "The harbour wall of Port Aldane",
    "Mayor Ines Carvalho",
    "The coast guard",
    "Storm Hollis",
    "The port authority",
    "Fishermen on the north quay",
    "The regional fund",
    "Engineers from Castellan",
];
const ACTIONS: &[&str] = &[
    "said on Tuesday that forty boats had been damaged overnight",
    "warned that the old sea wall could not hold another surge",
    "closed the coast road between Port Aldane and Marrowen",
    "asked residents of the lower town to leave their homes",
    "estimated the damage at several hundred million crowns",
    "expected the container terminal to reopen on Thursday",
    "promised money to rebuild the fish market within a year",
    "reported gusts of up to 160 kilometres an hour at the lighthouse",
];

/// A deterministic pseudo-random sequence, so every run measures the same story.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn story(versions: usize) -> Vec<String> {
    let pool: Vec<String> = SUBJECTS
        .iter()
        .flat_map(|s| ACTIONS.iter().map(move |a| format!("{s} {a}.")))
        .collect();
    let mut state = 7;
    (0..versions)
        .map(|v| {
            let mut sentences: Vec<String> = Vec::new();
            for (i, s) in pool.iter().enumerate() {
                match next(&mut state) % 4 {
                    0 => {}
                    1 => sentences.push(s.replace(" on Tuesday", "").replace("several", "some")),
                    _ => sentences.push(s.clone()),
                }
                if i % 9 == 0 {
                    sentences.push(format!(
                        "Outlet {v} learned that detail {i} of the story was seen by {} people.",
                        next(&mut state) % 1000
                    ));
                }
            }
            // Each outlet tells it in its own order, in paragraphs of four sentences.
            for i in (1..sentences.len()).rev() {
                let j = (next(&mut state) % (i as u64 + 1)) as usize;
                sentences.swap(i, j);
            }
            sentences
                .chunks(4)
                .map(|p| p.join(" "))
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = story(20);
    let versions: Vec<VersionText<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| VersionText {
            article: i as i64,
            outlet: i as i64,
            text: t,
            language: Some("en"),
            published: None,
        })
        .collect();
    let sentences: usize = align(&versions)
        .versions
        .iter()
        .map(|v| v.sentences.len())
        .sum();
    c.bench_function(
        &format!("analysis of 20 versions ({sentences} sentences)"),
        |b| b.iter(|| align(&versions)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
