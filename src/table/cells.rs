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

/// The most rows vlu reads of a sheet: a unit's victims over decades are tens of thousands.
pub const MOST_ROWS: u32 = 200_000;
/// The most columns: a unit's sheet has tens; XFD (16,384) is a spreadsheet's last.
pub const MOST_COLUMNS: u32 = 1_000;
/// The most a CSV file may be, and a workbook's parts may unpack to in all.
pub const MOST_BYTES: u64 = 256 * 1024 * 1024;

/// The sentence refusing a sheet bigger than vlu reads.
fn too_big(path: &Path, what: &str) -> Error {
    Error::Invalid {
        file: path.to_owned(),
        problems: vec![Problem {
            path: String::new(),
            message: format!(
                "{what}: more than vlu reads of a spreadsheet ({} rows, {} columns, {} MiB \
                 unpacked), so nothing was read; keep the victims' rows on a sheet of their own",
                thousands(MOST_ROWS),
                thousands(MOST_COLUMNS),
                MOST_BYTES >> 20
            ),
        }],
    }
}

fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
            let read = |source| Error::Read {
                path: path.to_owned(),
                source,
            };
            if std::fs::metadata(path).map_err(read)?.len() > MOST_BYTES {
                return Err(too_big(path, "the file is larger than 256 MiB"));
            }
            let bytes = std::fs::read(path).map_err(read)?;
            let sheet = csv_sheet(
                &bytes,
                if ext.as_deref() == Some("tsv") {
                    b'\t'
                } else {
                    b','
                },
            );
            match sheet.rows.last() {
                Some((n, _)) if *n > MOST_ROWS as usize => {
                    Err(too_big(path, &format!("the file has {n} rows")))
                }
                _ if sheet
                    .rows
                    .iter()
                    .any(|(_, r)| r.len() > MOST_COLUMNS as usize) =>
                {
                    Err(too_big(path, "a row has more than 1,000 columns"))
                }
                _ => Ok(sheet),
            }
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
    unpacked_size(path)?;
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
    let (top, mut grid) = match &mut book {
        calamine::Sheets::Xlsx(x) => xlsx_grid(x, &name, path)?,
        other => {
            let range = other.worksheet_range(&name).map_err(|_| unreadable())?;
            let (height, width) = range.get_size();
            if height > MOST_ROWS as usize || width > MOST_COLUMNS as usize {
                return Err(too_big(
                    path,
                    &format!("the sheet spans {height} rows and {width} columns"),
                ));
            }
            let (top, left) = range.start().unwrap_or((0, 0));
            let grid = range
                .rows()
                .map(|row| {
                    let mut cells = vec![Cell::Empty; left as usize];
                    cells.extend(row.iter().map(cell_of));
                    cells
                })
                .collect();
            (top, grid)
        }
    };
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
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

/// An XLSX sheet's cells read one at a time, refused as soon as one lies beyond
/// [`MOST_ROWS`] or [`MOST_COLUMNS`] (calamine's whole-sheet range would first make room for
/// every cell up to the farthest: a 6 KB file with one cell at XFD1048576 asks for 17 billion).
/// The rows from the first holding a cell, and that first row's index.
fn xlsx_grid<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<R>,
    name: &str,
    path: &Path,
) -> Result<(u32, Vec<Vec<Cell>>), Error> {
    let unreadable = || Error::Invalid {
        file: path.to_owned(),
        problems: vec![Problem {
            path: String::new(),
            message: "the sheet could not be read; the file may be damaged".into(),
        }],
    };
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|_| unreadable())?;
    let mut rows: std::collections::BTreeMap<u32, Vec<Cell>> = std::collections::BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(|_| unreadable())? {
        let (row, column) = cell.get_position();
        if row >= MOST_ROWS || column >= MOST_COLUMNS {
            return Err(too_big(
                path,
                &format!(
                    "the sheet has a cell at row {} column {}",
                    row + 1,
                    column + 1
                ),
            ));
        }
        let value = cell_of(&calamine::Data::from(cell.get_value().clone()));
        if value == Cell::Empty {
            continue;
        }
        let cells = rows.entry(row).or_default();
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = value;
    }
    let top = rows.keys().next().copied().unwrap_or(0);
    let bottom = rows.keys().next_back().copied().unwrap_or(0);
    let mut grid = vec![Vec::new(); (bottom - top) as usize + usize::from(!rows.is_empty())];
    for (row, cells) in rows {
        grid[(row - top) as usize] = cells;
    }
    Ok((top, grid))
}

/// Refuses a workbook (a zip: XLSX, ODS) whose parts declare more than [`MOST_BYTES`]
/// unpacked, before anything is unpacked: a 2 MB file once unpacked to 6 GB.
fn unpacked_size(path: &Path) -> Result<(), Error> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        // Not a zip (an old XLS): calamine reads it, or says it cannot.
        return Ok(());
    };
    // Each part's size as its central directory entry states it.
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_or(u64::MAX, |part| part.size());
        total = total.saturating_add(size);
    }
    if total > MOST_BYTES {
        return Err(too_big(
            path,
            &format!("the workbook unpacks to {} MiB", total >> 20),
        ));
    }
    Ok(())
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
