//! The unit sizes a bench measures.

/// `VLU_BENCH_SIZES` (numbers, comma-separated), else `default`.
pub fn sizes(default: &str) -> Vec<usize> {
    std::env::var("VLU_BENCH_SIZES")
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|s| s.trim().parse().expect("VLU_BENCH_SIZES: numbers"))
        .collect()
}
