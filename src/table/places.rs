//! Where in the sheet each value of the caseload document came from, and the caseload's
//! problems (`victims[3].status: unknown value …`) said by row and column instead:
//! `row 5, column "Status", cell "Maybe": unknown value "Maybe" …`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt::Write as _;

use super::fields::{Field, Kind, Owner};
use crate::domain::text::shortened;
use crate::domain::validate::Problem;

/// A place in the sheet (or the mapping) that a value came from.
#[derive(Debug, Clone)]
pub struct Place {
    /// The sheet's row (0 for the mapping itself).
    pub row: usize,
    /// The sheet's column (`usize::MAX` for none), for ordering.
    pub column: usize,
    /// How a message names it: `row 5, column "Status", cell "Maybe"`.
    pub named: String,
    /// What the cell holds, as a message may repeat it (never a contact detail).
    pub shown: Option<String>,
    pub field: Option<&'static Field>,
}

impl Place {
    /// A cell; `shown` is what it holds, `None` for a contact detail (never repeated).
    pub fn cell(
        row: usize,
        column: usize,
        header: &str,
        shown: Option<String>,
        field: &'static Field,
    ) -> Self {
        let mut named = format!("row {row}, column \"{}\"", shortened(header, 40));
        match &shown {
            Some(s) if s.is_empty() => named.push_str(" (empty)"),
            Some(s) => {
                let _ = write!(named, ", cell \"{}\"", shortened(s, 40));
            }
            None => {}
        }
        Self {
            row,
            column,
            named,
            shown,
            field: Some(field),
        }
    }

    /// A whole row.
    pub fn row(row: usize) -> Self {
        Self {
            row,
            column: usize::MAX,
            named: format!("row {row}"),
            shown: None,
            field: None,
        }
    }

    /// A value of the mapping's `[defaults]`, used in `row`.
    pub fn default_value(row: usize, path: &str, line: usize) -> Self {
        Self {
            row,
            column: usize::MAX,
            named: format!("row {row}, \"{path}\" from [defaults] (mapping line {line})"),
            shown: None,
            field: super::fields::by_path(path),
        }
    }

    /// A line of the mapping.
    pub fn mapping(line: usize) -> Self {
        Self {
            row: 0,
            column: usize::MAX,
            named: format!("mapping line {line}"),
            shown: None,
            field: None,
        }
    }

    /// Its order in the sheet: by row, then column.
    pub fn key(&self) -> (usize, usize) {
        (self.row, self.column)
    }

    /// A problem here.
    pub fn problem(&self, message: &str) -> Problem {
        Problem {
            path: self.named.clone(),
            message: message.to_owned(),
        }
    }
}

/// Document paths (`victims[3].status`) to places.
#[derive(Debug, Default)]
pub struct Places(HashMap<String, Place>);

impl Places {
    pub fn insert(&mut self, path: String, place: Place) {
        self.0.insert(path, place);
    }

    pub fn entry(&mut self, path: String) -> Entry<'_, String, Place> {
        self.0.entry(path)
    }

    pub fn get(&self, path: &str) -> Option<&Place> {
        self.0.get(path)
    }

    /// The place of a document path, or of the nearest record or field holding it, with
    /// what is left of the path.
    fn nearest<'p>(&self, path: &'p str) -> Option<(&Place, &'p str)> {
        let mut at = path;
        loop {
            if let Some(place) = self.0.get(at) {
                let rest = path[at.len()..].trim_start_matches('.');
                return Some((place, rest));
            }
            let cut = at.rfind(['.', '['])?;
            at = &at[..cut];
        }
    }

    /// A caseload problem said by its place in the sheet, and a key to order problems by
    /// row and column. A problem with no place (the file as a whole) comes first.
    pub fn locate(&self, problem: &Problem) -> ((usize, usize), Problem) {
        let Some((place, rest)) = self.nearest(&problem.path) else {
            return ((0, 0), problem.clone());
        };
        let mut message = problem.message.clone();
        if message == "missing required field" && rest.is_empty() {
            let whose = match place.field.map(Field::owner) {
                Some(Owner::Case) => "every case",
                _ => "every victim",
            };
            message = format!("empty, and {whose} needs one");
        } else if !rest.is_empty() {
            message = format!("{rest}: {message}");
        }
        // `… appears twice (first at victims[2].id)`
        if let Some(start) = message.find("(first at ")
            && let Some(len) = message[start..].find(')')
        {
            let earlier = &message[start + 10..start + len];
            if let Some((p, _)) = self.nearest(earlier) {
                message = format!(
                    "{}(first in row {}){}",
                    &message[..start],
                    p.row,
                    &message[start + len + 1..]
                );
            }
        }
        if let Some(field) = place.field
            && matches!(field.kind, Kind::Choice { .. })
            && message.starts_with("unknown value")
        {
            let _ = write!(
                message,
                "; or give the unit's word for it under [values.\"{}\"] in the mapping",
                field.path
            );
        }
        (
            (place.row, place.column),
            Problem {
                path: place.named.clone(),
                message,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::fields::by_path;

    fn problem(path: &str, message: &str) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }

    #[test]
    fn caseload_problems_are_said_by_row_and_column() {
        let mut places = Places::default();
        let status = by_path("victim.status").unwrap();
        let address = by_path("victim.contact_details.address").unwrap();
        places.insert("victims[0]".into(), Place::row(2));
        places.insert(
            "victims[0].status".into(),
            Place::cell(2, 4, "Status", Some("Maybe".into()), status),
        );
        places.insert(
            "victims[0].contact_details.address".into(),
            Place::cell(2, 7, "Address", None, address),
        );
        places.insert(
            "victims[1].id".into(),
            Place::cell(
                3,
                0,
                "Ref",
                Some("V-1".into()),
                by_path("victim.id").unwrap(),
            ),
        );
        places.insert(
            "victims[0].id".into(),
            Place::cell(
                2,
                0,
                "Ref",
                Some("V-1".into()),
                by_path("victim.id").unwrap(),
            ),
        );

        let (key, p) = places.locate(&problem(
            "victims[0].status",
            "unknown value \"Maybe\" (expected one of: referred)",
        ));
        assert_eq!(key, (2, 4));
        assert_eq!(
            p.to_string(),
            "row 2, column \"Status\", cell \"Maybe\": unknown value \"Maybe\" (expected one of: \
             referred); or give the unit's word for it under [values.\"victim.status\"] in the mapping"
        );
        let (_, p) = places.locate(&problem(
            "victims[0].contact_details.address",
            "contains the control character U+0007; only plain text is allowed",
        ));
        assert_eq!(p.path, "row 2, column \"Address\"");
        let (_, p) = places.locate(&problem(
            "victims[1].id",
            "victim id \"V-1\" appears twice (first at victims[0].id)",
        ));
        assert!(p.message.ends_with("(first in row 2)"), "{p}");
        let (_, p) = places.locate(&problem("victims[0].needs", "expected an object"));
        assert_eq!(p.to_string(), "row 2: needs: expected an object");
        let (key, p) = places.locate(&problem("", "the file is not valid JSON"));
        assert_eq!((key, p.path.as_str()), ((0, 0), ""));
    }
}
