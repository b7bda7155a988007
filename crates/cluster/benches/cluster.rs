//! Throughput of the clustering step (vectorize, find copies and candidates, decide, insert;
//! then also the merge, split and move passes) on a stream of fictional articles: many
//! events a day, several outlets' versions of each, wire copies among them, a few weeks
//! long. `parallax eval clustering --replay N` measures the same on the shared news corpus.

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use parallax_cluster::{cluster_all, ClusterConfig, Doc};

const PLACES: &[&str] = &[
    "Port Aldane",
    "Veloria",
    "Castellan",
    "Isla Verde",
    "Marrowen",
    "Tessaly",
    "Orvian",
    "Delmar",
    "Quessa",
    "Brannock",
    "Tiliva",
    "Kesmark",
    "Hollis Bay",
    "Wattle Bay",
];
const PEOPLE: &[&str] = &[
    "Ana Ruiz",
    "Tomas Brell",
    "Ines Okafor",
    "Marta Linde",
    "Jon Ferris",
    "Lea Moreau",
    "Sami Haddad",
    "Oskar Vail",
    "Nadia Petrov",
    "Ruth Calder",
];
const KINDS: &[(&str, &[&str])] = &[
    (
        "storm",
        &[
            "flooded the harbour",
            "cut power to thousands",
            "closed the coast road",
            "damaged the sea wall",
        ],
    ),
    (
        "election",
        &[
            "counted the ballots",
            "conceded defeat",
            "formed a coalition",
            "announced a recount",
        ],
    ),
    (
        "budget",
        &[
            "raised interest rates",
            "cut spending on roads",
            "passed the annual budget",
            "froze public salaries",
        ],
    ),
    (
        "trial",
        &[
            "heard the first witness",
            "adjourned until Monday",
            "delivered a verdict",
            "rejected an appeal",
        ],
    ),
    (
        "strike",
        &[
            "walked out of the port",
            "met the employers",
            "blocked the railway",
            "ended the strike",
        ],
    ),
];
const FILLER: &[&str] = &[
    "Officials said more details would follow later in the day.",
    "Residents described a tense night as the news spread through the town.",
    "The council will meet again next week to review the situation.",
    "Analysts said the decision could weigh on the region for months.",
    "Local businesses reported disruption to deliveries and opening hours.",
    "A spokesperson declined to comment on the figures published so far.",
];

/// The `i`th article of the stream: event `i / 4`, told by outlet `i % 4`, every 12th a wire
/// copy of the version before it.
fn article(i: usize) -> Doc {
    let event = i / 4;
    let (kind, actions) = KINDS[event % KINDS.len()];
    let place = PLACES[(event * 7) % PLACES.len()];
    let person = PEOPLE[(event * 3) % PEOPLE.len()];
    let outlet = if i % 12 == 11 { i - 1 } else { i } % 4;
    let mut text = String::new();
    for s in 0..40 {
        let action = actions[(s + outlet) % actions.len()];
        text.push_str(&format!(
            "In {place}, {person} said the {kind} {action} on day {event}. {} ",
            FILLER[(s * 5 + outlet + event) % FILLER.len()]
        ));
    }
    Doc {
        title: format!(
            "{person}: {kind} in {place} {}",
            actions[outlet % actions.len()]
        ),
        text,
        published: Utc.with_ymd_and_hms(2026, 1, 1, 6, 0, 0).unwrap()
            + Duration::minutes(10 * i as i64),
        language: Some("en".into()),
    }
}

fn stream(c: &mut Criterion) {
    const ARTICLES: usize = 4_000;
    let docs: Vec<Doc> = (0..ARTICLES).map(article).collect();
    let mut group = c.benchmark_group("cluster");
    group.throughput(Throughput::Elements(ARTICLES as u64));
    group.sample_size(10);
    // Ingestion runs the merge, split and move passes after each cycle; `cluster_all` runs
    // them every `passes_every` articles (0: never).
    for (name, passes_every) in [
        ("stream of 4,000 articles", 0),
        (
            "stream of 4,000 articles, with passes",
            ClusterConfig::default().passes_every,
        ),
    ] {
        let config = ClusterConfig {
            passes_every,
            ..ClusterConfig::default()
        };
        group.bench_function(name, |b| b.iter(|| cluster_all(config.clone(), &docs)));
    }
    group.finish();
}

criterion_group!(benches, stream);
criterion_main!(benches);
