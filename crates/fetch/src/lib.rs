//! The only crate that makes outbound HTTP: timeouts, a body size cap, decompression,
//! bounded redirects and conditional GET.

use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{redirect, Client, StatusCode};
use url::Url;

#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Whole-request deadline, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bodies larger than this (after decompression) are refused.
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub user_agent: String,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: concat!(
                "Parallax/",
                env!("CARGO_PKG_VERSION"),
                " (+self-hosted news aggregator)"
            )
            .into(),
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
    Status { status: u16 },
    #[error("response larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("request failed: {0}")]
    Request(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Validators from an earlier fetch, sent so an unchanged resource answers 304.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Where the body came from, after redirects.
    pub final_url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    NotModified,
    Fetched(Fetched),
}

#[derive(Clone)]
pub struct Fetcher {
    client: Client,
    config: FetchConfig,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Self> {
        let client = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirect::Policy::limited(config.max_redirects))
            .user_agent(config.user_agent.clone())
            .gzip(true)
            .deflate(true)
            .brotli(true)
            .build()
            .map_err(|e| Error::Request(e.to_string()))?;
        Ok(Fetcher { client, config })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// GETs `url`, conditionally when validators are given. Only 2xx bodies are returned.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Outcome> {
        let parsed = Url::parse(url).map_err(|_| Error::InvalidUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidUrl(url.to_string()));
        }
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
        let mut response = self
            .client
            .get(parsed)
            .headers(headers)
            .send()
            .await
            .map_err(|e| self.classify(e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Outcome::NotModified);
        }
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
            });
        }
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
        let final_url = response.url().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() + chunk.len() > limit {
                return Err(Error::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Outcome::Fetched(Fetched {
            final_url,
            status: status.as_u16(),
            content_type,
            validators,
            body,
        }))
    }

    fn classify(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout(self.config.timeout)
        } else if e.is_redirect() {
            Error::TooManyRedirects(self.config.max_redirects)
        } else if e.is_connect() {
            Error::Connect(root_cause(&e))
        } else {
            Error::Request(root_cause(&e))
        }
    }
}

/// The innermost error message: reqwest's own top level says little ("error sending request").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
