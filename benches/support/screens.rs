//! The real screens in a tmux pane, as a person sees them: shared by the benches that time
//! them (`#[path]`-included).

use std::process::Command;
use std::time::{Duration, Instant};

/// The real screens' times in a 120x40 pane (each bench reports the ones it needs).
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)]
pub struct Screens {
    /// Start to the first frame that shows the caseload.
    pub first: Duration,
    /// A key (down) to a visible change, p99 of 30.
    pub key_p99: Duration,
    /// Peak RSS (`VmHWM`), MB.
    pub peak_mb: f64,
    /// Each keystroke of a search (`/` then a name) to the frame that shows it: the slowest.
    pub search_max: Duration,
}

/// The `p` quantile of `xs` (0 to 1).
pub fn percentile(mut xs: Vec<Duration>, p: f64) -> Duration {
    xs.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i]
}

/// The binary `vlu` in a 120x40 tmux pane with `env` set: start to the first frame that
/// shows the caseload, a key (down) to a visible change (escape codes included, so that a
/// moved highlight counts), each keystroke of a search, and the peak RSS. Polls every 2 ms,
/// so each time is an upper bound. `None` where tmux or /proc is missing.
pub fn real_screens(vlu: &str, env: &[(&str, &str)]) -> Option<Screens> {
    let socket = format!("vlu-bench-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .ok()
    };
    let screen = || {
        tmux(&["capture-pane", "-e", "-p", "-t", "b"])
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let wait = |done: &dyn Fn(&str) -> bool| {
        let start = Instant::now();
        loop {
            let now = screen();
            if done(&now) {
                return Some(now);
            }
            if start.elapsed() > Duration::from_secs(30) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
    let command = format!("exec env {} USER=bench '{vlu}'", vars.join(" "));
    let start = Instant::now();
    let size = ["-x", "120", "-y", "40"];
    tmux(&[&["new-session", "-d", "-s", "b"][..], &size, &[&command]].concat())?
        .status
        .success()
        .then_some(())?;
    let press = |key: &str, shown: &mut String| {
        let before = shown.clone();
        let pressed = Instant::now();
        tmux(&["send-keys", "-t", "b", key])?;
        *shown = wait(&|s| s != before)?;
        Some(pressed.elapsed())
    };
    let result = (|| {
        let mut shown = wait(&|s| s.contains("Caseload \u{2014}"))?;
        let first = start.elapsed();
        let mut keys = Vec::new();
        for _ in 0..30 {
            keys.push(press("Down", &mut shown)?);
        }
        let mut search = Vec::new();
        for key in ["/", "s", "m", "i", "t", "h"] {
            search.push(press(key, &mut shown)?);
        }
        let pid = tmux(&["display-message", "-p", "-t", "b", "#{pane_pid}"])?;
        let pid = String::from_utf8_lossy(&pid.stdout).trim().to_owned();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let hwm_kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(Screens {
            first,
            key_p99: percentile(keys, 0.99),
            peak_mb: hwm_kb / 1024.0,
            search_max: search.into_iter().max()?,
        })
    })();
    tmux(&["send-keys", "-t", "b", "Escape"]);
    tmux(&["send-keys", "-t", "b", "q"]);
    std::thread::sleep(Duration::from_millis(300));
    tmux(&["kill-server"]);
    result
}
