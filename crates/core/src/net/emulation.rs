//! Network emulation (`enableNetworkEmulation`), after Chromium's
//! `ThrottlingController`: offline fails network requests, latency delays
//! each transaction, and throughputs cap the bytes per second of all of a
//! session's bodies in each direction.

use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::time::Instant;

use super::{Body, NetError};
use crate::{Error, Result};

/// `enableNetworkEmulation`'s options.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkConditions {
    pub offline: bool,
    /// Added before each request's response.
    pub latency: Duration,
    /// Bytes per second; 0 means unlimited.
    pub download_throughput: f64,
    pub upload_throughput: f64,
}

impl NetworkConditions {
    /// # Errors
    /// `InvalidArgument` naming the option for a negative or non-finite number.
    pub fn new(
        offline: bool,
        latency_ms: f64,
        download_throughput: f64,
        upload_throughput: f64,
    ) -> Result<NetworkConditions> {
        for (name, v) in [
            ("latency", latency_ms),
            ("downloadThroughput", download_throughput),
            ("uploadThroughput", upload_throughput),
        ] {
            if !v.is_finite() || v < 0.0 {
                return Err(Error::invalid_argument(format!(
                    "Invalid value for options.{name}: expected a number >= 0"
                )));
            }
        }
        Ok(NetworkConditions {
            offline,
            latency: Duration::from_secs_f64(latency_ms / 1000.0),
            download_throughput,
            upload_throughput,
        })
    }
}

/// How late a throttled reader may come back and still find its schedule.
const CATCH_UP: Duration = Duration::from_millis(50);

/// Spaces out bytes so that, together, they flow at `rate` bytes per second.
pub struct Throttle {
    rate: f64,
    /// When the bytes scheduled so far will have been "transmitted".
    next: Mutex<Option<Instant>>,
}

impl Throttle {
    pub fn new(rate: f64) -> Throttle {
        Throttle {
            rate,
            next: Mutex::new(None),
        }
    }

    /// Waits until `n` more bytes may pass. The schedule continues from
    /// where it stands when the caller comes back late by less than
    /// [`CATCH_UP`] (timer wake-ups and processing time would otherwise add
    /// up to a lower rate); after a longer pause it starts again from now,
    /// so an idle stretch never becomes a burst.
    pub async fn pass(&self, n: usize) {
        let due = {
            let mut next = self.next.lock().unwrap();
            let now = Instant::now();
            let start = next.filter(|t| *t + CATCH_UP > now).unwrap_or(now);
            let due = start + Duration::from_secs_f64(n as f64 / self.rate);
            *next = Some(due);
            due
        };
        tokio::time::sleep_until(due).await;
    }

    /// Largest piece a chunk is cut into: about 1/50 s of traffic, so the
    /// flow stays smooth.
    fn piece(&self) -> usize {
        ((self.rate / 50.0) as usize).max(512)
    }

    /// `body`, each byte released on this throttle's schedule.
    pub fn body(self: std::sync::Arc<Self>, body: Body) -> Body {
        let throttle = self;
        body.flat_map(move |item| {
            let throttle = throttle.clone();
            let pieces: Vec<Result<Bytes, NetError>> = match item {
                Ok(b) => {
                    let size = throttle.piece();
                    (0..b.len())
                        .step_by(size)
                        .map(|i| Ok(b.slice(i..(i + size).min(b.len()))))
                        .collect()
                }
                Err(e) => vec![Err(e)],
            };
            futures_util::stream::iter(pieces).then(move |p| {
                let throttle = throttle.clone();
                async move {
                    if let Ok(b) = &p {
                        throttle.pass(b.len()).await;
                    }
                    p
                }
            })
        })
        .boxed()
    }
}

/// The conditions in force for a session, with their shared throttles.
pub struct Emulation {
    pub conditions: NetworkConditions,
    pub download: Option<std::sync::Arc<Throttle>>,
    pub upload: Option<std::sync::Arc<Throttle>>,
}

impl Emulation {
    pub fn new(conditions: NetworkConditions) -> Emulation {
        let throttle = |rate: f64| (rate > 0.0).then(|| std::sync::Arc::new(Throttle::new(rate)));
        Emulation {
            download: throttle(conditions.download_throughput),
            upload: throttle(conditions.upload_throughput),
            conditions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn conditions_are_validated() {
        assert!(NetworkConditions::new(false, 0.0, 0.0, 0.0).is_ok());
        for (l, d, u, name) in [
            (-1.0, 0.0, 0.0, "latency"),
            (0.0, f64::NAN, 0.0, "downloadThroughput"),
            (0.0, 0.0, f64::INFINITY, "uploadThroughput"),
        ] {
            let e = NetworkConditions::new(false, l, d, u).unwrap_err();
            assert!(e.is_invalid_argument() && e.message().contains(name), "{e}");
        }
    }

    // Rule: bytes pass at the set rate, whoever sends them (paused clock).
    #[tokio::test(start_paused = true)]
    async fn throttle_spaces_bytes_at_the_rate() {
        let t = Arc::new(Throttle::new(1000.0));
        let start = Instant::now();
        let body: Body = futures_util::stream::iter([
            Ok(Bytes::from(vec![0u8; 1500])),
            Ok(Bytes::from(vec![0u8; 500])),
        ])
        .boxed();
        let total: usize = t
            .clone()
            .body(body)
            .map(|c| c.unwrap().len())
            .collect::<Vec<_>>()
            .await
            .iter()
            .sum();
        assert_eq!(total, 2000);
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
        // Two streams share one throttle.
        let start = Instant::now();
        let one =
            || -> Body { futures_util::stream::iter([Ok(Bytes::from(vec![0u8; 1000]))]).boxed() };
        let a = t.clone().body(one()).count();
        let b = t.clone().body(one()).count();
        futures_util::future::join(a, b).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
    }

    // Rule: a reader that comes back a little late keeps its schedule (the
    // rate holds over time); after a long pause the schedule starts again
    // from now (no burst).
    #[tokio::test(start_paused = true)]
    async fn late_readers_catch_up_but_pauses_do_not_burst() {
        let throttle = Throttle::new(1000.0);
        let start = Instant::now();
        throttle.pass(100).await;
        tokio::time::advance(Duration::from_millis(30)).await;
        throttle.pass(100).await;
        assert_eq!(Instant::now() - start, Duration::from_millis(200));
        tokio::time::advance(Duration::from_secs(1)).await;
        let resumed = Instant::now();
        throttle.pass(100).await;
        assert_eq!(Instant::now() - resumed, Duration::from_millis(100));
    }

}
