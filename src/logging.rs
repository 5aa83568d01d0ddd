//! What vlu says about its own work, for an administrator: `tracing` events, filtered by
//! `VLU_LOG` (an `EnvFilter`: `debug`, `vlu=trace`, …) or else by `-v` (`-v` info, `-vv`
//! debug, `-vvv` trace; warnings only without either).
//!
//! A command writes them to standard error. The unit service writes them to standard error
//! when it runs in the foreground (under systemd, the journal keeps and rotates them) and,
//! started in the background by a vlu, to `logs/service.YYYY-MM-DD.log` in the data
//! directory: a new file each day, the newest [`KEPT_DAYS`] kept. The service logs at
//! `info` unless told otherwise: each request's kind, who asked, how long it took and how it
//! ended.
//!
//! Never a record's contents: no event carries a name, an address, a phone number or a
//! note — only kinds, accounts, counts, durations and outcomes.

use std::path::Path;

use tracing_subscriber::EnvFilter;

/// How many days of the background service's log are kept.
pub const KEPT_DAYS: usize = 14;

/// Where events go.
pub enum Sink<'a> {
    /// Standard error (commands, and a service in the foreground).
    Stderr,
    /// A file a day in `DIR/logs` (a service started in the background).
    Daily(&'a Path),
}

/// The level `-v` given `n` times asks for, where `VLU_LOG` is not set.
fn level(verbose: u8, floor: &str) -> &str {
    match verbose {
        0 => floor,
        1 => "info",
        2 => "debug",
        _ => "trace",
    }
}

/// The filter: `VLU_LOG` if set (and sound), else `-v`'s level over `floor`. A `VLU_LOG`
/// that cannot be read is said once on standard error and `-v`'s level used.
fn filter(verbose: u8, floor: &str) -> EnvFilter {
    let fallback = || EnvFilter::new(format!("warn,vlu={}", level(verbose, floor)));
    match std::env::var("VLU_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(&spec).unwrap_or_else(|e| {
            eprintln!("vlu: warning: VLU_LOG={spec:?} was not understood ({e}); using -v");
            fallback()
        }),
        _ => fallback(),
    }
}

/// Starts logging for this process; `floor` is the level without `-v` (`warn` for a
/// command, `info` for the service). Called once; a second call changes nothing.
pub fn init(verbose: u8, floor: &str, sink: &Sink) -> std::io::Result<()> {
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(verbose, floor))
        .with_ansi(false)
        .with_target(false);
    let result = match sink {
        Sink::Stderr => builder.with_writer(std::io::stderr).try_init(),
        Sink::Daily(dir) => {
            let files = tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("service")
                .filename_suffix("log")
                .max_log_files(KEPT_DAYS)
                .build(dir.join("logs"))
                .map_err(std::io::Error::other)?;
            builder.with_writer(files).try_init()
        }
    };
    // Already set (a test that runs two commands in one process): the first one stands.
    drop(result);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_v_asks_for_more_and_none_keeps_the_floor() {
        assert_eq!(level(0, "warn"), "warn");
        assert_eq!(level(0, "info"), "info");
        assert_eq!(level(1, "warn"), "info");
        assert_eq!(level(2, "warn"), "debug");
        assert_eq!(level(5, "warn"), "trace");
    }
}
