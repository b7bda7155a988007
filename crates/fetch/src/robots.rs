//! robots.txt, fetched once a day per host and asked before article pages are fetched.
//! Google's matcher (the `robotstxt` crate) decides. A missing or unreadable robots.txt allows
//! everything, as the standard (RFC 9309) says; a server error disallows for now.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use url::Url;

use crate::{host_key, Error, Fetcher, Outcome, Validators};

const TTL: Duration = Duration::from_secs(24 * 3600);
/// Robots files over this size are cut, as RFC 9309 allows (it asks for at least 500 KiB).
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

#[derive(Clone, Default)]
pub(crate) struct RobotsCache {
    entries: Arc<Mutex<HashMap<String, (Instant, Rules)>>>,
}

#[derive(Clone)]
enum Rules {
    AllowAll,
    DisallowAll,
    File(Arc<String>),
}

impl RobotsCache {
    pub(crate) async fn allows(&self, fetcher: &Fetcher, url: &Url) -> bool {
        let host = host_key(url);
        let cached = {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries
                .get(&host)
                .filter(|(at, _)| at.elapsed() < TTL)
                .map(|(_, r)| r.clone())
        };
        let rules = match cached {
            Some(r) => r,
            None => {
                let r = fetch_rules(fetcher, url).await;
                self.entries
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(host, (Instant::now(), r.clone()));
                r
            }
        };
        match rules {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::File(body) => {
                let agent = "Parallax";
                robotstxt::DefaultMatcher::default().one_agent_allowed_by_robots(
                    &body,
                    agent,
                    url.as_str(),
                )
            }
        }
    }
}

async fn fetch_rules(fetcher: &Fetcher, url: &Url) -> Rules {
    let Ok(robots_url) = url.join("/robots.txt") else {
        return Rules::AllowAll;
    };
    match fetcher
        .get(robots_url.as_str(), &Validators::default())
        .await
    {
        Ok(Outcome::Fetched(f)) => {
            let mut body = String::from_utf8_lossy(&f.body).into_owned();
            if body.len() > MAX_ROBOTS_BYTES {
                let mut end = MAX_ROBOTS_BYTES;
                while !body.is_char_boundary(end) {
                    end -= 1;
                }
                body.truncate(end);
            }
            Rules::File(Arc::new(body))
        }
        Err(Error::Status { status, .. }) if (400..500).contains(&status) => Rules::AllowAll,
        Err(Error::Gone) => Rules::AllowAll,
        Err(Error::Status { .. }) => Rules::DisallowAll,
        _ => Rules::AllowAll,
    }
}
