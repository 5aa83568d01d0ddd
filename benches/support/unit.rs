//! A generated unit's bench: the sizes measured, and its unit service's memory.

/// `VLU_BENCH_SIZES` (numbers, comma-separated), else `default`.
pub fn sizes(default: &str) -> Vec<usize> {
    std::env::var("VLU_BENCH_SIZES")
        .unwrap_or_else(|_| default.into())
        .split(',')
        .map(|s| s.trim().parse().expect("VLU_BENCH_SIZES: numbers"))
        .collect()
}

/// The memory of the unit service on `data`, in MB, from /proc: `field` is `VmRSS` (now) or
/// `VmHWM` (its peak). `None` when no service runs there.
#[allow(
    dead_code,
    reason = "not every bench that includes it reads the service's memory"
)]
pub fn service_memory(data: &std::path::Path, field: &str) -> Option<f64> {
    let pid = std::process::Command::new("pgrep")
        .args(["-f", &format!("{} serve", data.display())])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|kb| kb.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

/// The arguments of `vlu generate` for a bench's unit of `size` victims (seed 11), written
/// to `file`.
#[allow(
    dead_code,
    reason = "not every bench that includes it generates a unit"
)]
pub fn generate_args<'a>(size: &'a str, file: &'a str) -> [&'a str; 7] {
    ["generate", "--victims", size, "--seed", "11", "--out", file]
}
