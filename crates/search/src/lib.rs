//! The only crate that knows tantivy: a full-text index of articles, with their story, kept
//! in step with the store by ingestion (the store remembers which articles are indexed).

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use parallax_model::{Article, ArticleId, SourceId, StoryId};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};

mod exclude;
mod tokens;
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot open the search index at {path}: {reason}")]
    Open { path: String, reason: String },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Memory the writer may use before flushing a segment.
const WRITER_BUDGET: usize = 50_000_000;

#[derive(Clone, Copy)]
struct Fields {
    article_id: Field,
    story_id: Field,
    source_id: Field,
    title: Field,
    body: Field,
    /// The article's language code as extraction found it ("en", "fr"), whole.
    language: Field,
    /// Publication time (else the time it was fetched), seconds since the epoch.
    published: Field,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One writer at a time; taken for a batch and released, so another process can index.
    write_lock: Mutex<()>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub article_id: ArticleId,
    pub story_id: StoryId,
    pub source_id: SourceId,
    pub title: String,
    /// HTML: escaped text with the matched words in `<b>`.
    pub snippet: String,
    pub score: f32,
}

/// What a search is narrowed to; every part left `None` lets everything through.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchFilter {
    /// Articles of these outlets only (an outlet, or the outlets of a leaning or country).
    pub sources: Option<Vec<SourceId>>,
    /// Articles of these stories only (a category's).
    pub stories: Option<Vec<StoryId>>,
    pub language: Option<String>,
    /// Published at or after.
    pub from: Option<DateTime<Utc>>,
    /// Published before.
    pub until: Option<DateTime<Utc>>,
}

impl SearchFilter {
    /// Whether some part lets nothing through (an empty list of outlets or stories).
    fn is_empty_set(&self) -> bool {
        self.sources.as_ref().is_some_and(Vec::is_empty)
            || self.stories.as_ref().is_some_and(Vec::is_empty)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// What the query parser could not read and left out.
    pub warnings: Vec<String>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokens::ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        article_id: b.add_u64_field("article_id", INDEXED | STORED | FAST),
        story_id: b.add_u64_field("story_id", INDEXED | STORED | FAST),
        source_id: b.add_u64_field("source_id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        language: b.add_text_field("language", STRING),
        published: b.add_i64_field("published", INDEXED | FAST),
    };
    (b.build(), fields)
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when absent (a new index has no `position`: it
    /// catches up from the store's first article).
    pub fn open(dir: &Path) -> Result<Self> {
        let open_err = |reason: String| Error::Open {
            path: dir.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        let (schema, fields) = schema();
        let mut exists = dir.join("meta.json").exists();
        if exists && Index::open_in_dir(dir)?.schema() != schema {
            // Written by an earlier version: the store has every article, so the index is
            // rebuilt from it (a new index catches up from the start).
            empty_dir(dir).map_err(|e| open_err(format!("rebuilding: {e}")))?;
            exists = false;
        }
        let index = if exists {
            Index::open_in_dir(dir)?
        } else {
            Index::create_in_dir(dir, schema)?
        };
        Self::with_index(index, fields)
    }

    pub fn open_in_ram() -> Result<Self> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self> {
        index
            .tokenizers()
            .register(tokens::ANALYZER, tokens::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            write_lock: Mutex::new(()),
        })
    }

    /// Adds or replaces articles, then commits: after this returns they are searchable and
    /// durable.
    pub fn index_articles(&self, articles: &[Article]) -> Result<()> {
        self.write(articles, None)
    }

    /// Where this index stands in the store's stream of article writes, as the last
    /// `index_articles_at` left it; `None` for an index that has indexed nothing that way.
    pub fn position(&self) -> Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    /// Adds or replaces articles and commits them together with `position`, the store's
    /// position after them: an index killed at any point resumes from what it committed.
    pub fn index_articles_at(&self, articles: &[Article], position: &str) -> Result<()> {
        self.write(articles, Some(position))
    }

    fn write(&self, articles: &[Article], position: Option<&str>) -> Result<()> {
        if articles.is_empty() && position.is_none() {
            return Ok(());
        }
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut writer: IndexWriter<TantivyDocument> =
            self.index.writer_with_num_threads(1, WRITER_BUDGET)?;
        let f = self.fields;
        for a in articles {
            writer.delete_term(Term::from_field_u64(f.article_id, a.id.0 as u64));
            writer.add_document(doc!(
                f.article_id => a.id.0 as u64,
                f.story_id => a.story_id.0 as u64,
                f.source_id => a.draft.source_id.0 as u64,
                f.title => a.draft.title.clone(),
                f.body => a.draft.text.clone(),
                f.language => language_key(a.draft.language.as_deref().unwrap_or("")),
                f.published => a.draft.published.unwrap_or(a.fetched_at).timestamp(),
            ))?;
        }
        let mut commit = writer.prepare_commit()?;
        if let Some(position) = position {
            commit.set_payload(position);
        }
        commit.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Full-text search over titles (boosted) and bodies, narrowed by `filter`. Syntax
    /// errors never fail a search: what cannot be parsed is left out and reported in
    /// `warnings`.
    pub fn search(
        &self,
        query: &str,
        filter: &SearchFilter,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults> {
        let query = query.trim();
        if query.is_empty() || limit == 0 || filter.is_empty_set() {
            return Ok(SearchResults::default());
        }
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser.set_field_boost(f.title, 2.0);
        parser.set_conjunction_by_default();
        let (words, errors) = parser.parse_query_lenient(query);
        // Only exclusions ("-word", -"a phrase") find nothing worth a search. (The lenient
        // parser turns one into "everything but", with AllQuery.)
        if words.downcast_ref::<BooleanQuery>().is_some_and(|b| {
            b.clauses().iter().any(|(o, _)| *o == Occur::MustNot)
                && b.clauses().iter().all(|(o, q)| {
                    *o == Occur::MustNot || q.downcast_ref::<tantivy::query::AllQuery>().is_some()
                })
        }) {
            return Ok(SearchResults {
                warnings: vec!["a search needs a word to find, not only words to leave out".into()],
                ..SearchResults::default()
            });
        }
        let words = exclude::forward_only_exclusions(words);
        let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words.box_clone())];
        let ids = |field: Field, ids: &mut dyn Iterator<Item = i64>| -> Box<dyn Query> {
            Box::new(TermSetQuery::new(
                ids.map(|id| Term::from_field_u64(field, id as u64)),
            ))
        };
        if let Some(sources) = &filter.sources {
            parts.push((
                Occur::Must,
                ids(f.source_id, &mut sources.iter().map(|s| s.0)),
            ));
        }
        if let Some(stories) = &filter.stories {
            parts.push((
                Occur::Must,
                ids(f.story_id, &mut stories.iter().map(|s| s.0)),
            ));
        }
        if let Some(language) = &filter.language {
            parts.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.language, &language_key(language)),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if filter.from.is_some() || filter.until.is_some() {
            let term = |t: DateTime<Utc>| Term::from_field_i64(f.published, t.timestamp());
            parts.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    filter
                        .from
                        .map_or(Bound::Unbounded, |t| Bound::Included(term(t))),
                    filter
                        .until
                        .map_or(Bound::Unbounded, |t| Bound::Excluded(term(t))),
                )),
            ));
        }
        let parsed: Box<dyn Query> = if parts.len() == 1 {
            words.box_clone()
        } else {
            Box::new(BooleanQuery::new(parts))
        };
        let (top, total) = searcher.search(
            &parsed,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        // Highlights come from the words alone; the filters have no text.
        let mut snippets = SnippetGenerator::create(&searcher, &*words, f.body)?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let u64_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0) as i64;
            let title = doc
                .get_first(f.title)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            let mut snippet = snippets.snippet_from_doc(&doc).to_html();
            if snippet.is_empty() {
                let body = doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or("");
                snippet = escape(&body.chars().take(240).collect::<String>());
            }
            hits.push(Hit {
                article_id: ArticleId(u64_of(f.article_id)),
                story_id: StoryId(u64_of(f.story_id)),
                source_id: SourceId(u64_of(f.source_id)),
                title,
                snippet,
                score,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            warnings: errors.iter().map(|e| e.to_string()).collect(),
        })
    }

    /// Stories whose articles read like `text` (a story's headline and lead), best first,
    /// `exclude` left out: the "Read also" list.
    pub fn related_stories(
        &self,
        text: &str,
        exclude: StoryId,
        limit: usize,
    ) -> Result<Vec<StoryId>> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .take(40)
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let searcher = self.reader.searcher();
        let parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        let (query, _) = parser.parse_query_lenient(&words.join(" "));
        let top = searcher.search(&query, &TopDocs::with_limit(limit * 8 + 8).order_by_score())?;
        let mut stories = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let story = StoryId(
                doc.get_first(f.story_id)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0) as i64,
            );
            if story != exclude && !stories.contains(&story) {
                stories.push(story);
                if stories.len() == limit {
                    break;
                }
            }
        }
        Ok(stories)
    }
}

/// "en-GB" and "EN" are both English.
fn language_key(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Empties an index directory, keeping the directory itself.
fn empty_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use parallax_model::{ArticleDraft, ContentOrigin, FeedId, SourceId};

    fn article(id: i64, story: i64, title: &str, text: &str) -> Article {
        Article {
            text_dropped_at: None,
            copy_of: None,
            id: ArticleId(id),
            story_id: StoryId(story),
            fetched_at: Utc::now(),
            draft: ArticleDraft {
                source_id: SourceId(1),
                feed_id: FeedId(1),
                guid: id.to_string(),
                entry_hash: String::new(),
                url: format!("https://x.example/{id}"),
                canonical_url: format!("https://x.example/{id}"),
                title: title.into(),
                authors: vec![],
                published: None,
                modified: None,
                site_name: None,
                language: None,
                image: None,
                description: None,
                text: text.into(),
                html: String::new(),
                origin: ContentOrigin::Page,
                partial: false,
                categories: vec![],
            },
        }
    }

    #[test]
    fn a_phrase_left_out_leaves_out_only_its_documents() {
        let index = SearchIndex::open_in_ram().unwrap();
        let texts = [
            "harbour storm floods the quay",
            "harbour budget vote",
            "harbour storm warning lifted",
            "harbour floods storm quay",
        ];
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| article(i as i64 + 1, i as i64 + 1, t, t))
            .collect();
        index.index_articles(&articles).unwrap();
        let res = index
            .search("harbour -\"storm floods\"", &SearchFilter::default(), 10, 0)
            .unwrap();
        let mut found: Vec<i64> = res.hits.iter().map(|h| h.story_id.0).collect();
        found.sort();
        assert_eq!(found, [2, 3, 4], "only the first says \"storm floods\"");
    }

    #[test]
    fn an_excluded_phrase_past_its_last_document_is_not_asked_behind_it() {
        // Fuzz finding (the search target, 2026-11-30): once an excluded phrase had no more
        // documents, tantivy's phrase scorer was asked about one behind it and panicked (in
        // debug builds; quickwit-oss/tantivy#2811). The fuzz target's index and input.
        let index = SearchIndex::open_in_ram().unwrap();
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
            .map(|(i, (title, text))| {
                let mut a = article(i as i64 + 1, i as i64 + 1, title, text);
                a.draft.source_id = SourceId(i as i64 % 2 + 1);
                a.draft.language = Some(if i == 1 { "zh" } else { "en" }.into());
                a
            })
            .collect();
        index.index_articles(&articles).unwrap();
        let query = String::from_utf8_lossy(
            b"s - \xf6\xf6ss - \xf6\xf6\xf6s?s - \xf6\xf6\xf6\xf6\xb6\xf6\xf6\xff\xff\xfftsdaggerithe\x06M\r\r\r\r-\rtiA'\xf6\xf6\xf6httlt\xf6\xf6",
        );
        let filter = SearchFilter {
            sources: Some(vec![SourceId(7)]),
            language: Some(query.chars().take(3).collect()),
            ..SearchFilter::default()
        };
        assert!(index.search(&query, &filter, 10, 1).is_ok());
        assert!(index
            .search(&query, &SearchFilter::default(), 10, 1)
            .is_ok());
    }

    #[test]
    fn indexed_articles_are_found_with_highlights_and_reindexing_replaces() {
        let index = SearchIndex::open_in_ram().unwrap();
        index
            .index_articles(&[
                article(
                    1,
                    10,
                    "Storm floods harbour",
                    "Water <rose> in the harbour of Port Aldane.",
                ),
                article(2, 11, "Budget vote", "Parliament approved the budget."),
            ])
            .unwrap();
        let res = index
            .search("harbour", &SearchFilter::default(), 10, 0)
            .unwrap();
        assert_eq!(res.total, 1);
        assert_eq!(res.hits[0].story_id, StoryId(10));
        assert!(
            res.hits[0].snippet.contains("<b>harbour</b>"),
            "{}",
            res.hits[0].snippet
        );
        assert!(
            res.hits[0].snippet.contains("&lt;rose&gt;"),
            "{}",
            res.hits[0].snippet
        );
        index
            .index_articles(&[article(1, 10, "Storm floods harbour", "Rewritten text.")])
            .unwrap();
        assert_eq!(index.doc_count(), 2);
        assert_eq!(
            index
                .search("aldane", &SearchFilter::default(), 10, 0)
                .unwrap()
                .total,
            0
        );
    }

    #[test]
    fn broken_query_syntax_does_not_fail() {
        let index = SearchIndex::open_in_ram().unwrap();
        index
            .index_articles(&[article(1, 1, "Budget vote", "Parliament approved it.")])
            .unwrap();
        let res = index
            .search("budget AND (", &SearchFilter::default(), 10, 0)
            .unwrap();
        assert_eq!(res.total, 1);
        assert!(index
            .search("\"unclosed", &SearchFilter::default(), 10, 0)
            .is_ok());
    }

    #[test]
    fn filters_narrow_by_outlet_story_language_and_date() {
        use chrono::TimeZone;
        let index = SearchIndex::open_in_ram().unwrap();
        let at = |d: u32| Some(Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap());
        let mut a = article(1, 10, "Harbour wall", "The harbour wall fell.");
        a.draft.published = at(3);
        a.draft.language = Some("en-GB".into());
        let mut b = article(2, 11, "Harbour reopens", "The harbour reopened.");
        b.draft.source_id = SourceId(2);
        b.draft.published = at(5);
        b.draft.language = Some("fr".into());
        index.index_articles(&[a, b]).unwrap();
        let found = |filter: SearchFilter| -> Vec<i64> {
            let mut ids: Vec<i64> = index
                .search("harbour", &filter, 10, 0)
                .unwrap()
                .hits
                .iter()
                .map(|h| h.article_id.0)
                .collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(found(SearchFilter::default()), [1, 2]);
        let of = |f: fn(&mut SearchFilter)| {
            let mut filter = SearchFilter::default();
            f(&mut filter);
            filter
        };
        assert_eq!(found(of(|f| f.sources = Some(vec![SourceId(2)]))), [2]);
        assert_eq!(found(of(|f| f.sources = Some(vec![]))), Vec::<i64>::new());
        assert_eq!(found(of(|f| f.stories = Some(vec![StoryId(10)]))), [1]);
        assert_eq!(found(of(|f| f.language = Some("EN".into()))), [1]);
        assert_eq!(
            found(of(
                |f| f.from = Some(Utc.with_ymd_and_hms(2026, 11, 4, 0, 0, 0).unwrap())
            )),
            [2]
        );
        assert_eq!(
            found(of(
                |f| f.until = Some(Utc.with_ymd_and_hms(2026, 11, 4, 0, 0, 0).unwrap())
            )),
            [1]
        );
        // The highlights are the words', not the filters'.
        let res = index
            .search("harbour", &of(|f| f.language = Some("fr".into())), 10, 0)
            .unwrap();
        assert!(
            res.hits[0].snippet.contains("<b>harbour</b>"),
            "{}",
            res.hits[0].snippet
        );
    }

    #[test]
    fn accents_punctuation_and_cjk_are_found() {
        let index = SearchIndex::open_in_ram().unwrap();
        index
            .index_articles(&[
                article(1, 1, "Zürich votes", "Voters in Zürich said no."),
                article(2, 2, "东京都知事选举", "东京都知事选举在周日举行。"),
                article(
                    3,
                    3,
                    "Rock 'n' roll",
                    "The U.S.-led talks, at 9:30, failed.",
                ),
            ])
            .unwrap();
        let first = |q: &str| {
            index
                .search(q, &SearchFilter::default(), 10, 0)
                .unwrap()
                .hits
                .first()
                .map(|h| h.article_id.0)
        };
        assert_eq!(first("zurich"), Some(1));
        assert_eq!(first("ZÜRICH"), Some(1));
        assert_eq!(first("知事"), Some(2));
        assert_eq!(first("东京都"), Some(2));
        assert_eq!(first("U.S.-led talks!"), Some(3));
        assert_eq!(first("???"), None);
    }

    #[test]
    fn a_search_of_only_exclusions_finds_nothing_and_says_why() {
        let index = SearchIndex::open_in_ram().unwrap();
        index
            .index_articles(&[article(
                1,
                1,
                "Storm floods harbour",
                "The harbour of Aldane.",
            )])
            .unwrap();
        // Found by the search fuzz target: a lone excluded phrase panicked inside tantivy.
        for q in ["-\"harbour of\"", "---\"S-S", "-storm", "-storm -harbour"] {
            let res = index.search(q, &SearchFilter::default(), 10, 0).unwrap();
            assert_eq!(res.total, 0, "{q}");
            assert!(!res.warnings.is_empty(), "{q}");
        }
        let res = index
            .search("storm -\"harbour of\"", &SearchFilter::default(), 10, 0)
            .unwrap();
        assert_eq!(res.total, 0, "the one article has the phrase");
        assert_eq!(
            index
                .search("storm -\"no such\"", &SearchFilter::default(), 10, 0)
                .unwrap()
                .total,
            1
        );
    }

    #[test]
    fn an_index_of_an_earlier_schema_is_rebuilt_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Schema::builder();
        b.add_u64_field("article_id", INDEXED | STORED);
        Index::create_in_dir(dir.path(), b.build()).unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(
            index.position().unwrap(),
            None,
            "it catches up from the start"
        );
        assert_eq!(index.doc_count(), 0);
    }

    #[test]
    fn the_position_is_committed_with_the_articles_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        index
            .index_articles_at(&[article(1, 1, "Budget vote", "Approved.")], "sqlite:7:1")
            .unwrap();
        drop(index);
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.position().unwrap().as_deref(), Some("sqlite:7:1"));
        assert_eq!(index.doc_count(), 1);
    }

    #[test]
    fn related_stories_leave_out_the_story_itself() {
        let index = SearchIndex::open_in_ram().unwrap();
        index
            .index_articles(&[
                article(
                    1,
                    1,
                    "Storm Hollis floods Port Aldane",
                    "Storm surge flooded the harbour.",
                ),
                article(
                    2,
                    2,
                    "Storm Marisol floods Brennick valley",
                    "Storm rains flooded the valley.",
                ),
                article(3, 3, "Budget vote", "Parliament approved the budget."),
            ])
            .unwrap();
        let related = index
            .related_stories("Storm Hollis floods Port Aldane", StoryId(1), 3)
            .unwrap();
        assert_eq!(related.first(), Some(&StoryId(2)));
        assert!(!related.contains(&StoryId(1)));
    }
}
