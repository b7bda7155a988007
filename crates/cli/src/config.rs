//! The configuration file (TOML), with every key also settable by an environment variable:
//! `PARALLAX_<SECTION>__<KEY>` (double underscore between levels), e.g.
//! `PARALLAX_SERVER__LISTEN=0.0.0.0:8080` or `PARALLAX_DATA_DIR=/var/lib/parallax`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use parallax_cluster::ClusterConfig;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the search index lives, and the SQLite database unless `database_url` names
    /// another store.
    pub data_dir: PathBuf,
    /// The store: `postgres://user@host/db` for PostgreSQL (many processes, many machines),
    /// or `sqlite://PATH`; unset, `parallax.db` in `data_dir`.
    pub database_url: Option<String>,
    pub server: ServerConfig,
    pub site: SiteSection,
    pub fetch: FetchSection,
    pub ingest: IngestSection,
    pub cluster: ClusterConfig,
    pub retention: RetentionSection,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("parallax-data"),
            database_url: None,
            server: ServerConfig::default(),
            site: SiteSection::default(),
            fetch: FetchSection::default(),
            ingest: IngestSection::default(),
            cluster: ClusterConfig::default(),
            retention: RetentionSection::default(),
        }
    }
}

/// What is kept, and for how long.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSection {
    /// Articles older than this many days lose their text and HTML (titles, metadata and
    /// stories stay; the outlet keeps the text). 0 keeps every text.
    pub body_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: String,
    /// `serve` also polls the feeds (one machine). Off where `parallax worker` processes
    /// do the polling.
    pub ingest: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            ingest: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteSection {
    pub name: String,
    pub policy: String,
    pub base_url: Option<String>,
    /// Only editors (signed in) and API tokens may read the site.
    pub private: bool,
}

impl Default for SiteSection {
    fn default() -> Self {
        let d = parallax_web::SiteConfig::default();
        SiteSection {
            name: d.name,
            policy: d.policy,
            base_url: d.base_url,
            private: d.private,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSection {
    pub timeout_secs: u64,
    pub connect_timeout_secs: u64,
    /// Longest silence while reading a response.
    pub read_timeout_secs: u64,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    /// A page about this site, named in the User-Agent so publishers can reach its operator.
    pub contact_url: Option<String>,
    /// Replaces the User-Agent built from `contact_url`.
    pub user_agent: Option<String>,
    /// Requests to one host at once, and the least time between their starts.
    pub host_concurrency: usize,
    pub host_min_gap_ms: u64,
    /// Ask robots.txt before fetching article pages (a source can be exempted).
    pub obey_robots: bool,
    /// Fetch from loopback and private addresses (off: refused, even through DNS or a
    /// redirect). The demo turns it on for its outlets on loopback.
    pub allow_private_addresses: bool,
    /// Private networks fetched from even so (`["10.1.0.0/16", "192.168.1.5"]`), the rest
    /// staying refused.
    pub allow_networks: Vec<String>,
}

impl Default for FetchSection {
    fn default() -> Self {
        let d = parallax_fetch::FetchConfig::default();
        FetchSection {
            timeout_secs: d.timeout.as_secs(),
            connect_timeout_secs: d.connect_timeout.as_secs(),
            read_timeout_secs: d.read_timeout.as_secs(),
            max_body_bytes: d.max_body_bytes,
            max_redirects: d.max_redirects,
            contact_url: None,
            user_agent: None,
            host_concurrency: d.host_concurrency,
            host_min_gap_ms: d.host_min_gap.as_millis() as u64,
            obey_robots: d.obey_robots,
            allow_private_addresses: d.allow_private_addresses,
            allow_networks: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSection {
    /// Interval of a feed whose posting rate is not known yet.
    pub poll_interval_secs: i64,
    /// Bounds of the interval each feed learns.
    pub min_interval_secs: i64,
    pub max_interval_secs: i64,
    pub feed_concurrency: usize,
    pub page_concurrency: usize,
    pub retry_base_secs: i64,
    pub retry_max_secs: i64,
    /// How often the scheduler of `serve` looks for due feeds.
    pub tick_secs: u64,
    /// A folder of per-site extraction rules in the FiveFilters site-config format
    /// (`example.com.txt`, `.example.com.txt` for every subdomain); none by default.
    pub site_rules_dir: Option<PathBuf>,
    /// This process's name on the hosts it leases; unique per process by default.
    pub worker_name: Option<String>,
    /// How long a cycle's hosts stay leased without renewal: a killed worker's hosts go to
    /// another worker after this.
    pub lease_secs: i64,
    /// Hosts one cycle takes at most.
    pub max_hosts: u32,
}

impl Default for IngestSection {
    fn default() -> Self {
        let d = parallax_ingest::IngestConfig::default();
        IngestSection {
            poll_interval_secs: d.poll_interval.num_seconds(),
            min_interval_secs: d.min_interval.num_seconds(),
            max_interval_secs: d.max_interval.num_seconds(),
            feed_concurrency: d.feed_concurrency,
            page_concurrency: d.page_concurrency,
            retry_base_secs: d.retry_base.num_seconds(),
            retry_max_secs: d.retry_max.num_seconds(),
            tick_secs: 30,
            site_rules_dir: None,
            worker_name: None,
            lease_secs: d.lease.num_seconds(),
            max_hosts: d.max_hosts,
        }
    }
}

/// Site configs are small; a file larger than this is no site config.
const MAX_SITE_RULES_BYTES: u64 = 256 * 1024;

/// Reads every `*.txt` file of a folder of FiveFilters site configs.
pub fn load_site_rules(dir: &Path) -> Result<parallax_extract::SiteConfigs> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading site rules in {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".txt") {
            continue;
        }
        let size = std::fs::metadata(&path)?.len();
        if size > MAX_SITE_RULES_BYTES {
            tracing::warn!(file = %path.display(), size, "site rules file too large; skipped");
            continue;
        }
        let bytes = crate::app::read_bounded(&path, MAX_SITE_RULES_BYTES)?;
        let text =
            String::from_utf8(bytes).with_context(|| format!("reading {}", path.display()))?;
        files.push((name.to_string(), text));
    }
    let (rules, warnings) = parallax_extract::SiteConfigs::from_files(
        files.iter().map(|(n, t)| (n.as_str(), t.as_str())),
    );
    for w in warnings {
        tracing::warn!("site rules: {w}");
    }
    tracing::info!(sites = rules.len(), dir = %dir.display(), "site rules loaded");
    Ok(rules)
}

impl Config {
    /// Reads the file (when given), then applies `PARALLAX_*` variables from `env` on top.
    pub fn load(
        path: Option<&Path>,
        env: impl Iterator<Item = (String, String)>,
    ) -> Result<Config> {
        let mut table = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading config file {}", p.display()))?;
                text.parse::<toml::Table>()
                    .with_context(|| format!("parsing config file {}", p.display()))?
            }
            None => toml::Table::new(),
        };
        for (name, value) in env {
            let Some(key) = name.strip_prefix("PARALLAX_") else {
                continue;
            };
            if matches!(key, "CONFIG" | "LOG" | "LOG_FORMAT") {
                continue;
            }
            let path: Vec<String> = key.split("__").map(|p| p.to_ascii_lowercase()).collect();
            set_path(&mut table, &path, parse_env_value(&value))
                .with_context(|| format!("applying {name}"))?;
        }
        let config = toml::Value::Table(table)
            .try_into::<Config>()
            .context("invalid configuration")?;
        for network in &config.fetch.allow_networks {
            network
                .parse::<parallax_fetch::Network>()
                .map_err(|e| anyhow::anyhow!("fetch.allow_networks: {e}"))?;
        }
        Ok(config)
    }

    pub fn fetch_config(&self) -> parallax_fetch::FetchConfig {
        let f = &self.fetch;
        parallax_fetch::FetchConfig {
            timeout: Duration::from_secs(f.timeout_secs.max(1)),
            connect_timeout: Duration::from_secs(f.connect_timeout_secs.max(1)),
            read_timeout: Duration::from_secs(f.read_timeout_secs.max(1)),
            max_body_bytes: f.max_body_bytes,
            max_redirects: f.max_redirects,
            user_agent: f.user_agent.clone().unwrap_or_else(|| {
                parallax_fetch::FetchConfig::user_agent_for(f.contact_url.as_deref())
            }),
            host_concurrency: f.host_concurrency.max(1),
            host_min_gap: Duration::from_millis(f.host_min_gap_ms),
            obey_robots: f.obey_robots,
            allow_private_addresses: f.allow_private_addresses,
            // Checked when the configuration was loaded.
            allowed_networks: f
                .allow_networks
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
        }
    }

    /// The ingest settings, with the site rules of `ingest.site_rules_dir` read in: a folder
    /// that cannot be read is an error, a rule that cannot be used a warning.
    pub fn ingest_config(&self) -> Result<parallax_ingest::IngestConfig> {
        let secs = |s: i64| chrono::Duration::seconds(s.max(1));
        let site_rules = match &self.ingest.site_rules_dir {
            Some(dir) => std::sync::Arc::new(load_site_rules(dir)?),
            None => std::sync::Arc::default(),
        };
        Ok(parallax_ingest::IngestConfig {
            feed_concurrency: self.ingest.feed_concurrency.max(1),
            page_concurrency: self.ingest.page_concurrency.max(1),
            poll_interval: secs(self.ingest.poll_interval_secs),
            min_interval: secs(self.ingest.min_interval_secs),
            max_interval: secs(
                self.ingest
                    .max_interval_secs
                    .max(self.ingest.min_interval_secs),
            ),
            retry_base: secs(self.ingest.retry_base_secs),
            retry_max: secs(self.ingest.retry_max_secs),
            cluster: self.cluster.clone(),
            site_rules,
            worker: self
                .ingest
                .worker_name
                .clone()
                .unwrap_or_else(parallax_ingest::default_worker_name),
            lease: secs(self.ingest.lease_secs.max(10)),
            max_hosts: self.ingest.max_hosts.max(1),
            indexes: true,
            keep_texts: (self.retention.body_days > 0)
                .then(|| chrono::Duration::days(i64::from(self.retention.body_days))),
        })
    }

    pub fn site_config(&self) -> parallax_web::SiteConfig {
        parallax_web::SiteConfig {
            name: self.site.name.clone(),
            policy: self.site.policy.clone(),
            base_url: self.site.base_url.clone(),
            private: self.site.private,
        }
    }
}

fn parse_env_value(raw: &str) -> toml::Value {
    if let Ok(i) = raw.parse::<i64>() {
        toml::Value::Integer(i)
    } else if let Ok(f) = raw.parse::<f64>() {
        toml::Value::Float(f)
    } else if let Ok(b) = raw.parse::<bool>() {
        toml::Value::Boolean(b)
    } else {
        toml::Value::String(raw.to_string())
    }
}

fn set_path(table: &mut toml::Table, path: &[String], value: toml::Value) -> Result<()> {
    match path {
        [] => bail!("empty key"),
        [last] => {
            table.insert(last.clone(), value);
            Ok(())
        }
        [first, rest @ ..] => {
            let entry = table
                .entry(first.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(t) => set_path(t, rest, value),
                _ => bail!("{first} is not a section"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_rules_are_read_from_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gazette.example.txt"), "body: //article\n").unwrap();
        std::fs::write(dir.path().join("README.md"), "not a rule").unwrap();
        let mut config = Config::load(None, std::iter::empty()).unwrap();
        config.ingest.site_rules_dir = Some(dir.path().to_path_buf());
        let ingest = config.ingest_config().unwrap();
        assert_eq!(ingest.site_rules.len(), 1);
        assert!(ingest.site_rules.for_host("www.gazette.example").is_some());
        config.ingest.site_rules_dir = Some(dir.path().join("missing"));
        assert!(config.ingest_config().is_err());
    }

    #[test]
    fn env_overrides_file_and_defaults_fill_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parallax.toml");
        std::fs::write(&path, "data_dir = \"/srv/px\"\n[server]\nlisten = \"0.0.0.0:1\"\n[cluster]\nthreshold = 0.5\n").unwrap();
        let env = vec![
            (
                "PARALLAX_SERVER__LISTEN".to_string(),
                "127.0.0.1:9".to_string(),
            ),
            ("PARALLAX_FETCH__TIMEOUT_SECS".to_string(), "7".to_string()),
            ("PARALLAX_SITE__NAME".to_string(), "My News".to_string()),
            ("HOME".to_string(), "/root".to_string()),
        ];
        let c = Config::load(Some(&path), env.into_iter()).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/srv/px"));
        assert_eq!(c.server.listen, "127.0.0.1:9");
        assert_eq!(c.fetch.timeout_secs, 7);
        assert_eq!(c.site.name, "My News");
        assert_eq!(c.cluster.threshold, 0.5);
        assert_eq!(c.ingest.tick_secs, 30);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let env = vec![("PARALLAX_SERVER__LISTN".to_string(), "x".to_string())];
        let err = Config::load(None, env.into_iter()).unwrap_err();
        assert!(format!("{err:#}").contains("listn"), "{err:#}");
    }

    #[test]
    fn allowed_networks_are_checked_when_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parallax.toml");
        std::fs::write(
            &path,
            "[fetch]\nallow_networks = [\"10.1.0.0/16\", \"192.168.1.5\"]\n",
        )
        .unwrap();
        let config = Config::load(Some(&path), std::iter::empty()).unwrap();
        let fetch = config.fetch_config();
        assert!(fetch.may_reach("10.1.9.9".parse().unwrap()));
        assert!(fetch.may_reach("192.168.1.5".parse().unwrap()));
        assert!(!fetch.may_reach("192.168.1.6".parse().unwrap()));
        assert!(!fetch.may_reach("127.0.0.1".parse().unwrap()));

        std::fs::write(&path, "[fetch]\nallow_networks = [\"intranet\"]\n").unwrap();
        let err = Config::load(Some(&path), std::iter::empty()).unwrap_err();
        assert!(format!("{err:#}").contains("intranet"), "{err:#}");
    }
}
