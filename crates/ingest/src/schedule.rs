//! When to poll a feed next: an interval learned from how often it posts, no shorter than
//! its TTL and Cache-Control ask, within the operator's bounds; retries that back off
//! exponentially, honour Retry-After, and are spread so feeds of one host do not retry in
//! lock-step.

use chrono::{DateTime, Duration, Utc};
use parallax_model::{Feed, FeedId};

use crate::IngestConfig;

/// What a fetch tells about how often to come back.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    pub entry_times: Vec<DateTime<Utc>>,
    pub ttl_minutes: Option<u32>,
    pub max_age: Option<std::time::Duration>,
}

/// The entries considered for the posting rate: the latest ones.
const RATE_WINDOW: usize = 10;

pub(crate) fn learn_interval(hints: &Hints, config: &IngestConfig) -> Duration {
    let mut times = hints.entry_times.clone();
    times.sort_unstable_by(|a, b| b.cmp(a));
    times.dedup();
    times.truncate(RATE_WINDOW);
    // Poll about twice per typical gap between posts: a new post waits half a gap on average.
    let from_rate = match (times.first(), times.last()) {
        (Some(newest), Some(oldest)) if times.len() >= 2 => {
            Some((*newest - *oldest) / (2 * (times.len() as i32 - 1)))
        }
        _ => None,
    };
    let asked = [
        hints.ttl_minutes.map(|m| Duration::minutes(i64::from(m))),
        hints.max_age.and_then(|d| Duration::from_std(d).ok()),
    ]
    .into_iter()
    .flatten()
    .max();
    let interval = from_rate.unwrap_or(config.poll_interval);
    let interval = asked.map_or(interval, |a| interval.max(a));
    interval.clamp(config.min_interval, config.max_interval)
}

/// A spread of up to a tenth of the interval, fixed per feed, so feeds added together do not
/// stay due together.
pub(crate) fn jittered(interval: Duration, feed: FeedId) -> Duration {
    interval + interval * spread(feed) / 10_000
}

/// 0..1000, a stable hash of the feed id (Knuth's multiplicative hash).
fn spread(feed: FeedId) -> i32 {
    ((feed.0 as u64).wrapping_mul(2_654_435_761) % 1000) as i32
}

/// The wait before retrying a failed feed: what the server asked (Retry-After, up to a
/// week), else exponential backoff from `retry_base` up to `retry_max`, plus up to a quarter
/// more, fixed per feed.
pub(crate) fn retry_delay(
    config: &IngestConfig,
    feed: &Feed,
    retry_after: Option<std::time::Duration>,
) -> Duration {
    if let Some(asked) = retry_after.and_then(|d| Duration::from_std(d).ok()) {
        return asked.clamp(Duration::seconds(1), Duration::days(7));
    }
    let factor = 1i32 << feed.error_count.min(16);
    let base = std::cmp::min(config.retry_base * factor, config.retry_max);
    base + base * spread(feed.id) / 4000
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + Duration::hours(hour)
    }

    #[test]
    fn interval_follows_the_posting_rate_within_bounds() {
        let config = IngestConfig::default();
        let hourly = Hints {
            entry_times: (0..10).map(at).collect(),
            ..Hints::default()
        };
        assert_eq!(learn_interval(&hourly, &config), Duration::minutes(30));
        let daily = Hints {
            entry_times: (0..5).map(|d| at(d * 24 * 3)).collect(),
            ..Hints::default()
        };
        assert_eq!(learn_interval(&daily, &config), config.max_interval);
        let burst = Hints {
            entry_times: (0..10).map(|m| at(0) + Duration::minutes(m)).collect(),
            ..Hints::default()
        };
        assert_eq!(learn_interval(&burst, &config), config.min_interval);
        assert_eq!(
            learn_interval(&Hints::default(), &config),
            config.poll_interval
        );
    }

    #[test]
    fn ttl_and_max_age_lengthen_the_interval() {
        let config = IngestConfig::default();
        let hourly = Hints {
            entry_times: (0..10).map(at).collect(),
            ttl_minutes: Some(120),
            ..Hints::default()
        };
        assert_eq!(learn_interval(&hourly, &config), Duration::hours(2));
        let cached = Hints {
            max_age: Some(std::time::Duration::from_secs(3 * 3600)),
            ..hourly
        };
        assert_eq!(learn_interval(&cached, &config), Duration::hours(3));
    }

    #[test]
    fn retries_back_off_spread_out_and_honour_retry_after() {
        let config = IngestConfig::default();
        let mut feed = Feed {
            id: FeedId(7),
            source_id: parallax_model::SourceId(1),
            url: String::new(),
            title: None,
            etag: None,
            last_modified: None,
            last_fetched: None,
            last_success: None,
            last_error: None,
            error_count: 0,
            next_fetch: at(0),
            status: parallax_model::FeedStatus::Active,
            poll_interval_secs: None,
            folder: None,
            body_hash: None,
        };
        let first = retry_delay(&config, &feed, None);
        feed.error_count = 3;
        let fourth = retry_delay(&config, &feed, None);
        assert!(
            fourth >= first * 8 && fourth <= first * 10,
            "{first} then {fourth}"
        );
        feed.error_count = 30;
        assert!(retry_delay(&config, &feed, None) <= config.retry_max * 5 / 4);
        assert_eq!(
            retry_delay(&config, &feed, Some(std::time::Duration::from_secs(120))),
            Duration::minutes(2)
        );
        let other = Feed {
            id: FeedId(8),
            ..feed.clone()
        };
        assert_ne!(
            retry_delay(&config, &feed, None),
            retry_delay(&config, &other, None),
            "feeds do not retry in lock-step"
        );
    }
}
