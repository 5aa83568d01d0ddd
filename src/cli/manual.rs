//! What `--help` and the manual pages say beyond each command's options: the examples, the
//! exit status, the environment vlu reads and the files it keeps. One text for both, so that
//! they cannot disagree.

use std::io::Write;

/// The examples under `vlu --help` and in `vlu(1)`.
const EXAMPLES: &str =
    "  vlu demo                                  the screens on a throw-away sample unit
  vlu import northshire.json                a unit's caseload into the store
  vlu diary --officer sahmed --days 7       one officer's week
  vlu export --passphrase unit.json.age     the whole store, encrypted, for a transfer
  vlu --keymap vim                          the screens with vim keys
  vlu status 2>/dev/null || true            in a shell prompt, which must never fail";

/// Every exit status vlu uses, and what it means (`Error::exit_code`).
pub(crate) const EXIT_STATUS: [(u8, &str); 4] = [
    (0, "done"),
    (
        1,
        "it failed: the store could not be read or written, an output could not be written, \
         vlu check found the store unsound, or vlu status was run by an account that is no \
         officer of the unit (a shell prompt runs vlu status 2>/dev/null || true)",
    ),
    (
        2,
        "the command line or an input file is wrong, or what was asked is refused (\"NAME may \
         not ...\": not for this account's role); nothing was changed",
    ),
    (
        3,
        "the store is in use by another vlu process; nothing was changed",
    ),
];

/// Every environment variable vlu reads, and what it does.
pub(crate) const ENVIRONMENT: [(&str, &str); 12] = [
    (
        "VLU_DATA_DIR",
        "the data directory, as --data-dir (which wins over it)",
    ),
    (
        "VLU_STORE",
        "the PostgreSQL database the unit's records are kept in, as --store (which wins over \
         it) or the configuration's [store] url; without any, the records are in the data \
         directory",
    ),
    (
        "VLU_CONFIG",
        "the configuration file, as --config (which wins over it)",
    ),
    (
        "VLU_TEST_POSTGRES",
        "read by vlu's own tests only, never by a command: the PostgreSQL server (as libpq \
         keywords, host=/tmp/pg user=postgres) they make their throw-away databases on",
    ),
    (
        "VLU_KEYMAP",
        "the screens' keymap (a built-in name or a file), as --keymap; other commands ignore it",
    ),
    (
        "VLU_IDENTITY",
        "the age identity file that opens an encrypted caseload, as --identity",
    ),
    (
        "VLU_PASSPHRASE",
        "the passphrase of an encrypted caseload, instead of asking on the terminal",
    ),
    (
        "VLU_IDLE_SECONDS",
        "how long a unit service started by vlu waits with no client before it stops (the \
         configuration's [service] idle_seconds otherwise)",
    ),
    (
        "VLU_LOG",
        "what vlu logs, as a tracing filter (debug, vlu=trace, ...); wins over -v. A command \
         logs to standard error, a unit service in the foreground too, one started in the \
         background to logs/ in the data directory",
    ),
    (
        "NO_COLOR",
        "set and not empty: no colour in any output (nor where TERM is dumb, nor where the \
         output is not a terminal)",
    ),
    (
        "LC_ALL, LC_CTYPE, LANG",
        "the locale: where it is not UTF-8, the screens and the text outputs draw with ASCII \
         only",
    ),
    (
        "LISTEN_FDS, LISTEN_PID",
        "set by systemd's socket activation: vlu serve takes the socket it is handed",
    ),
];

/// The files vlu reads, and the data directory; then what the data directory holds
/// ([`DATA_DIR`]).
pub(crate) const FILES: [(&str, &str); 3] = [
    (
        "~/.config/vlu/config.toml",
        "the configuration (the platform's configuration directory; --config or VLU_CONFIG \
         names another; vlu config shows the one in force)",
    ),
    (
        "~/.config/vlu/keymap.toml",
        "one user's key overrides for the screens",
    ),
    (
        "~/.local/share/vlu/",
        "the data directory (the platform's data directory; --data-dir or VLU_DATA_DIR names \
         another), mode 0700, holding:",
    ),
];

/// What the data directory holds.
pub(crate) const DATA_DIR: [(&str, &str); 9] = [
    ("db/", "the store itself"),
    ("lock", "held by the one process that has the store open"),
    ("vlu.sock", "the unit service's socket"),
    ("serve.lock", "held while a unit service is being started"),
    (
        "service.log",
        "what a unit service started in the background wrote on its standard error: why it \
         could not start, or how it ended",
    ),
    (
        "logs/",
        "the log of a unit service started in the background, service.YYYY-MM-DD.log, one a \
         day, the newest 14 kept: each request's kind, account, time and outcome, never a \
         record's contents",
    ),
    (
        "backups/",
        "the backups, vlu-YYYYMMDDTHHMMSS.mmmZ.backup (the configuration's [backup] dir names \
         another folder)",
    ),
    (
        "db.before-restore-*",
        "the store as it was before a vlu restore, kept",
    ),
    (
        "letters/",
        "where the screens save letters, unless the configuration's [letters] out_dir names \
         another folder",
    ),
];

/// What `vlu --help` says after the options: the examples and the exit status.
pub(crate) fn top_after_help() -> String {
    let mut text = format!("Examples:\n{EXAMPLES}\n\nExit status:\n");
    for (code, said) in EXIT_STATUS {
        text.push_str(&wrapped(&format!("  {code}  "), said, 92, "     "));
    }
    text.truncate(text.trim_end().len());
    text
}

/// `text` after `first`, broken at spaces into lines of at most `width` characters, each
/// after the first indented by `indent`; every line ends with a newline.
fn wrapped(first: &str, text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut fresh = true;
    for word in text.split_whitespace() {
        if !fresh && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            indent.clone_into(&mut line);
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// A manual page: `clap_mangen`'s sections, then the command's examples (its `after_help`)
/// under EXAMPLES, the exit status, and for `vlu(1)` itself the environment and the files.
pub(crate) fn render(page: &clap::Command, top: bool, w: &mut dyn Write) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(page.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    if page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(w)?;
    }
    if page.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(w)?;
    }
    let examples = if top {
        EXAMPLES.to_owned()
    } else {
        page.get_after_help()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let examples = examples.strip_prefix("Examples:\n").unwrap_or(&examples);
    if !examples.trim().is_empty() {
        writeln!(w, ".SH EXAMPLES\n.nf")?;
        for line in examples.lines() {
            writeln!(w, "{}", roff_line(line.trim_start()))?;
        }
        writeln!(w, ".fi")?;
    }
    writeln!(w, ".SH \"EXIT STATUS\"")?;
    for (code, said) in EXIT_STATUS {
        writeln!(w, ".TP\n.B {code}\n{}", roff_line(said))?;
    }
    if top {
        writeln!(w, ".SH ENVIRONMENT")?;
        for (name, said) in ENVIRONMENT {
            writeln!(w, ".TP\n.B {}\n{}", roff_line(name), roff_line(said))?;
        }
        writeln!(w, ".SH FILES")?;
        for (name, said) in FILES {
            writeln!(w, ".TP\n.I {}\n{}", roff_line(name), roff_line(said))?;
        }
        writeln!(w, ".RS")?;
        for (name, said) in DATA_DIR {
            writeln!(w, ".TP\n.I {}\n{}", roff_line(name), roff_line(said))?;
        }
        writeln!(w, ".RE")?;
    }
    if page.get_version().is_some() || page.get_long_version().is_some() {
        man.render_version_section(w)?;
    }
    Ok(())
}

/// One line of text as roff reads it literally: backslashes and hyphens escaped, and a line
/// that would start with a request's dot or quote guarded.
fn roff_line(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_text_is_wrapped_at_spaces() {
        let text = wrapped("  1  ", "one two three four", 12, "     ");
        assert_eq!(text, "  1  one two\n     three\n     four\n");
        assert!(top_after_help().lines().all(|l| l.chars().count() <= 92));
    }

    #[test]
    fn a_roff_line_cannot_become_a_request() {
        assert_eq!(roff_line(".SH NAME"), "\\&.SH NAME");
        assert_eq!(roff_line("'x"), "\\&'x");
        assert_eq!(roff_line("a\\b --c"), "a\\eb \\-\\-c");
    }

    #[test]
    fn every_variable_the_code_reads_is_in_the_environment_section() {
        let named: Vec<&str> = ENVIRONMENT.iter().map(|(n, _)| *n).collect();
        for read in [
            "VLU_DATA_DIR",
            "VLU_STORE",
            "VLU_CONFIG",
            "VLU_KEYMAP",
            "VLU_IDENTITY",
            "VLU_PASSPHRASE",
            "VLU_IDLE_SECONDS",
            "VLU_LOG",
            "NO_COLOR",
        ] {
            assert!(named.contains(&read), "{read}");
        }
    }
}
