//! The layers hold: no module of `src/` imports one above it, so no two import each other
//! in a circle (docs/ARCHITECTURE.md). Read from the source itself: every `crate::NAME` a
//! file names outside comments and its tests, and every `super::NAME` that leaves a module's
//! folder, is an import of the top-level module `NAME`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules from the ground up: each may import only those on a lower floor.
/// (The domain imports nothing of vlu's; the command line everything.)
const FLOORS: &[&[&str]] = &[
    &["par", "signals", "logging"],
    &["domain", "fsutil"],
    &["config", "generate"],
    &["store"],
    &["error"],
    &["table", "unit"],
    &["letters", "service"],
    &["tui"],
    &["cli"],
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&module))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without its comments and without its tests (a `#[cfg(test)]` module, or
/// a file of tests: `tests.rs`, or under a `tests/` folder).
fn code_of(path: &Path, src: &Path) -> Option<String> {
    let relative = path.strip_prefix(src).unwrap();
    let is_tests = relative
        .components()
        .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "tests.rs");
    if is_tests {
        return None;
    }
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    Some(
        text.lines()
            .map(|line| match line.find("//") {
                Some(at) => &line[..at],
                None => line,
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Which top-level modules each top-level module imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(code) = code_of(&file, &src) else {
            continue;
        };
        let named = edges.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != module {
                named.insert(name);
            }
        }
    }
    edges
}

#[test]
fn every_module_has_a_floor() {
    for module in imports().keys() {
        assert!(
            floor_of(module).is_some(),
            "src/{module} is on no floor of FLOORS (and of docs/ARCHITECTURE.md): place it"
        );
    }
}

#[test]
fn no_module_imports_one_above_it_or_beside_it() {
    let mut wrong = Vec::new();
    for (module, named) in imports() {
        let Some(floor) = floor_of(&module) else {
            continue;
        };
        for other in named {
            match floor_of(&other) {
                Some(theirs) if theirs < floor => {}
                _ => wrong.push(format!("{module} -> {other}")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run up or sideways (a circle waiting to happen): {wrong:?}"
    );
}

#[test]
fn the_check_sees_an_import_that_runs_up() {
    // The reading itself is tested: the service's files name the unit layer (below them),
    // and the domain names nothing above it.
    let edges = imports();
    assert!(edges["service"].contains("unit"), "{edges:?}");
    assert!(edges["service"].contains("store"), "{edges:?}");
    assert!(!edges["domain"].contains("store"), "{edges:?}");
}
