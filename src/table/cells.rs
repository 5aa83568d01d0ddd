//! A spreadsheet's cells, whatever it was saved as: CSV (UTF-8, or Windows-1252 as Excel's
//! plain "CSV" writes it on a UK PC), or a workbook that calamine reads (XLSX, XLS, XLSB,
//! ODS). Rows keep the numbers the spreadsheet shows, so that a problem names the row a
//! person will find.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::domain::validate::Problem;
use crate::error::Error;

/// One cell, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    YesNo(bool),
    /// A cell the spreadsheet itself holds as a date.
    Date(NaiveDate),
    /// A formula's error (`#N/A`, `#REF!`).
    Error(String),
}

/// A sheet's rows, each with the row number the spreadsheet shows (from 1); empty rows left
/// out. Each row's cells start at column A.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name in a workbook; `None` for CSV.
    pub name: Option<String>,
    /// How a CSV file's bytes were read, when not as UTF-8.
    pub encoding: Option<&'static str>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

impl Sheet {
    pub fn cell(row: &[Cell], column: usize) -> &Cell {
        row.get(column).unwrap_or(&Cell::Empty)
    }
}

/// Reads the file: a CSV by its name (`.csv`, `.tsv`, `.txt`), anything else as a workbook.
/// `sheet` names the workbook's sheet (default: the first).
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, Error> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "txt" | "tsv") => {
            if sheet.is_some() {
                return Err(Error::Usage(
                    "--sheet names a sheet of a workbook; a CSV file has only one".into(),
                ));
            }
            let bytes = std::fs::read(path).map_err(|source| Error::Read {
                path: path.to_owned(),
                source,
            })?;
            Ok(csv_sheet(
                &bytes,
                if ext.as_deref() == Some("tsv") {
                    b'\t'
                } else {
                    b','
                },
            ))
        }
        _ => workbook(path, sheet),
    }
}

/// A CSV file's rows: UTF-8 (a byte-order mark skipped), or else Windows-1252.
pub fn csv_sheet(bytes: &[u8], delimiter: u8) -> Sheet {
    let (text, encoding) = if let Ok(text) = std::str::from_utf8(bytes) {
        (std::borrow::Cow::Borrowed(text), None)
    } else {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        (text, Some("Windows-1252"))
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Row numbers are records, as a spreadsheet opening the file numbers them: a cell with a
    // line break in it is still one row.
    for (i, record) in reader.records().enumerate() {
        let Ok(record) = record else { continue };
        let cells: Vec<Cell> = record
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_owned())
                }
            })
            .collect();
        if cells.iter().any(|c| *c != Cell::Empty) {
            rows.push((i + 1, cells));
        }
    }
    Sheet {
        name: None,
        encoding,
        rows,
    }
}

fn workbook(path: &Path, sheet: Option<&str>) -> Result<Sheet, Error> {
    if let Err(source) = std::fs::metadata(path) {
        return Err(Error::Read {
            path: path.to_owned(),
            source,
        });
    }
    // calamine's own messages are not repeated: a parser's message may quote the file.
    let unreadable = || Error::Invalid {
        file: path.to_owned(),
        problems: vec![Problem {
            path: String::new(),
            message: "the file could not be read as a spreadsheet (CSV, XLSX or ODS); it may \
                      be damaged, protected by a password, or of another kind"
                .into(),
        }],
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|_| unreadable())?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{} has no sheet \"{wanted}\"; its sheets are: {}",
                    path.display(),
                    quoted_list(&names)
                ))
            })?,
        None => names.first().cloned().ok_or_else(unreadable)?,
    };
    let range = book.worksheet_range(&name).map_err(|_| unreadable())?;
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut grid: Vec<Vec<Cell>> = range
        .rows()
        .map(|row| {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(row.iter().map(cell_of));
            cells
        })
        .collect();
    fill_merged(&mut grid, top as usize, &merged);
    let rows = grid
        .into_iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| *c != Cell::Empty))
        .map(|(i, cells)| (top as usize + i + 1, cells))
        .collect();
    Ok(Sheet {
        name: Some(name),
        encoding: None,
        rows,
    })
}

/// Merged cells hold their value in the first cell only; every cell of the region takes it,
/// so that a case number merged down the rows of its victims belongs to each.
fn fill_merged(grid: &mut [Vec<Cell>], top: usize, merged: &[calamine::Dimensions]) {
    for region in merged {
        let (r0, c0) = (region.start.0 as usize, region.start.1 as usize);
        let (r1, c1) = (region.end.0 as usize, region.end.1 as usize);
        let Some(value) = r0
            .checked_sub(top)
            .and_then(|r| grid.get(r))
            .and_then(|row| row.get(c0))
            .cloned()
        else {
            continue;
        };
        for r in r0..=r1 {
            let Some(row) = r.checked_sub(top).and_then(|r| grid.get_mut(r)) else {
                continue;
            };
            if row.len() <= c1 {
                row.resize(c1 + 1, Cell::Empty);
            }
            for cell in &mut row[c0..=c1] {
                *cell = value.clone();
            }
        }
    }
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::YesNo(*b),
        Data::DateTime(dt) if dt.is_datetime() => dt
            .as_datetime()
            .map_or_else(|| Cell::Number(dt.as_f64()), |d| Cell::Date(d.date())),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{}\"", crate::domain::text::shortened(n, 40)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_numbers_and_skip_blank_ones() {
        let sheet = csv_sheet(
            b"\xef\xbb\xbfRef,Name\r\nV-1,\"Ann\nLee\"\r\n,\r\nV-2,Bo\r\n",
            b',',
        );
        assert_eq!(sheet.encoding, None);
        let numbers: Vec<usize> = sheet.rows.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [1, 2, 4]);
        assert_eq!(sheet.rows[0].1[0], Cell::Text("Ref".into()));
        assert_eq!(sheet.rows[1].1[1], Cell::Text("Ann\nLee".into()));
    }

    #[test]
    fn a_csv_saved_by_excel_on_windows_reads_as_windows_1252() {
        let sheet = csv_sheet(b"Name\r\nZo\xeb \xa3\r\n", b',');
        assert_eq!(sheet.encoding, Some("Windows-1252"));
        assert_eq!(sheet.rows[1].1[0], Cell::Text("Zoë £".into()));
    }

    #[test]
    fn a_merged_region_gives_its_value_to_every_cell() {
        let mut grid = vec![
            vec![Cell::Text("C-1".into()), Cell::Text("a".into())],
            vec![Cell::Empty, Cell::Text("b".into())],
            vec![Cell::Empty],
        ];
        let region = calamine::Dimensions {
            start: (5, 0),
            end: (7, 0),
        };
        fill_merged(&mut grid, 5, &[region]);
        assert!(grid.iter().all(|row| row[0] == Cell::Text("C-1".into())));
    }
}
