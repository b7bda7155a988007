//! The only crate that makes outbound HTTP. Polite by construction: every request waits its
//! turn per host (a minimum gap, a few at once), redirects are followed by hand so their kind
//! is known, 429/503 carry their Retry-After, article pages ask robots.txt first, and every
//! read is bounded in time and size (after decompression, so a gzip bomb is refused).

mod pacing;
mod robots;

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{redirect, Client, StatusCode};
use url::Url;

pub use pacing::HostPacer;

#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Whole-request deadline, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Longest silence between two reads of the response (first byte included).
    pub read_timeout: Duration,
    /// Bodies larger than this (after decompression) are refused.
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub user_agent: String,
    /// Requests to one host at once.
    pub host_concurrency: usize,
    /// Minimum time between the starts of two requests to one host.
    pub host_min_gap: Duration,
    /// Ask robots.txt before fetching an article page.
    pub obey_robots: bool,
    /// Fetch from loopback, private, link-local and other non-public addresses. Off, a feed
    /// or page that names or redirects to one, or whose name resolves only to them, is
    /// refused: the server's own network is not the feeds' to reach.
    pub allow_private_addresses: bool,
    /// Private networks fetched from even so: an operator's own feed server on the office
    /// network, say, while the rest of it stays out of reach.
    pub allowed_networks: Vec<Network>,
}

/// An address range, `10.1.0.0/16` or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || format!("{s:?} is not an address or a network such as 10.1.0.0/16");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let most = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(bad)?,
            None => most,
        };
        Ok(Network { addr, prefix })
    }
}

impl FetchConfig {
    /// Whether requests may go to `ip`.
    pub fn may_reach(&self, ip: IpAddr) -> bool {
        self.allow_private_addresses
            || is_public(ip)
            || self.allowed_networks.iter().any(|n| n.contains(ip))
    }

    /// The User-Agent Parallax sends, naming a contact URL when the operator gave one.
    pub fn user_agent_for(contact_url: Option<&str>) -> String {
        match contact_url {
            Some(url) => format!("Parallax/{} (+{url})", env!("CARGO_PKG_VERSION")),
            None => format!(
                "Parallax/{} (self-hosted news aggregator)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(15),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            allow_private_addresses: false,
            allowed_networks: Vec::new(),
            user_agent: FetchConfig::user_agent_for(None),
            host_concurrency: 2,
            host_min_gap: Duration::from_millis(1000),
            obey_robots: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid URL {0:?}")]
    InvalidUrl(String),
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("HTTP {status}")]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("HTTP 410 Gone")]
    Gone,
    #[error("response larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    #[error("redirect without a usable Location")]
    BadRedirect,
    #[error("robots.txt of {host} disallows {url}")]
    DisallowedByRobots { host: String, url: String },
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("request failed: {0}")]
    Request(String),
    #[error("{0} is not a public address (loopback, private or link-local), and fetching from those is off")]
    PrivateAddress(String),
}

impl Error {
    /// The error's kind, a stable name for counting ("timeout", "http_status").
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidUrl(_) => "invalid_url",
            Error::Timeout(_) => "timeout",
            Error::Status { .. } => "http_status",
            Error::Gone => "gone",
            Error::TooLarge { .. } => "too_large",
            Error::TooManyRedirects(_) | Error::RedirectLoop(_) | Error::BadRedirect => "redirect",
            Error::DisallowedByRobots { .. } => "robots",
            Error::Connect(_) => "connect",
            Error::Request(_) => "request",
            Error::PrivateAddress(_) => "private_address",
        }
    }

    /// How long the server asked us to wait (429 and 503 with Retry-After).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Validators from an earlier fetch, sent so an unchanged resource answers 304.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// One hop of a redirect chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub status: u16,
    pub to: Url,
}

impl Hop {
    pub fn is_permanent(&self) -> bool {
        matches!(self.status, 301 | 308)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Where the body came from, after redirects.
    pub final_url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub validators: Validators,
    /// `Cache-Control: max-age`, when the server set one.
    pub max_age: Option<Duration>,
    pub redirects: Vec<Hop>,
    pub body: Vec<u8>,
}

impl Fetched {
    /// Where every hop said the resource moved for good, if every hop did.
    pub fn permanent_location(&self) -> Option<&Url> {
        permanent_target(&self.redirects)
    }
}

/// Where a chain of redirects ends, if every hop of it was permanent (301 or 308).
pub fn permanent_target(redirects: &[Hop]) -> Option<&Url> {
    let last = redirects.last()?;
    redirects.iter().all(Hop::is_permanent).then_some(&last.to)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 304, with the redirects taken to get it.
    NotModified {
        redirects: Vec<Hop>,
    },
    Fetched(Box<Fetched>),
}

#[derive(Clone)]
pub struct Fetcher {
    client: Client,
    config: FetchConfig,
    pacer: HostPacer,
    robots: robots::RobotsCache,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Self> {
        let client = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            // Followed by hand: each hop is paced, checked for loops, and its kind recorded.
            .redirect(redirect::Policy::none())
            .user_agent(config.user_agent.clone())
            .dns_resolver(std::sync::Arc::new(PublicResolver {
                config: std::sync::Arc::new(config.clone()),
            }))
            .gzip(true)
            .deflate(true)
            .brotli(true)
            .build()
            .map_err(|e| Error::Request(e.to_string()))?;
        let pacer = HostPacer::new(config.host_concurrency, config.host_min_gap);
        Ok(Fetcher {
            client,
            config,
            pacer,
            robots: robots::RobotsCache::default(),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// GETs a feed, conditionally when validators are given. Only 2xx bodies are returned.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Outcome> {
        let mut current = parse_http_url(url)?;
        let mut redirects = Vec::new();
        loop {
            let response = self.send(&current, validators).await?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let to = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|loc| current.join(loc.trim()).ok())
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or(Error::BadRedirect)?;
                if to == current || redirects.iter().any(|h: &Hop| h.to == to) || to.as_str() == url
                {
                    return Err(Error::RedirectLoop(to.to_string()));
                }
                if redirects.len() >= self.config.max_redirects {
                    return Err(Error::TooManyRedirects(self.config.max_redirects));
                }
                redirects.push(Hop {
                    status: status.as_u16(),
                    to: to.clone(),
                });
                current = to;
                continue;
            }
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Outcome::NotModified { redirects });
            }
            return self
                .read(response, redirects)
                .await
                .map(|f| Outcome::Fetched(Box::new(f)));
        }
    }

    /// GETs an article page, after asking the host's robots.txt when the config says so.
    pub async fn get_page(&self, url: &str, obey_robots: bool) -> Result<Fetched> {
        let parsed = parse_http_url(url)?;
        if obey_robots && self.config.obey_robots && !self.robots.allows(self, &parsed).await {
            return Err(Error::DisallowedByRobots {
                host: host_key(&parsed),
                url: url.to_string(),
            });
        }
        match self.get(url, &Validators::default()).await? {
            Outcome::Fetched(f) => Ok(*f),
            Outcome::NotModified { .. } => {
                Err(Error::Request("304 to an unconditional request".into()))
            }
        }
    }

    async fn send(&self, url: &Url, validators: &Validators) -> Result<reqwest::Response> {
        let mut headers = HeaderMap::new();
        if let Some(v) = validators
            .etag
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_NONE_MATCH, v);
        }
        if let Some(v) = validators
            .last_modified
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, v);
        }
        // A name is checked as it resolves (PublicResolver); an address written in the URL
        // here, at every hop.
        if let Some(ip) = literal_ip(url).filter(|ip| !self.config.may_reach(*ip)) {
            return Err(Error::PrivateAddress(ip.to_string()));
        }
        let _turn = self.pacer.wait_turn(&host_key(url)).await;
        let response = self
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|e| self.classify(e))?;
        let status = response.status();
        if status == StatusCode::GONE {
            return Err(Error::Gone);
        }
        if status.is_client_error() || status.is_server_error() {
            let retry_after = matches!(status.as_u16(), 429 | 503)
                .then(|| {
                    response
                        .headers()
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after)
                })
                .flatten();
            return Err(Error::Status {
                status: status.as_u16(),
                retry_after,
            });
        }
        Ok(response)
    }

    async fn read(&self, mut response: reqwest::Response, redirects: Vec<Hop>) -> Result<Fetched> {
        let limit = self.config.max_body_bytes;
        if response
            .content_length()
            .is_some_and(|len| len as usize > limit)
        {
            return Err(Error::TooLarge { limit });
        }
        let header_str = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header_str(header::CONTENT_TYPE);
        let validators = Validators {
            etag: header_str(header::ETAG),
            last_modified: header_str(header::LAST_MODIFIED),
        };
        let max_age = header_str(header::CACHE_CONTROL)
            .as_deref()
            .and_then(parse_max_age);
        let final_url = response.url().clone();
        let status = response.status().as_u16();
        let mut body = Vec::new();
        // Chunks arrive decompressed: the cap holds for what the body expands to.
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() + chunk.len() > limit {
                return Err(Error::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            final_url,
            status,
            content_type,
            validators,
            max_age,
            redirects,
            body,
        })
    }

    fn classify(&self, e: reqwest::Error) -> Error {
        // The resolver's refusal of a name, carried up through the connection's error.
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(c) = cause {
            if let Some(Error::PrivateAddress(what)) = c.downcast_ref::<Error>() {
                return Error::PrivateAddress(what.clone());
            }
            cause = c.source();
        }
        if e.is_timeout() {
            Error::Timeout(self.config.timeout)
        } else if e.is_connect() {
            Error::Connect(root_cause(&e))
        } else {
            Error::Request(root_cause(&e))
        }
    }
}

fn parse_http_url(url: &str) -> Result<Url> {
    let parsed = Url::parse(url.trim()).map_err(|_| Error::InvalidUrl(url.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::InvalidUrl(url.to_string()));
    }
    Ok(parsed)
}

/// The politeness unit: host and port.
pub fn host_key(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

/// `Cache-Control: max-age=N` (ignored with no-store or no-cache).
pub fn parse_max_age(value: &str) -> Option<Duration> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("no-store") || lower.contains("no-cache") {
        return None;
    }
    lower
        .split(',')
        .filter_map(|d| d.trim().strip_prefix("max-age="))
        .find_map(|v| v.trim_matches('"').parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The innermost error message: reqwest's own top level says little ("error sending request").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Resolves names with the system's resolver, keeping only public addresses unless private
/// ones are allowed: a name that points at 127.0.0.1 or a cloud's metadata address is
/// refused after resolution, so DNS cannot smuggle one in.
struct PublicResolver {
    config: std::sync::Arc<FetchConfig>,
}

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let config = std::sync::Arc::clone(&self.config);
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<std::net::SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| config.may_reach(a.ip()))
                .collect();
            if kept.is_empty() {
                let error: Box<dyn std::error::Error + Send + Sync> = if found.is_empty() {
                    format!("{host} has no address").into()
                } else {
                    Error::PrivateAddress(format!("{host} ({})", found[0].ip())).into()
                };
                return Err(error);
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

fn literal_ip(url: &Url) -> Option<std::net::IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(ip.into()),
        url::Host::Ipv6(ip) => Some(ip.into()),
        url::Host::Domain(_) => None,
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local (the
/// clouds' metadata address among them), shared, multicast, reserved or unspecified.
pub fn is_public(ip: std::net::IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let d = parse_retry_after(&later).unwrap();
        assert!(
            d <= Duration::from_secs(90) && d >= Duration::from_secs(85),
            "{d:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn max_age_is_read_unless_caching_is_refused() {
        assert_eq!(
            parse_max_age("public, max-age=600"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(parse_max_age("no-cache, max-age=600"), None);
        assert_eq!(parse_max_age("private"), None);
    }
}
