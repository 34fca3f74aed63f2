//! Which character separates a CSV file's columns: `,`, `;` (what a French
//! spreadsheet writes), tab or `|`, told from the header and the first rows.

/// The delimiters [`sniff`] chooses among, in order of preference on a tie.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Rows of the sample [`sniff`] reads at most, header included.
const SAMPLE_ROWS: usize = 50;

/// The delimiter of CSV data that starts with `sample` (header first; the last
/// row may be cut short when `complete` is false).
///
/// A candidate *fits* when it splits the header into two or more fields and
/// every whole row of the sample into as many; of the candidates that fit, the
/// one giving the most fields wins (ties: the order of [`CANDIDATES`]). When
/// none fits, the one splitting the header into the most fields wins, and a
/// header of one field is read with `,`.
pub fn sniff(sample: &[u8], complete: bool) -> u8 {
    let mut best: Option<((bool, usize), u8)> = None;
    for delimiter in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(sample);
        let mut counts: Vec<usize> = Vec::new();
        let mut record = csv::ByteRecord::new();
        while counts.len() < SAMPLE_ROWS {
            match reader.read_byte_record(&mut record) {
                Ok(true) => counts.push(record.len()),
                _ => break,
            }
        }
        if !complete && counts.len() > 1 && counts.len() < SAMPLE_ROWS {
            counts.pop(); // the row the sample cut may be incomplete
        }
        let Some(&header) = counts.first() else { continue };
        let fits = header > 1 && counts.iter().all(|&n| n == header);
        let score = (fits, header);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, delimiter));
        }
    }
    match best {
        Some(((_, fields), delimiter)) if fields > 1 => delimiter,
        _ => b',',
    }
}

/// Reads a `--delimiter` value: one ASCII character other than a quote or a
/// line break, or `tab` / `\t`.
pub fn parse(value: &str) -> Option<u8> {
    match value {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        _ => match value.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Some(*b),
            _ => None,
        },
    }
}

/// The delimiter as an error message shows it: `';'`, `tab`.
pub fn describe(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_owned(),
        d => format!("'{}'", char::from(d)),
    }
}
