//! Reading an exported CSV file into a header row and data rows, whatever its warts:
//! a UTF-8 byte-order mark, CRLF line ends, line breaks inside quoted fields, a comma or
//! semicolon separator, Latin-1 text, and rows with too many fields (each a row error,
//! never a crash).

use super::RowError;
use std::collections::HashMap;

/// The UTF-8 byte-order mark Excel and PrestaShop put first.
const BOM: &str = "\u{feff}";

/// A read CSV file.
#[derive(Debug)]
pub struct Table {
    /// The file name, for row errors.
    pub name: String,
    /// The header row, trimmed.
    pub headers: Vec<String>,
    /// The data rows that have at most as many fields as the header.
    pub rows: Vec<Row>,
    /// Rows left out (too many fields).
    pub errors: Vec<RowError>,
    columns: HashMap<String, usize>,
}

/// One data row.
#[derive(Debug)]
pub struct Row {
    /// The line where it starts in the file (the header is line 1).
    pub line: u64,
    fields: Vec<String>,
}

impl Table {
    /// Reads `bytes` (named `name`).
    ///
    /// # Errors
    ///
    /// A French reason when the file is empty or has no header row.
    pub fn read(name: &str, bytes: &[u8]) -> Result<Self, String> {
        let text = decode(bytes);
        let text = text.strip_prefix(BOM).unwrap_or(&text);
        let first_line = text.lines().next().unwrap_or_default();
        if first_line.trim().is_empty() {
            return Err("le fichier est vide : exportez vos produits en CSV et réessayez".into());
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator(first_line))
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let lines = LineIndex::new(text);
        let mut records = reader.records();
        let headers: Vec<String> = match records.next() {
            Some(Ok(h)) => h.iter().map(|f| f.trim().to_owned()).collect(),
            _ => return Err("la ligne d’en-tête est illisible".into()),
        };
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_lowercase(), i))
            .collect();
        let mut table = Self {
            name: name.to_owned(),
            headers,
            rows: Vec::new(),
            errors: Vec::new(),
            columns,
        };
        for record in records {
            table.push(record, &lines);
        }
        Ok(table)
    }

    fn push(&mut self, record: Result<csv::StringRecord, csv::Error>, lines: &LineIndex) {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = lines.line(e.position().map_or(0, csv::Position::byte));
                self.error(line, "ligne illisible : elle est ignorée");
                return;
            }
        };
        let line = lines.line(record.position().map_or(0, csv::Position::byte));
        if record.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        if record.len() > self.headers.len() {
            let reason = format!(
                "la ligne a {} champs alors que l’en-tête a {} colonnes (un séparateur en trop ?) : elle est ignorée",
                record.len(),
                self.headers.len()
            );
            self.error(line, &reason);
            return;
        }
        let fields = record.iter().map(str::to_owned).collect();
        self.rows.push(Row { line, fields });
    }

    fn error(&mut self, line: u64, reason: &str) {
        self.errors.push(RowError {
            file: self.name.clone(),
            line,
            field: String::new(),
            reason: reason.to_owned(),
        });
    }

    /// Whether the header has `column` (case-insensitive).
    #[must_use]
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(&column.to_lowercase())
    }

    /// The trimmed value of `column` in `row` ("" when absent).
    #[must_use]
    pub fn get<'a>(&self, row: &'a Row, column: &str) -> &'a str {
        self.columns
            .get(&column.to_lowercase())
            .and_then(|&i| row.fields.get(i))
            .map_or("", |f| f.trim())
    }

    /// A row error at `row` about `field`.
    #[must_use]
    pub fn row_error(&self, row: &Row, field: &str, reason: impl Into<String>) -> RowError {
        RowError {
            file: self.name.clone(),
            line: row.line,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Line numbers from byte offsets. (`csv`'s own line count lags by one after a CRLF, whose
/// `\n` it reads as the start of the next record.)
struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1);
        Self {
            text: text.as_bytes(),
            starts: std::iter::once(0).chain(starts).collect(),
        }
    }

    /// The 1-based line of the first character of the record starting at `byte`.
    fn line(&self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self
            .text
            .get(at)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            at += 1;
        }
        let line = self.starts.partition_point(|&start| start <= at);
        u64::try_from(line).unwrap_or(u64::MAX)
    }
}

/// UTF-8 text, or Latin-1 when the bytes are not UTF-8 (old PrestaShop and Excel exports).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The separator: PrestaShop and French Excel use semicolons, the others commas.
fn separator(header: &str) -> u8 {
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_quoted_line_breaks_are_read() {
        let t = Table::read("a.csv", b"\xef\xbb\xbfName,Body\r\nA,\"x\r\ny\"\r\nB,z\r\n")
            .expect("table");
        assert_eq!(t.headers, ["Name", "Body"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.get(&t.rows[0], "body"), "x\r\ny");
        assert_eq!((t.rows[0].line, t.rows[1].line), (2, 4));
    }

    #[test]
    fn too_many_fields_is_a_row_error() {
        let t = Table::read("a.csv", b"a;b\n1;2;3\n4;5\n\n6;\"x\ny\"\n7;8\n").expect("table");
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 5, 7]);
        assert_eq!(t.errors.len(), 1);
        assert_eq!(t.errors[0].line, 2);
        assert!(t.errors[0].reason.contains("3 champs"));
    }

    #[test]
    fn latin1_is_decoded_and_empty_files_refused() {
        let t = Table::read("a.csv", b"Nom;Prix\nCr\xe8me;2\n").expect("table");
        assert_eq!(t.get(&t.rows[0], "Nom"), "Crème");
        assert!(Table::read("a.csv", b"").is_err());
    }
}
