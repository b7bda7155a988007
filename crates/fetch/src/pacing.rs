//! Per-host pacing: at most N requests to one host at once, and a minimum gap between their
//! starts. Each request reserves the next free start time before it waits, so requests to one
//! host spread out instead of arriving together, and the pacing holds before the server has
//! to complain.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

#[derive(Clone)]
pub struct HostPacer {
    inner: Arc<Inner>,
}

struct Inner {
    concurrency: usize,
    gap: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

struct Host {
    slots: Arc<Semaphore>,
    next_start: Mutex<Instant>,
}

/// Held for the duration of one request.
pub struct Turn {
    _permit: Option<OwnedSemaphorePermit>,
}

impl HostPacer {
    pub fn new(concurrency: usize, gap: Duration) -> Self {
        HostPacer {
            inner: Arc::new(Inner {
                concurrency: concurrency.max(1),
                gap,
                hosts: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Waits until a request to `host` may start.
    pub async fn wait_turn(&self, host: &str) -> Turn {
        let state = {
            let mut hosts = self.inner.hosts.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(hosts.entry(host.to_string()).or_insert_with(|| {
                Arc::new(Host {
                    slots: Arc::new(Semaphore::new(self.inner.concurrency)),
                    next_start: Mutex::new(Instant::now()),
                })
            }))
        };
        let permit = Arc::clone(&state.slots).acquire_owned().await.ok();
        let start = {
            let mut next = state.next_start.lock().unwrap_or_else(|p| p.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + self.inner.gap;
            start
        };
        tokio::time::sleep_until(start).await;
        Turn { _permit: permit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced_and_other_hosts_are_not_held_up() {
        let pacer = HostPacer::new(4, Duration::from_secs(1));
        let t0 = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..3 {
            let _turn = pacer.wait_turn("a.example").await;
            starts.push(t0.elapsed());
        }
        assert_eq!(
            starts,
            [
                Duration::ZERO,
                Duration::from_secs(1),
                Duration::from_secs(2)
            ]
        );
        let before = t0.elapsed();
        let _other = pacer.wait_turn("b.example").await;
        assert_eq!(t0.elapsed(), before, "another host waits for no one");
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_per_host_is_bounded() {
        let pacer = HostPacer::new(1, Duration::ZERO);
        let first = pacer.wait_turn("a.example").await;
        let waiting = tokio::spawn({
            let pacer = pacer.clone();
            async move {
                let _t = pacer.wait_turn("a.example").await;
                Instant::now()
            }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        let released = Instant::now();
        drop(first);
        assert!(waiting.await.unwrap() >= released);
    }
}
