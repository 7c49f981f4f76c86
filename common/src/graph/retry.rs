//! How often and how patiently a transient failure is retried: bounded
//! attempts, exponential backoff with full jitter so that many callers
//! failing together do not retry together.

use std::time::Duration;

use rand::Rng;

/// The retry policy for transient failures (codes 1 and 2, 5xx, timeouts,
/// connection errors). Nothing else is ever retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; 1 means no retry.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry; it doubles after each.
    pub base_delay: Duration,
    /// The backoff ceiling never grows past this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Whether another attempt may follow attempt number `attempt` (1-based).
    pub(crate) fn allows_another(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }

    /// The wait after failed attempt number `attempt` (1-based): uniform
    /// in `[0, min(max_delay, base_delay * 2^(attempt-1))]`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::rng().random_range(0..=millis))
    }

    fn ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.base_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_doubles_and_stops_at_the_maximum() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.ceiling(1), Duration::from_millis(500));
        assert_eq!(policy.ceiling(2), Duration::from_secs(1));
        assert_eq!(policy.ceiling(5), Duration::from_secs(8));
        assert_eq!(policy.ceiling(400), Duration::from_secs(8));
    }

    #[test]
    fn a_backoff_never_exceeds_its_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            assert!(policy.backoff(attempt) <= policy.ceiling(attempt));
        }
    }

    #[test]
    fn attempts_are_bounded_by_the_policy() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        assert!(policy.allows_another(1) && policy.allows_another(2));
        assert!(!policy.allows_another(3));
    }
}
