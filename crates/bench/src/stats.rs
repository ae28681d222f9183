//! Latency percentiles.

/// Sorted latency samples in microseconds.
pub struct Percentiles {
    sorted: Vec<u64>,
    /// Number of samples.
    pub count: usize,
}

impl Percentiles {
    /// Sorts the samples.
    pub fn of(mut samples: Vec<u64>) -> Self {
        samples.sort_unstable();
        Self {
            count: samples.len(),
            sorted: samples,
        }
    }

    fn at(&self, fraction: f64) -> f64 {
        if self.sorted.is_empty() {
            return f64::NAN;
        }
        let index = ((self.sorted.len() as f64 - 1.0) * fraction).round() as usize;
        self.sorted[index] as f64 / 1000.0
    }

    /// Median, in milliseconds.
    pub fn p50_ms(&self) -> f64 {
        self.at(0.50)
    }

    /// 99th percentile, in milliseconds.
    pub fn p99_ms(&self) -> f64 {
        self.at(0.99)
    }

    /// Worst sample, in milliseconds.
    pub fn max_ms(&self) -> f64 {
        self.at(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_sorted_samples() {
        let p = Percentiles::of((1..=100).rev().map(|ms| ms * 1000).collect());
        assert_eq!(p.p50_ms(), 51.0);
        assert_eq!(p.p99_ms(), 99.0);
        assert_eq!(p.max_ms(), 100.0);
        assert!(Percentiles::of(Vec::new()).p50_ms().is_nan());
    }
}
