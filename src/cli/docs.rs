//! vlu about itself: shell completions (`clap_complete`), manual pages (`clap_mangen`), and
//! the configuration in force (`vlu config`). None of it reads the store.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

pub(crate) use super::manual::top_after_help;
use super::{Cli, Env, write_stdout};
use crate::domain::text::plural;
use crate::error::Error;

/// `vlu completions SHELL`: the shell's completion script, to standard output.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<(), Error> {
    let mut cmd = Cli::command();
    write_stdout(|w| {
        clap_complete::generate(shell, &mut cmd, "vlu", w);
        Ok(())
    })
}

/// Every manual page: `vlu.1`, then `vlu-COMMAND.1` for each command (and
/// `vlu-keymap-check.1` for a command's own commands), each with its file name. clap's own
/// `help` command has no page, so no page lists it.
fn pages() -> Vec<(String, clap::Command)> {
    fn without_help(cmd: clap::Command) -> clap::Command {
        cmd.disable_help_subcommand(true)
            .mut_subcommands(without_help)
    }
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        let shown = |s: &&clap::Command| !s.is_hide_set() && s.get_name() != "help";
        for sub in cmd.get_subcommands().filter(shown) {
            let name = format!("{prefix}-{}", sub.get_name());
            let page = sub.clone().name(name.clone());
            walk(&name, sub, out);
            out.push((name, page));
        }
    }
    let mut cmd = without_help(Cli::command());
    cmd.build();
    let mut out = vec![("vlu".to_owned(), cmd.clone())];
    walk("vlu", &cmd, &mut out);
    out[1..].sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn render(name: &str, page: &clap::Command, w: &mut dyn Write) -> std::io::Result<()> {
    super::manual::render(page, name == "vlu", w)
}

/// `vlu man [--dir DIR]`: the `vlu(1)` page in roff to standard output, or every page into
/// `DIR` (made if missing), each replaced atomically and readable by anyone (mode 0644).
pub(super) fn man(dir: Option<&Path>) -> Result<(), Error> {
    let Some(dir) = dir else {
        let (name, page) = pages().swap_remove(0);
        return write_stdout(|w| render(&name, &page, w));
    };
    if !dir.is_dir() {
        // A manual is for everyone on the machine (vlu's umask would make it its owner's).
        let mut made = std::fs::DirBuilder::new();
        made.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut made, 0o755);
        made.create(dir)
            .and_then(|()| {
                #[cfg(unix)]
                std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
                Ok(())
            })
            .map_err(|source| Error::Write {
                path: dir.to_owned(),
                source,
            })?;
    }
    let pages = pages();
    let count = pages.len();
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        if let Err(crate::fsutil::Refused(what)) = crate::fsutil::destination(&path) {
            return Err(Error::Usage(format!(
                "{} is {what}, which vlu does not write over",
                path.display()
            )));
        }
        crate::fsutil::write_public_atomically(&path, |w| render(&name, &page, w)).map_err(
            |source| Error::Write {
                path: path.clone(),
                source,
            },
        )?;
    }
    eprintln!(
        "Wrote {} into {} (man vlu, man vlu-export, …).",
        plural(count, "manual page"),
        dir.display()
    );
    Ok(())
}

/// `vlu config`: the files vlu reads and every setting in force, as a configuration file
/// that would give the same (the settings as TOML, the rest as comments). Nothing of any
/// victim: the store is not opened.
pub(super) fn show_config(env: &Env) -> Result<(), Error> {
    let text = config_text(env);
    write_stdout(|w| w.write_all(text.as_bytes()))
}

/// One line of the configuration's head: what, and what it is.
fn config_line(out: &mut String, what: &str, said: &str) {
    let _ = writeln!(out, "# {what:<20}{}", crate::domain::text::visible(said));
}

/// Where vlu reads its configuration, keys and store from, and keeps its backups.
fn config_places(env: &Env, out: &mut String) {
    let c = &env.config;
    let file = env.config_file.as_deref().map_or_else(
        || "none (no home directory)".to_owned(),
        |f| {
            if f.is_file() {
                format!("{} (read)", f.display())
            } else {
                format!("{} (not there: every setting is its default)", f.display())
            }
        },
    );
    config_line(out, "configuration file", &file);
    let keymap_file = super::project_dirs().map(|d| d.config_dir().join("keymap.toml"));
    if let Some(k) = keymap_file {
        let state = if k.is_file() { "read" } else { "not there" };
        config_line(out, "key overrides", &format!("{} ({state})", k.display()));
    }
    if let Ok(k) = std::env::var("VLU_KEYMAP") {
        config_line(
            out,
            "keymap",
            &format!("{k} (from VLU_KEYMAP, over the file's)"),
        );
    }
    let store = match crate::store::Store::exists(&env.data_dir) {
        Ok(true) => "a store",
        Ok(false) => "no store yet",
        Err(_) => "cannot be read",
    };
    config_line(
        out,
        "data directory",
        &format!("{} ({store})", env.data_dir.display()),
    );
    config_line(
        out,
        "backups",
        &c.backup.dir_for(&env.data_dir).display().to_string(),
    );
}

/// The working days: the bank holidays file, and the days off and worked that the
/// configuration adds.
fn config_days(c: &crate::config::Config, out: &mut String) {
    if let Some(f) = &c.bank_holidays {
        let years = f
            .years
            .map_or_else(|| "no years".to_owned(), |(a, b)| format!("{a}–{b}"));
        config_line(
            out,
            "bank holidays file",
            &format!(
                "{}: England and Wales {years}, {} listed; {} off and {} worked that vlu's own rules give otherwise",
                f.path.display(),
                f.listed,
                plural(f.added.len(), "day"),
                plural(f.removed.len(), "day"),
            ),
        );
    }
    let days = |list: &[chrono::NaiveDate]| {
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    config_line(out, "extra days off", &days(&c.days.non_working));
    config_line(out, "days worked", &days(&c.days.working));
}

fn config_text(env: &Env) -> String {
    let mut out = String::from("# vlu's configuration in force (vlu config)\n#\n");
    config_places(env, &mut out);
    config_days(&env.config, &mut out);
    let c = &env.config;
    out.push_str("#\n# (The store's own extra_non_working_days are added to the days off.)\n\n");
    match toml::to_string(c) {
        Ok(settings) => out.push_str(&settings),
        Err(e) => {
            let _ = writeln!(out, "# the settings cannot be shown: {e}");
        }
    }
    out
}
