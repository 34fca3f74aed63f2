//! Command-line arguments of the `dedupe` example, read with `lexopt`.
//!
//! Options may come before or after `INPUT.csv`, as `--name value` or
//! `--name=value`; `--` ends the options. Every mistake is an [`ArgsError`]
//! whose message fits on one line and names the option.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use personlink::cluster::MAX_THRESHOLD_WEIGHT;
use personlink::config::MAX_THREADS;
use personlink::normalize::Country;

use super::delimiter;
use super::reading::{self, DateOrderChoice};

/// The help text printed by `--help`.
pub const USAGE: &str = "\
dedupe: find duplicate person records in a CSV file, or link two CSV files, with personlink.

Usage: dedupe INPUT.csv [--link OTHER.csv] [--id-column COL] [--source-column COL]
              [--delimiter C] [--country CC] [--date-order day-first|month-first|auto]
              [--config FILE.json] [--output OUT.csv] [--explain ID1 ID2]
              [--truth-column COL] [--threads N] [--model FILE.json | --no-train]
              [--save-model FILE.json] [--threshold W] [--show-keys]
       dedupe --print-config [--config FILE.json] [--country CC] [--date-order ORDER]

Arguments:
  INPUT.csv            records to deduplicate, with a header row

Options:
  --link OTHER.csv     link INPUT.csv with OTHER.csv instead (only cross pairs are compared)
  --id-column COL      column holding each record's id (default: rec_id, else id)
  --source-column COL  column holding each record's source system (default: the file's
                       name without extension; with --link and equal names, left/right);
                       ids need only be unique within a source
  --delimiter C        the column separator: one character, or `tab` (default: sniffed
                       from the header and first rows among , ; tab and |)
  --country CC         country national phone numbers are read in, as an ISO code
                       (FR, BE, CH, DE, ES, IT, GB, US, NL, LU, PT, IE, CA, AU; default FR)
  --date-order ORDER   how numeric dates like 01/02/1980 are read: day-first (the
                       default), month-first, or auto (decided from the date column,
                       and said on standard error)
  --config FILE.json   a JSON object merged over the default configuration (the person
                       profile): objects merge key by key, arrays and values replace, so
                       {\"policy\": {\"match_threshold\": {\"probability\": 0.9}}} changes one
                       setting, and the result is fitted to the columns present. A file
                       that gives a schema is a full configuration, used as it is
  --print-config       write the configuration (the default, with --config, --country and
                       --date-order applied) as JSON to standard output and stop
  --output OUT.csv     write the rec_id,cluster_id,household_id rows there (default:
                       standard output)
  --explain ID1 ID2    also print how the records ID1 and ID2 compare, field by field
  --truth-column COL   column holding the true entity: it is not matched on, and pairwise
                       precision, recall and F1 are printed after the run
  --threads N          worker threads (default 0: one per core; at most 1024)
  --model FILE.json    use this trained model instead of training one on the input
  --no-train           use the configuration's own model (the untrained defaults)
  --save-model FILE.json
                       write the model used (trained or loaded) as JSON
  --threshold W        match threshold as a match weight (log2 odds, -1000 to 1000); by default a run
                       that trains uses the threshold training suggests (unless --config
                       sets policy.match_threshold: then that holds)
  --show-keys          print the keys of the blocks too large to compare as they are
                       (an email, a phone number); by default only their shapes
                       (digits as #, letters as * after the first), rule and size
  -h, --help           print this help

Without --model or --no-train, the model is trained on the input itself (u from random
pairs, m by EM over the candidate pairs, the prior and value frequencies from the data);
the training report and a table of the weights (field, level, m, u, weight) go to
standard error.

Columns map onto the schema's fields by name, in English or French, ignoring case, accents,
spaces, underscores and hyphens: given_name/first_name/prénom, surname/last_name/nom,
date_of_birth/dob/date de naissance, gender/sex/sexe, email/courriel, phone/téléphone,
street_number/numéro, address_1/address/adresse, address_2/complement, city/suburb/ville,
postcode/zip/code postal, state/region/département, national_id/ssn/soc_sec_id/nir.
Other columns are ignored; the mapping is printed to standard error.

Input: CSV with a header row, in UTF-8 (a byte-order mark is skipped); a field that is not
valid UTF-8 is read as Windows-1252, with one warning naming the first such line.

Output: the header rec_id,cluster_id,household_id (then source, with --source-column, and
side, with --link: left for a record of INPUT.csv, right for one of OTHER.csv, since the
two files may share ids) and one row per input record, in input order (the left file,
then the right one with --link);
household_id groups the people who share a home (a shared address, phone or email). The
run summary goes to standard error; with --truth-column and --output, the line
`precision=P recall=R f1=F` also ends standard output. Output paths (--output,
--save-model) are checked before the run starts, and each file is written whole or not
at all (a temporary file beside it, renamed once complete).

Exit status: 0 on success, 2 on any error (bad arguments, input, or configuration).
";

/// A successfully parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `--help`: print [`USAGE`] and stop.
    Help,
    /// `--print-config`: print the configuration and stop (`input` may be empty).
    PrintConfig(Box<Args>),
    /// Run with these arguments.
    Run(Box<Args>),
}

/// The options of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Args {
    /// The CSV file to deduplicate (the left file in link mode).
    pub input: PathBuf,
    /// The right file of link mode.
    pub link: Option<PathBuf>,
    /// The id column's name, when given.
    pub id_column: Option<String>,
    /// The source-system column's name, when given.
    pub source_column: Option<String>,
    /// The column delimiter, when given (else sniffed).
    pub delimiter: Option<u8>,
    /// The country national phone numbers are read in, when given.
    pub country: Option<Country>,
    /// How numeric dates are read, when given.
    pub date_order: Option<DateOrderChoice>,
    /// A JSON configuration file (merged over the default configuration).
    pub config: Option<PathBuf>,
    /// Print the configuration and stop.
    pub print_config: bool,
    /// Where to write the clusters (standard output when `None`).
    pub output: Option<PathBuf>,
    /// Two record ids whose comparison to explain.
    pub explain: Option<(String, String)>,
    /// The column holding the true entity, for evaluation.
    pub truth_column: Option<String>,
    /// Worker threads (`0` = one per core).
    pub threads: Option<usize>,
    /// A trained model to use instead of training.
    pub model: Option<PathBuf>,
    /// Where to save the model used.
    pub save_model: Option<PathBuf>,
    /// Use the configuration's model as it is.
    pub no_train: bool,
    /// The match threshold, as a weight.
    pub threshold: Option<f64>,
    /// Print capped blocks' keys as they are, not their shapes.
    pub show_keys: bool,
}

/// A command-line mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgsError {
    /// No `INPUT.csv` was given.
    MissingInput,
    /// An option nobody knows.
    UnknownOption(String),
    /// An option given without its value (or values).
    MissingValue(&'static str),
    /// A flag given a value (`--no-train=yes`).
    FlagWithValue(&'static str),
    /// An option given twice.
    Repeated(&'static str),
    /// A second positional argument.
    UnexpectedArgument(String),
    /// A value that does not parse.
    InvalidValue {
        /// The option.
        option: &'static str,
        /// The value given.
        value: String,
        /// What was expected instead.
        expected: String,
    },
    /// A value that must be text is not valid UTF-8.
    NotUtf8(&'static str),
    /// Two options that exclude each other.
    Conflict(&'static str, &'static str),
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgsError::MissingInput => f.write_str("missing INPUT.csv"),
            ArgsError::UnknownOption(o) => write!(f, "unknown option `{o}`"),
            ArgsError::MissingValue("--explain") => {
                f.write_str("option `--explain` needs two values: ID1 ID2")
            }
            ArgsError::MissingValue(o) => write!(f, "option `{o}` needs a value"),
            ArgsError::FlagWithValue(o) => write!(f, "option `{o}` takes no value"),
            ArgsError::Repeated(o) => write!(f, "option `{o}` given more than once"),
            ArgsError::UnexpectedArgument(a) => write!(
                f,
                "unexpected argument `{a}`: only one INPUT.csv is accepted (use --link OTHER.csv to link two files)"
            ),
            ArgsError::InvalidValue { option, value, expected } => {
                write!(f, "invalid value `{value}` for `{option}`: expected {expected}")
            }
            ArgsError::NotUtf8(o) => write!(f, "the value of `{o}` is not valid UTF-8"),
            ArgsError::Conflict(a, b) => write!(f, "options `{a}` and `{b}` exclude each other"),
        }
    }
}

impl std::error::Error for ArgsError {}

/// Every option, by name; the flags (no value) are `--no-train`, `--print-config`
/// and `--show-keys`.
const OPTIONS: &[&str] = &[
    "--link",
    "--id-column",
    "--source-column",
    "--delimiter",
    "--country",
    "--date-order",
    "--config",
    "--print-config",
    "--output",
    "--explain",
    "--truth-column",
    "--threads",
    "--model",
    "--no-train",
    "--save-model",
    "--threshold",
    "--show-keys",
];

/// Parses the arguments that follow the program name.
///
/// # Errors
/// An [`ArgsError`] for an unknown option, a missing or invalid value, a repeated
/// option, a second positional argument, a missing `INPUT.csv` (unless
/// `--print-config`), or both `--model` and `--no-train`.
pub fn parse<I>(argv: I) -> Result<Command, ArgsError>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    use lexopt::Arg::{Long, Short, Value};
    let mut parser = lexopt::Parser::from_args(argv);
    let mut args = Args::default();
    let mut input: Option<PathBuf> = None;
    while let Some(arg) = parser.next().map_err(from_lexopt)? {
        let name = match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short(c) => return Err(ArgsError::UnknownOption(format!("-{c}"))),
            Value(value) => {
                if input.is_some() {
                    return Err(ArgsError::UnexpectedArgument(
                        value.to_string_lossy().into_owned(),
                    ));
                }
                input = Some(PathBuf::from(value));
                continue;
            }
            Long(name) => name,
        };
        let Some(&option) = OPTIONS.iter().find(|o| o[2..] == *name) else {
            return Err(ArgsError::UnknownOption(format!("--{name}")));
        };
        let p = &mut parser;
        match option {
            "--no-train" => flag(&mut args.no_train, option)?,
            "--print-config" => flag(&mut args.print_config, option)?,
            "--show-keys" => flag(&mut args.show_keys, option)?,
            "--link" => set(&mut args.link, option, value(p, option)?.into())?,
            "--config" => set(&mut args.config, option, value(p, option)?.into())?,
            "--output" => set(&mut args.output, option, value(p, option)?.into())?,
            "--model" => set(&mut args.model, option, value(p, option)?.into())?,
            "--save-model" => set(&mut args.save_model, option, value(p, option)?.into())?,
            "--id-column" => set(&mut args.id_column, option, text(p, option)?)?,
            "--source-column" => set(&mut args.source_column, option, text(p, option)?)?,
            "--truth-column" => set(&mut args.truth_column, option, text(p, option)?)?,
            "--threshold" => {
                let expected =
                    format!("a number from -{MAX_THRESHOLD_WEIGHT} to {MAX_THRESHOLD_WEIGHT}");
                let w = parsed(p, option, &expected, |t| {
                    t.parse::<f64>().ok().filter(|w| w.abs() <= MAX_THRESHOLD_WEIGHT)
                })?;
                set(&mut args.threshold, option, w)?;
            }
            "--threads" => {
                let expected = format!("an integer from 0 to {MAX_THREADS}");
                let n = parsed(p, option, &expected, |t| {
                    t.parse().ok().filter(|&n: &usize| n <= MAX_THREADS)
                })?;
                set(&mut args.threads, option, n)?;
            }
            "--delimiter" => {
                let expected = "one character, such as , ; | or tab";
                let d = parsed(p, option, expected, delimiter::parse)?;
                set(&mut args.delimiter, option, d)?;
            }
            "--country" => {
                let expected = reading::country_expectation();
                let c = parsed(p, option, &expected, reading::parse_country)?;
                set(&mut args.country, option, c)?;
            }
            "--date-order" => {
                let expected = "day-first, month-first or auto";
                let o = parsed(p, option, expected, DateOrderChoice::parse)?;
                set(&mut args.date_order, option, o)?;
            }
            _ => {
                let first = text(p, option)?;
                let second = text(p, option)?;
                set(&mut args.explain, option, (first, second))?;
            }
        }
    }
    if args.model.is_some() && args.no_train {
        return Err(ArgsError::Conflict("--model", "--no-train"));
    }
    if args.print_config {
        args.input = input.unwrap_or_default();
        return Ok(Command::PrintConfig(Box::new(args)));
    }
    args.input = input.ok_or(ArgsError::MissingInput)?;
    Ok(Command::Run(Box::new(args)))
}

/// The [`ArgsError`] of a `lexopt` error (a flag given a value, or an argument
/// that is not valid UTF-8).
fn from_lexopt(e: lexopt::Error) -> ArgsError {
    match e {
        lexopt::Error::UnexpectedValue { option, .. } => {
            match OPTIONS.iter().find(|o| **o == option) {
                Some(o) => ArgsError::FlagWithValue(o),
                None => ArgsError::UnknownOption(option),
            }
        }
        other => ArgsError::UnknownOption(other.to_string()),
    }
}

/// Takes an option's value: the inline `--name=value` part, else the next
/// argument unless that is another option (`--...`).
fn value(parser: &mut lexopt::Parser, option: &'static str) -> Result<OsString, ArgsError> {
    if let Some(inline) = parser.optional_value() {
        return Ok(inline);
    }
    match parser.value() {
        Ok(v) if !v.to_str().is_some_and(|t| t.starts_with("--")) => Ok(v),
        _ => Err(ArgsError::MissingValue(option)),
    }
}

/// Takes an option's value, which must be text.
fn text(parser: &mut lexopt::Parser, option: &'static str) -> Result<String, ArgsError> {
    value(parser, option)?.into_string().map_err(|_| ArgsError::NotUtf8(option))
}

/// Takes an option's value and reads it with `read`; `expected` says what it should be.
fn parsed<T>(
    parser: &mut lexopt::Parser,
    option: &'static str,
    expected: &str,
    read: impl FnOnce(&str) -> Option<T>,
) -> Result<T, ArgsError> {
    let raw = text(parser, option)?;
    read(&raw).ok_or_else(|| ArgsError::InvalidValue {
        option,
        value: raw,
        expected: expected.to_owned(),
    })
}

/// Sets a flag, refusing a second one.
fn flag(slot: &mut bool, option: &'static str) -> Result<(), ArgsError> {
    if *slot {
        return Err(ArgsError::Repeated(option));
    }
    *slot = true;
    Ok(())
}

/// Stores an option's value, refusing a second one.
fn set<T>(slot: &mut Option<T>, option: &'static str, value: T) -> Result<(), ArgsError> {
    if slot.is_some() {
        return Err(ArgsError::Repeated(option));
    }
    *slot = Some(value);
    Ok(())
}
