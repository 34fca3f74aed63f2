//! Loads person records from CSV.
//!
//! A [`CsvFile`] reads the header row first, so the columns can be mapped and
//! the schema fixed before any data row is read; [`CsvFile::load`] then turns
//! every row into a [`Record`]. The delimiter is sniffed from the header and
//! the first rows (`,`, `;`, tab or `|`) unless given; a UTF-8 byte-order mark
//! is skipped; a field that is not valid UTF-8 is read as Windows-1252 and the
//! first such line is reported. Every problem is an [`InputError`] that names
//! the file and, when known, the line: missing or empty file, a row that does
//! not fit the header, a quote never closed, empty or duplicate id.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

use personlink::{FieldId, Record, Schema, SourceRef};

use super::delimiter;
use super::open_quote::QuoteWatch;
use super::windows_1252::field_text;

/// Bytes read ahead to sniff the delimiter.
const SNIFF_BYTES: u64 = 64 * 1024;

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
        /// The delimiter the file was read with.
        delimiter: u8,
    },
    /// A quoted field opens on `line` and is never closed: the rest of the
    /// file would be one field.
    UnclosedQuote,
    /// A row has no id.
    EmptyId {
        /// The id column's name.
        column: String,
    },
    /// Two rows share a source reference (an id, within one source system).
    DuplicateId {
        /// The id (`system:id` when a source column gives the system).
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
        if let (InputErrorKind::Ragged { expected, found, delimiter }, Some(line)) =
            (&self.kind, self.line)
        {
            return write!(
                f,
                "{}: line {line} has {found} fields, the header has {expected} (delimiter {}); use --delimiter",
                self.file,
                delimiter::describe(*delimiter)
            );
        }
        match self.line {
            Some(line) => write!(f, "{}:{line}: ", self.file)?,
            None => write!(f, "{}: ", self.file)?,
        }
        match &self.kind {
            InputErrorKind::Open(e) => write!(f, "cannot open: {e}"),
            InputErrorKind::Read(e) => write!(f, "cannot read: {e}"),
            InputErrorKind::Empty => f.write_str("empty file: a header row is required"),
            InputErrorKind::UnclosedQuote => f.write_str(
                "a quoted field opens here and is never closed (a closing `\"` is missing): the rest of the file would be one field",
            ),
            InputErrorKind::Ragged { expected, found, delimiter } => write!(
                f,
                "a row has {found} fields, the header has {expected} (delimiter {}); use --delimiter",
                delimiter::describe(*delimiter)
            ),
            InputErrorKind::EmptyId { column } => write!(f, "empty id in column `{column}`"),
            InputErrorKind::DuplicateId { id, first_line, second_line } => {
                write!(f, "duplicate id `{id}` on lines {first_line} and {second_line}")
            }
            InputErrorKind::Record(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Where a row's values go: the id column, the source and truth columns and,
/// for each matched column, its schema field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowLayout {
    /// The id column's index.
    pub id: usize,
    /// The source-system column's index, if any (else every record takes the
    /// system [`CsvFile::load`] is given).
    pub source: Option<usize>,
    /// The truth column's index, if any.
    pub truth: Option<usize>,
    /// `(column index, field)` for every matched column.
    pub fields: Vec<(usize, FieldId)>,
}

impl RowLayout {
    /// The layout for `schema`: the id and truth column indexes, and `(column index,
    /// field name)` for every matched column; no source column.
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
        Ok(RowLayout { id, source: None, truth, fields })
    }

    /// The same layout, with each record's source system read from column `source`.
    pub fn with_source(mut self, source: Option<usize>) -> Self {
        self.source = source;
        self
    }
}

/// The records of one file.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// One record per data row, in file order; its source id is the id column's value.
    pub records: Vec<Record>,
    /// The truth column's value per record (`None` when empty), when a truth column was given.
    pub truth: Option<Vec<Option<String>>>,
    /// The first line (from 1) with a field that is not valid UTF-8 and was read
    /// as Windows-1252, if any.
    pub windows_1252_line: Option<u64>,
    /// Records whose source column is empty (they take the file's system).
    pub empty_sources: usize,
}

impl Loaded {
    /// The warnings of loading file `file` whose records without a source
    /// take `system`: fields read as Windows-1252, empty source columns.
    pub fn warnings(&self, file: &str, system: &str) -> Vec<String> {
        let decoded = self.windows_1252_line.map(|line| {
            format!(
                "{file}: warning: line {line} is not valid UTF-8; it and any other such line are read as Windows-1252"
            )
        });
        let sourceless = (self.empty_sources > 0).then(|| {
            format!(
                "{file}: warning: {} records have an empty source column; their source is `{system}`",
                self.empty_sources
            )
        });
        decoded.into_iter().chain(sourceless).collect()
    }
}

/// A CSV file whose header has been read.
#[derive(Debug)]
pub struct CsvFile<R> {
    name: String,
    reader: csv::Reader<QuoteWatch<io::Chain<Cursor<Vec<u8>>, R>>>,
    headers: Vec<String>,
    delimiter: u8,
    sniffed: bool,
    windows_1252_line: Option<u64>,
}

impl CsvFile<File> {
    /// Opens `path` and reads its header row, with `delimiter` or a sniffed one.
    ///
    /// # Errors
    /// [`InputErrorKind::Open`] when the file cannot be opened, otherwise as
    /// [`CsvFile::from_reader`].
    pub fn open(path: &Path, delimiter: Option<u8>) -> Result<Self, InputError> {
        let name = path.display().to_string();
        match File::open(path) {
            Ok(file) => CsvFile::from_reader(name, file, delimiter),
            Err(e) => Err(InputError { file: name, line: None, kind: InputErrorKind::Open(e) }),
        }
    }
}

impl<R: Read> CsvFile<R> {
    /// Reads the header row of CSV data; `name` is used in error messages. The
    /// delimiter is `delimiter`, else sniffed from the first 64 KiB
    /// ([`delimiter::sniff`]).
    ///
    /// Fields are trimmed of surrounding spaces; a UTF-8 byte-order mark is
    /// skipped; a header that is not UTF-8 is read as Windows-1252.
    ///
    /// # Errors
    /// [`InputErrorKind::Empty`] when there is no header row,
    /// [`InputErrorKind::Read`] when reading fails.
    pub fn from_reader(
        name: impl Into<String>,
        mut data: R,
        delimiter: Option<u8>,
    ) -> Result<Self, InputError> {
        let name = name.into();
        let mut head = Vec::new();
        (&mut data).take(SNIFF_BYTES).read_to_end(&mut head).map_err(|e| InputError {
            file: name.clone(),
            line: None,
            kind: InputErrorKind::Read(e.to_string()),
        })?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        let sniffed = delimiter.is_none();
        let delimiter = delimiter
            .unwrap_or_else(|| delimiter::sniff(&head, (head.len() as u64) < SNIFF_BYTES - 3));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .delimiter(delimiter)
            .trim(csv::Trim::All)
            .buffer_capacity(1 << 16)
            .from_reader(QuoteWatch::new(Cursor::new(head).chain(data), delimiter));
        let header = reader.byte_headers().map_err(|e| csv_error(&name, delimiter, e))?;
        if header.is_empty() {
            return Err(InputError { file: name, line: None, kind: InputErrorKind::Empty });
        }
        let mut windows_1252_line = None;
        let mut headers = Vec::with_capacity(header.len());
        for h in header.iter() {
            let (text, decoded) = field_text(h);
            if decoded {
                windows_1252_line = Some(header.position().map_or(1, |p| p.line()));
            }
            headers.push(text.into_owned());
        }
        Ok(CsvFile { name, reader, headers, delimiter, sniffed, windows_1252_line })
    }

    /// The file's name, as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The header's column names, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The delimiter the file is read with.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// True when the delimiter was sniffed rather than given.
    pub fn delimiter_sniffed(&self) -> bool {
        self.sniffed
    }

    /// Reads every data row into a [`Record`] of `schema`. Its source system is
    /// the layout's source column, or `system` when there is none or it is empty.
    ///
    /// Empty values are missing. Ids must be present and unique within a
    /// source system of the file.
    ///
    /// # Errors
    /// An [`InputError`] naming the line for a row that does not fit the
    /// header, a quote never closed (the line it opens on), an empty id, or a
    /// duplicate source reference (both lines).
    pub fn load(
        mut self,
        schema: &Schema,
        layout: &RowLayout,
        system: &str,
    ) -> Result<Loaded, InputError> {
        let mut records = Vec::new();
        let mut lines = Vec::new();
        let mut truth = layout.truth.map(|_| Vec::new());
        let mut windows_1252_line = self.windows_1252_line;
        let mut empty_sources = 0;
        let mut row = csv::ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut row) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.unclosed_quote_or(e)),
            }
            let line = row.position().map_or(0, |p| p.line());
            let fail = |kind| InputError { file: self.name.clone(), line: Some(line), kind };
            // One pass over the row's bytes; field by field only when it fails
            // (a row of valid fields is valid as a whole).
            if windows_1252_line.is_none()
                && std::str::from_utf8(row.as_slice()).is_err()
                && row.iter().any(|f| std::str::from_utf8(f).is_err())
            {
                windows_1252_line = Some(line);
            }
            let text = |k: usize| field_text(row.get(k).unwrap_or_default()).0;
            let id = text(layout.id);
            if id.is_empty() {
                let column = self.headers.get(layout.id).cloned().unwrap_or_default();
                return Err(fail(InputErrorKind::EmptyId { column }));
            }
            let source = layout.source.map(text).filter(|s| !s.is_empty());
            empty_sources += usize::from(layout.source.is_some() && source.is_none());
            let source = SourceRef::new(source.as_deref().unwrap_or(system), id);
            let mut values: Vec<Option<String>> = vec![None; schema.len()];
            for &(column, field) in &layout.fields {
                let value = text(column);
                if value.is_empty() {
                    continue;
                }
                if let Some(slot) = values.get_mut(field.index()) {
                    *slot = Some(value.into_owned());
                }
            }
            let record = Record::from_values(schema, source, values)
                .map_err(|e| fail(InputErrorKind::Record(e)))?;
            if let (Some(truth), Some(column)) = (truth.as_mut(), layout.truth) {
                let value = text(column);
                truth.push((!value.is_empty()).then(|| value.into_owned()));
            }
            records.push(record);
            lines.push(line);
        }
        if let Some(open) = self.reader.get_ref().open_quote() {
            return Err(InputError {
                file: self.name,
                line: Some(open.line),
                kind: InputErrorKind::UnclosedQuote,
            });
        }
        let mut seen: HashMap<&SourceRef, usize> = HashMap::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            if let Some(&first) = seen.get(record.source()) {
                let id = match layout.source {
                    Some(_) => record.source().to_string(),
                    None => record.source().id.clone(),
                };
                return Err(InputError {
                    file: self.name,
                    line: Some(lines[i]),
                    kind: InputErrorKind::DuplicateId {
                        id,
                        first_line: lines[first],
                        second_line: lines[i],
                    },
                });
            }
            seen.insert(record.source(), i);
        }
        Ok(Loaded { records, truth, windows_1252_line, empty_sources })
    }

    /// The error for reader error `e`: an unclosed quote when a quoted field
    /// opened in the failing row runs to the end of the file (the reader then
    /// sees one row with too few fields), else `e` itself.
    fn unclosed_quote_or(&mut self, e: csv::Error) -> InputError {
        let row_line = match e.kind() {
            csv::ErrorKind::UnequalLengths { pos: Some(pos), .. } => pos.line(),
            _ => return csv_error(&self.name, self.delimiter, e),
        };
        let watch = self.reader.get_mut();
        match watch.finish().ok().and_then(|()| watch.open_quote()) {
            Some(open) if open.row_line == row_line => InputError {
                file: self.name.clone(),
                line: Some(open.line),
                kind: InputErrorKind::UnclosedQuote,
            },
            _ => csv_error(&self.name, self.delimiter, e),
        }
    }
}

/// Turns a CSV reader error into an [`InputError`] naming the line.
fn csv_error(file: &str, delimiter: u8, e: csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    let kind = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            InputErrorKind::Ragged { expected: *expected_len, found: *len, delimiter }
        }
        csv::ErrorKind::Io(io) => InputErrorKind::Read(io.to_string()),
        _ => InputErrorKind::Read(e.to_string()),
    };
    InputError { file: file.to_owned(), line, kind }
}
