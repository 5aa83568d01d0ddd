//! Where a command's output goes: standard output, or a regular file written atomically and
//! readable by its owner only; anything else at the path is refused (`fsutil::destination`).

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes to standard output, buffered. A closed pipe (`vlu diary | head`) is not an error.
pub(super) fn write_stdout(
    emit: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match emit(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: "standard output".into(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Writes `value` as JSON (indented for people, or compact) and a newline, as it is made: to
/// standard output (no file, `-`) or to a regular file (atomically, readable by its owner
/// only); anything else at the path is refused (`fsutil::destination`).
pub(super) fn write_json(
    value: &impl serde::Serialize,
    file: Option<&Path>,
    pretty: bool,
) -> Result<(), Error> {
    write_out(file, |w: &mut dyn Write| -> std::io::Result<()> {
        if pretty {
            serde_json::to_writer_pretty(&mut *w, value)?;
        } else {
            serde_json::to_writer(&mut *w, value)?;
        }
        w.write_all(b"\n")
    })
}

/// Writes what `emit` writes to standard output (no file, or `-`) or to a regular file —
/// atomically and readable by its owner only. A symbolic link, a FIFO, a device, a directory
/// or a socket at the path is refused (exit 2) before anything is written.
pub(super) fn write_out(
    file: Option<&Path>,
    emit: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    use crate::fsutil::Destination;
    match destination(file)? {
        Destination::Stdout => write_stdout(emit),
        Destination::Atomic(to) => crate::fsutil::write_private_atomically(&to, |w| emit(w))
            .map_err(|source| Error::Write {
                path: to.clone(),
                source,
            }),
    }
}

/// Where an output named `file` goes (none: standard output), or the sentence refusing it.
pub(super) fn destination(file: Option<&Path>) -> Result<crate::fsutil::Destination, Error> {
    let Some(path) = file else {
        return Ok(crate::fsutil::Destination::Stdout);
    };
    crate::fsutil::destination(path).map_err(|crate::fsutil::Refused(what)| {
        Error::Usage(format!(
            "{} is {what}, which vlu does not write over; name a regular file, or - for standard output",
            path.display()
        ))
    })
}

/// The line that closes an export, on stderr (never in what was written): what went where.
pub(super) fn say_exported(what: &str, file: Option<&Path>, to_stdout: bool) {
    let to = match file {
        Some(path) if !to_stdout => path.display().to_string(),
        _ => "standard output".to_owned(),
    };
    let line = format!("Exported {what} to {to}.");
    eprintln!(
        "{}",
        super::plain::for_people(&crate::domain::text::visible(&line))
    );
}
