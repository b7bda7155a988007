//! Search on any query text, with and without filters: hits or nothing, never a panic. The
//! first bytes choose the filters; the rest is the query.
#![no_main]

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use parallax_model::{Article, ArticleDraft, ArticleId, ContentOrigin, FeedId, SourceId, StoryId};
use parallax_search::{SearchFilter, SearchIndex};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::open_in_ram().expect("an index in memory");
        let texts = [
            (
                "Storm floods Zürich harbour",
                "Water rose in the harbour of Zürich on Tuesday.",
            ),
            ("东京都知事选举", "东京都知事选举在周日举行。"),
            (
                "Budget vote: 212 to 148",
                "The U.S.-led talks, at 9:30, failed; \"no deal\".",
            ),
        ];
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(i, (title, text))| Article {
                id: ArticleId(i as i64 + 1),
                story_id: StoryId(i as i64 + 1),
                copy_of: None,
                fetched_at: Utc.with_ymd_and_hms(2026, 11, 3, 12, 0, 0).unwrap(),
                text_dropped_at: None,
                draft: ArticleDraft {
                    source_id: SourceId(i as i64 % 2 + 1),
                    feed_id: FeedId(1),
                    guid: i.to_string(),
                    entry_hash: String::new(),
                    url: format!("https://x.example/{i}"),
                    canonical_url: format!("https://x.example/{i}"),
                    title: title.to_string(),
                    authors: vec![],
                    published: None,
                    modified: None,
                    site_name: None,
                    language: Some(if i == 1 { "zh" } else { "en" }.into()),
                    image: None,
                    description: None,
                    text: text.to_string(),
                    html: String::new(),
                    origin: ContentOrigin::Page,
                    partial: false,
                    categories: vec![],
                },
            })
            .collect();
        index.index_articles(&articles).expect("indexing");
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let query = String::from_utf8_lossy(rest);
    let mut filter = SearchFilter::default();
    if choice & 1 != 0 {
        filter.sources = Some(vec![SourceId(i64::from(choice >> 4))]);
    }
    if choice & 2 != 0 {
        filter.language = Some(query.chars().take(3).collect());
    }
    if choice & 4 != 0 {
        filter.from = Utc
            .timestamp_opt(i64::from(choice) * 10_000_000, 0)
            .single();
    }
    let _ = index().search(&query, &filter, 10, usize::from(choice >> 6));
});
