//! The real release binary run as a whole process, as a person runs it, and timed.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const VLU: &str = env!("CARGO_BIN_EXE_vlu");

/// One run of `vlu args` with `env` set (no configuration or store from the caller's
/// environment), its wall time; a failure stops the bench with what vlu said.
pub fn vlu(env: &[(&str, &str)], args: &[&str]) -> Duration {
    let mut cmd = Command::new(VLU);
    cmd.args(args);
    run_as_a_person(&mut cmd, env);
    let start = Instant::now();
    let out = cmd.output().expect("vlu runs");
    let wall = start.elapsed();
    assert!(
        out.status.success(),
        "vlu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    wall
}

/// Median, min and max of `n` runs, in ms.
pub fn timed(n: usize, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut times: Vec<f64> = (0..n)
        .map(|_| vlu(env, args).as_secs_f64() * 1000.0)
        .collect();
    times.sort_by(f64::total_cmp);
    format!(
        "{:.1} ms ({:.1}–{:.1})",
        times[n / 2],
        times[0],
        times[n - 1]
    )
}

/// `cmd` (a `vlu`, or a program that runs one) with `env` set, no configuration or store
/// from the caller's environment, a service that stays up through the bench, its output
/// dropped and what it says kept.
pub fn run_as_a_person(cmd: &mut Command, env: &[(&str, &str)]) {
    cmd.env("VLU_IDLE_SECONDS", "900")
        .env_remove("VLU_CONFIG")
        .env_remove("VLU_STORE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
}
