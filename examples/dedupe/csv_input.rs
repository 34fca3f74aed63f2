//! Loads person records from CSV.
//!
//! A [`CsvFile`] reads the header row first, so the columns can be mapped and
//! the schema fixed before any data row is read; [`CsvFile::load`] then turns
//! every row into a [`Record`]. Every problem is an [`InputError`] that names the
//! file and, when known, the line: missing or empty file, ragged row, invalid
//! UTF-8, empty or duplicate id.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use personlink::{FieldId, Record, Schema, SourceRef};

/// A problem with an input file.
#[derive(Debug)]
pub struct InputError {
    /// The file, as the user named it.
    pub file: String,
    /// The line (from 1), when known.
    pub line: Option<u64>,
    /// What is wrong.
    pub kind: InputErrorKind,
}

/// What is wrong with an input file.
#[derive(Debug)]
pub enum InputErrorKind {
    /// The file cannot be opened.
    Open(io::Error),
    /// Reading failed midway.
    Read(String),
    /// The file has no header row.
    Empty,
    /// A row's field count differs from the header's.
    Ragged {
        /// Fields in the header.
        expected: u64,
        /// Fields in the row.
        found: u64,
    },
    /// A field is not valid UTF-8.
    InvalidUtf8 {
        /// The field's column name (or `#n` in the header).
        column: String,
    },
    /// A row has no id.
    EmptyId {
        /// The id column's name.
        column: String,
    },
    /// Two rows share an id.
    DuplicateId {
        /// The id.
        id: String,
        /// The line of its first row.
        first_line: u64,
        /// The line of its second row.
        second_line: u64,
    },
    /// The library refused a record.
    Record(personlink::Error),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: ", self.file)?,
            None => write!(f, "{}: ", self.file)?,
        }
        match &self.kind {
            InputErrorKind::Open(e) => write!(f, "cannot open: {e}"),
            InputErrorKind::Read(e) => write!(f, "cannot read: {e}"),
            InputErrorKind::Empty => f.write_str("empty file: a header row is required"),
            InputErrorKind::Ragged { expected, found } => {
                write!(f, "row has {found} fields but the header has {expected}")
            }
            InputErrorKind::InvalidUtf8 { column } => {
                write!(f, "invalid UTF-8 in column `{column}`")
            }
            InputErrorKind::EmptyId { column } => write!(f, "empty id in column `{column}`"),
            InputErrorKind::DuplicateId { id, first_line, second_line } => {
                write!(f, "duplicate id `{id}` on lines {first_line} and {second_line}")
            }
            InputErrorKind::Record(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Where a row's values go: the id column, the truth column and, for each
/// matched column, its schema field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowLayout {
    /// The id column's index.
    pub id: usize,
    /// The truth column's index, if any.
    pub truth: Option<usize>,
    /// `(column index, field)` for every matched column.
    pub fields: Vec<(usize, FieldId)>,
}

impl RowLayout {
    /// The layout for `schema`: the id and truth column indexes, and `(column index,
    /// field name)` for every matched column.
    ///
    /// # Errors
    /// [`personlink::Error::UnknownField`] when a field name is not in `schema`.
    pub fn new<'a>(
        schema: &Schema,
        id: usize,
        truth: Option<usize>,
        fields: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> personlink::Result<Self> {
        let fields = fields
            .into_iter()
            .map(|(column, name)| schema.require(name).map(|field| (column, field)))
            .collect::<personlink::Result<Vec<_>>>()?;
        Ok(RowLayout { id, truth, fields })
    }
}

/// The records of one file.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// One record per data row, in file order; its source id is the id column's value.
    pub records: Vec<Record>,
    /// The truth column's value per record (`None` when empty), when a truth column was given.
    pub truth: Option<Vec<Option<String>>>,
}

/// A CSV file whose header has been read.
#[derive(Debug)]
pub struct CsvFile<R> {
    name: String,
    reader: csv::Reader<R>,
    headers: Vec<String>,
}

impl CsvFile<File> {
    /// Opens `path` and reads its header row.
    ///
    /// # Errors
    /// [`InputErrorKind::Open`] when the file cannot be opened, otherwise as
    /// [`CsvFile::from_reader`].
    pub fn open(path: &Path) -> Result<Self, InputError> {
        let name = path.display().to_string();
        match File::open(path) {
            Ok(file) => CsvFile::from_reader(name, file),
            Err(e) => Err(InputError { file: name, line: None, kind: InputErrorKind::Open(e) }),
        }
    }
}

impl<R: Read> CsvFile<R> {
    /// Reads the header row of CSV data; `name` is used in error messages.
    ///
    /// Fields are trimmed of surrounding spaces; a UTF-8 byte-order mark is skipped.
    ///
    /// # Errors
    /// [`InputErrorKind::Empty`] when there is no header row,
    /// [`InputErrorKind::InvalidUtf8`] when the header is not UTF-8,
    /// [`InputErrorKind::Read`] when reading fails.
    pub fn from_reader(name: impl Into<String>, data: R) -> Result<Self, InputError> {
        let name = name.into();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .trim(csv::Trim::All)
            .buffer_capacity(1 << 16)
            .from_reader(data);
        let header = reader.byte_headers().map_err(|e| csv_error(&name, e))?;
        let line = header.position().map(|p| p.line());
        if header.is_empty() {
            return Err(InputError { file: name, line: None, kind: InputErrorKind::Empty });
        }
        let mut headers = Vec::with_capacity(header.len());
        for (k, h) in header.iter().enumerate() {
            match std::str::from_utf8(h) {
                Ok(h) => headers.push(h.to_owned()),
                Err(_) => {
                    return Err(InputError {
                        file: name,
                        line,
                        kind: InputErrorKind::InvalidUtf8 { column: format!("#{}", k + 1) },
                    })
                }
            }
        }
        Ok(CsvFile { name, reader, headers })
    }

    /// The file's name, as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The header's column names, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Reads every data row into a [`Record`] of `schema` from source system `system`.
    ///
    /// Empty values are missing. Ids must be present and unique within the file.
    ///
    /// # Errors
    /// An [`InputError`] naming the line for a ragged row, invalid UTF-8, an empty
    /// id, or a duplicate id (both lines).
    pub fn load(
        mut self,
        schema: &Schema,
        layout: &RowLayout,
        system: &str,
    ) -> Result<Loaded, InputError> {
        let mut records = Vec::new();
        let mut lines = Vec::new();
        let mut truth = layout.truth.map(|_| Vec::new());
        let mut row = csv::ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut row) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_error(&self.name, e)),
            }
            let line = row.position().map_or(0, |p| p.line());
            let fail = |kind| InputError { file: self.name.clone(), line: Some(line), kind };
            for (k, field) in row.iter().enumerate() {
                if std::str::from_utf8(field).is_err() {
                    let column = self.headers.get(k).cloned().unwrap_or_default();
                    return Err(fail(InputErrorKind::InvalidUtf8 { column }));
                }
            }
            // Every field was checked just above, so this never falls back to "".
            let text =
                |k: usize| row.get(k).and_then(|f| std::str::from_utf8(f).ok()).unwrap_or("");
            let id = text(layout.id);
            if id.is_empty() {
                let column = self.headers.get(layout.id).cloned().unwrap_or_default();
                return Err(fail(InputErrorKind::EmptyId { column }));
            }
            let mut values: Vec<Option<String>> = vec![None; schema.len()];
            for &(column, field) in &layout.fields {
                let value = text(column);
                if value.is_empty() {
                    continue;
                }
                if let Some(slot) = values.get_mut(field.index()) {
                    *slot = Some(value.to_owned());
                }
            }
            let record = Record::from_values(schema, SourceRef::new(system, id), values)
                .map_err(|e| fail(InputErrorKind::Record(e)))?;
            if let (Some(truth), Some(column)) = (truth.as_mut(), layout.truth) {
                let value = text(column);
                truth.push((!value.is_empty()).then(|| value.to_owned()));
            }
            records.push(record);
            lines.push(line);
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            if let Some(&first) = seen.get(record.source().id.as_str()) {
                return Err(InputError {
                    file: self.name,
                    line: Some(lines[i]),
                    kind: InputErrorKind::DuplicateId {
                        id: record.source().id.clone(),
                        first_line: lines[first],
                        second_line: lines[i],
                    },
                });
            }
            seen.insert(&record.source().id, i);
        }
        Ok(Loaded { records, truth })
    }
}

/// Turns a CSV reader error into an [`InputError`] naming the line.
fn csv_error(file: &str, e: csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    let kind = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            InputErrorKind::Ragged { expected: *expected_len, found: *len }
        }
        csv::ErrorKind::Io(io) => InputErrorKind::Read(io.to_string()),
        _ => InputErrorKind::Read(e.to_string()),
    };
    InputError { file: file.to_owned(), line, kind }
}
