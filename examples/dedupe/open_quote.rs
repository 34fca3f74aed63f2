//! Finds the quote a CSV file opens and never closes.
//!
//! The `csv` reader takes everything after an unmatched `"` as one field, up
//! to the end of the file, and then reports at most a row with the wrong
//! number of fields. [`QuoteWatch`] reads the same bytes as they pass to the
//! reader, with the reader's quoting rules (a quote opens a field only at its
//! start, `""` inside quotes is a quote), and remembers the line where the
//! quoted field still open at the end began.

use std::io::{self, Read};

/// Where the watched bytes stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// Inside a field that did not start with a quote.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field (closing it, or the first of `""`).
    QuoteInQuoted,
}

/// A quoted field still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenQuote {
    /// The line (from 1) of the opening quote.
    pub line: u64,
    /// The line where the row holding it starts.
    pub row_line: u64,
}

/// A reader that passes its bytes through and follows their quoting.
#[derive(Debug)]
pub struct QuoteWatch<R> {
    inner: R,
    delimiter: u8,
    state: State,
    /// The current line, from 1.
    line: u64,
    /// The line the current row starts on.
    row_line: u64,
    /// The line of the quote that opened the current quoted field.
    opened: u64,
}

impl<R: Read> QuoteWatch<R> {
    /// Watches `inner`, whose fields are separated by `delimiter`.
    pub fn new(inner: R, delimiter: u8) -> Self {
        QuoteWatch { inner, delimiter, state: State::FieldStart, line: 1, row_line: 1, opened: 0 }
    }

    /// The quoted field open after the bytes read so far, if any.
    pub fn open_quote(&self) -> Option<OpenQuote> {
        matches!(self.state, State::Quoted)
            .then_some(OpenQuote { line: self.opened, row_line: self.row_line })
    }

    /// Reads the rest of the input (so that [`QuoteWatch::open_quote`] speaks
    /// of the whole file), discarding it.
    ///
    /// # Errors
    /// A read error of the input.
    pub fn finish(&mut self) -> io::Result<()> {
        io::copy(self, &mut io::sink()).map(drop)
    }

    fn watch(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let ends_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match self.state {
                State::FieldStart if b == b'"' => {
                    self.opened = self.line;
                    State::Quoted
                }
                State::FieldStart | State::Unquoted if ends_field => State::FieldStart,
                State::FieldStart | State::Unquoted => State::Unquoted,
                State::Quoted if b == b'"' => State::QuoteInQuoted,
                State::Quoted => State::Quoted,
                State::QuoteInQuoted if b == b'"' => State::Quoted,
                State::QuoteInQuoted if ends_field => State::FieldStart,
                State::QuoteInQuoted => State::Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
                if self.state == State::FieldStart {
                    self.row_line = self.line;
                }
            }
        }
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.watch(&buf[..n]);
        Ok(n)
    }
}
