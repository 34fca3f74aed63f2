//! Command-line arguments of the `stream` example, read with `lexopt`.
//!
//! Every mistake is a one-line message naming the option.

use std::ffi::OsString;
use std::path::PathBuf;

use personlink::cluster::MAX_THRESHOLD_WEIGHT;
use personlink::normalize::Country;

use super::delimiter;
use super::options::{parsed, text};
use super::reading::{self, DateOrderChoice};

/// The help text printed by `--help`.
pub const USAGE: &str = "\
stream: feed a CSV file's records one at a time through personlink's incremental resolver,
as a live system would, and measure each upsert.

Usage: stream INPUT.csv [--id-column COL] [--source-column COL] [--delimiter C]
              [--country CC] [--date-order day-first|month-first|auto] [--output OUT.csv]
              [--model FILE.json | --no-train] [--threshold W] [--snapshot FILE.json]
              [--frequency-key-file FILE]

Options:
  --id-column COL      column holding each record's id (default: rec_id, else id)
  --source-column COL  column holding each record's source system (default: the file's
                       name without extension)
  --delimiter C        the column separator: one character, or `tab` (default: sniffed)
  --country CC         country national phone numbers are read in (ISO code; default FR)
  --date-order ORDER   day-first (default), month-first, or auto (sniffed from the data)
  --output OUT.csv     write the rows there (default: standard output)
  --model FILE.json    use this trained model instead of training one on the input
  --no-train           use the default model (the untrained person profile)
  --threshold W        match threshold as a match weight (default: the one training
                       suggests)
  --snapshot FILE.json save the resolver there after the run, then restore it and report
                       sizes and times
  --frequency-key-file FILE
                       key the model's value frequency tables with the secret in FILE
                       (its bytes, at least 16): the model and the snapshot then hold
                       keyed hashes, no clear name or city; a keyed --model needs it
  -h, --help           print this help

Columns map as in the dedupe example. Output: rec_id,cluster_id,household_id (then
source, with --source-column), one row per record. Output paths are checked before the
run starts, and files are written whole or not at all. The summary goes to standard
error, ending with one JSON line of latencies:
{\"records\": N, \"p50_us\": ..., \"p99_us\": ..., \"max_us\": ..., \"upserts_per_second\": ...}.
Exit status: 0 on success, 2 on any error.
";

/// The options of a run.
#[derive(Debug, Default)]
pub struct Args {
    /// The CSV file.
    pub input: PathBuf,
    /// The id column's name, when given.
    pub id_column: Option<String>,
    /// The source-system column's name, when given.
    pub source_column: Option<String>,
    /// The column delimiter, when given.
    pub delimiter: Option<u8>,
    /// The country of national phone numbers, when given.
    pub country: Option<Country>,
    /// How numeric dates are read, when given.
    pub date_order: Option<DateOrderChoice>,
    /// Where to write the rows.
    pub output: Option<PathBuf>,
    /// A trained model to use.
    pub model: Option<PathBuf>,
    /// Use the default model.
    pub no_train: bool,
    /// The match threshold, as a weight.
    pub threshold: Option<f64>,
    /// Where to save the resolver's snapshot.
    pub snapshot: Option<PathBuf>,
    /// The file holding the secret that keys the frequency tables.
    pub frequency_key_file: Option<PathBuf>,
}

/// Parses the arguments after the program name: `Ok(None)` for `--help`.
///
/// # Errors
/// A one-line message naming the option, or the missing input.
pub fn parse<I>(argv: I) -> Result<Option<Args>, String>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    use lexopt::Arg::{Long, Short, Value};
    let mut parser = lexopt::Parser::from_args(argv);
    let mut args = Args::default();
    let mut input = None;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        let name = match arg {
            Short('h') | Long("help") => return Ok(None),
            Short(c) => return Err(format!("unknown option `-{c}`")),
            Value(v) if input.is_none() => {
                input = Some(PathBuf::from(v));
                continue;
            }
            Value(v) => return Err(format!("unexpected argument `{}`", v.to_string_lossy())),
            Long(name) => format!("--{name}"),
        };
        let p = &mut parser;
        match name.as_str() {
            "--id-column" => args.id_column = Some(text(p, "--id-column")?),
            "--source-column" => args.source_column = Some(text(p, "--source-column")?),
            "--output" => args.output = Some(text(p, "--output")?.into()),
            "--model" => args.model = Some(text(p, "--model")?.into()),
            "--snapshot" => args.snapshot = Some(text(p, "--snapshot")?.into()),
            "--frequency-key-file" => {
                args.frequency_key_file = Some(text(p, "--frequency-key-file")?.into());
            }
            "--no-train" => args.no_train = true,
            "--threshold" => {
                let expected =
                    format!("a number from -{MAX_THRESHOLD_WEIGHT} to {MAX_THRESHOLD_WEIGHT}");
                let w = parsed(p, "--threshold", &expected, |t| {
                    t.parse::<f64>().ok().filter(|w| w.abs() <= MAX_THRESHOLD_WEIGHT)
                })?;
                args.threshold = Some(w);
            }
            "--delimiter" => {
                let expected = "one character, such as , ; | or tab";
                args.delimiter = Some(parsed(p, "--delimiter", expected, delimiter::parse)?);
            }
            "--country" => {
                let expected = reading::country_expectation();
                args.country = Some(parsed(p, "--country", &expected, reading::parse_country)?);
            }
            "--date-order" => {
                let expected = "day-first, month-first or auto";
                let order = parsed(p, "--date-order", expected, DateOrderChoice::parse)?;
                args.date_order = Some(order);
            }
            _ => return Err(format!("unknown option `{name}`")),
        }
    }
    if args.model.is_some() && args.no_train {
        return Err("options `--model` and `--no-train` exclude each other".to_owned());
    }
    args.input = input.ok_or("missing INPUT.csv")?;
    Ok(Some(args))
}
