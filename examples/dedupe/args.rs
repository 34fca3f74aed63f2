//! Command-line arguments of the `dedupe` example.
//!
//! Options may come before or after `INPUT.csv`, as `--name value` or
//! `--name=value`; `--` ends the options. Every mistake is an [`ArgsError`]
//! whose message fits on one line.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

/// The help text printed by `--help`.
pub const USAGE: &str = "\
dedupe: find duplicate person records in a CSV file, or link two CSV files, with personlink.

Usage: dedupe INPUT.csv [--link OTHER.csv] [--id-column COL] [--config FILE.json]
              [--output OUT.csv] [--explain ID1 ID2] [--truth-column COL] [--threads N]
              [--model FILE.json | --no-train] [--save-model FILE.json] [--threshold W]

Arguments:
  INPUT.csv            records to deduplicate, with a header row

Options:
  --link OTHER.csv     link INPUT.csv with OTHER.csv instead (only cross pairs are compared)
  --id-column COL      column holding each record's id (default: rec_id, else id)
  --config FILE.json   a personlink configuration (default: the person profile, fitted to
                       the columns present)
  --output OUT.csv     write the rec_id,cluster_id,household_id rows there (default:
                       standard output)
  --explain ID1 ID2    also print how the records ID1 and ID2 compare, field by field
  --truth-column COL   column holding the true entity: it is not matched on, and pairwise
                       precision, recall and F1 are printed after the run
  --threads N          worker threads for comparing (default 0: one per core)
  --model FILE.json    use this trained model instead of training one on the input
  --no-train           use the configuration's own model (the untrained defaults)
  --save-model FILE.json
                       write the model used (trained or loaded) as JSON
  --threshold W        match threshold as a match weight (log2 odds); by default a run
                       that trains uses the threshold training suggests (unless --config
                       is given: then the configuration's threshold holds)
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

Output: the header rec_id,cluster_id,household_id and one row per input record, in input
order (the left file, then the right one with --link); household_id groups the people who
share a home (a shared address, phone or email). The run summary goes to standard error;
with --truth-column and --output, the line `precision=P recall=R f1=F` also ends standard
output.

Exit status: 0 on success, 2 on any error (bad arguments, input, or configuration).
";

/// A successfully parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `--help`: print [`USAGE`] and stop.
    Help,
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
    /// A JSON configuration file.
    pub config: Option<PathBuf>,
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
        expected: &'static str,
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

/// The options that take values, by name.
const OPTIONS: &[&str] = &[
    "--link",
    "--id-column",
    "--config",
    "--output",
    "--explain",
    "--truth-column",
    "--threads",
    "--model",
    "--save-model",
    "--threshold",
];

/// Parses the arguments that follow the program name.
///
/// # Errors
/// An [`ArgsError`] for an unknown option, a missing or invalid value, a repeated
/// option, a second positional argument, a missing `INPUT.csv`, or both
/// `--model` and `--no-train`.
pub fn parse<I>(argv: I) -> Result<Command, ArgsError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut it = argv.into_iter().peekable();
    let mut args = Args::default();
    let mut input: Option<PathBuf> = None;
    let mut options_done = false;
    while let Some(arg) = it.next() {
        let text = arg.to_str().filter(|t| !options_done && t.starts_with('-') && t.len() > 1);
        let Some(text) = text else {
            if input.is_some() {
                return Err(ArgsError::UnexpectedArgument(arg.to_string_lossy().into_owned()));
            }
            input = Some(PathBuf::from(arg));
            continue;
        };
        if text == "--" {
            options_done = true;
            continue;
        }
        if text == "-h" || text == "--help" {
            return Ok(Command::Help);
        }
        if text == "--no-train" {
            if args.no_train {
                return Err(ArgsError::Repeated("--no-train"));
            }
            args.no_train = true;
            continue;
        }
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) => (n, Some(OsString::from(v))),
            None => (text, None),
        };
        let Some(&option) = OPTIONS.iter().find(|o| **o == name) else {
            return Err(ArgsError::UnknownOption(name.to_owned()));
        };
        let mut value = |inline: Option<OsString>| next_value(option, inline, &mut it);
        match option {
            "--link" => set(&mut args.link, option, value(inline)?.into())?,
            "--config" => set(&mut args.config, option, value(inline)?.into())?,
            "--output" => set(&mut args.output, option, value(inline)?.into())?,
            "--model" => set(&mut args.model, option, value(inline)?.into())?,
            "--save-model" => set(&mut args.save_model, option, value(inline)?.into())?,
            "--threshold" => {
                let raw = utf8(option, value(inline)?)?;
                let w = raw.parse::<f64>().ok().filter(|w| w.is_finite()).ok_or_else(|| {
                    ArgsError::InvalidValue {
                        option,
                        value: raw.clone(),
                        expected: "a finite number",
                    }
                })?;
                set(&mut args.threshold, option, w)?;
            }
            "--id-column" => set(&mut args.id_column, option, utf8(option, value(inline)?)?)?,
            "--truth-column" => {
                set(&mut args.truth_column, option, utf8(option, value(inline)?)?)?;
            }
            "--explain" => {
                let first = utf8(option, value(inline)?)?;
                let second = utf8(option, value(None)?)?;
                set(&mut args.explain, option, (first, second))?;
            }
            _ => {
                let raw = utf8(option, value(inline)?)?;
                let n = raw.parse::<usize>().map_err(|_| ArgsError::InvalidValue {
                    option,
                    value: raw.clone(),
                    expected: "a non-negative integer",
                })?;
                set(&mut args.threads, option, n)?;
            }
        }
    }
    if args.model.is_some() && args.no_train {
        return Err(ArgsError::Conflict("--model", "--no-train"));
    }
    args.input = input.ok_or(ArgsError::MissingInput)?;
    Ok(Command::Run(Box::new(args)))
}

/// Takes an option's value: the inline `--name=value` part, else the next argument
/// unless that is another option.
fn next_value<I>(
    option: &'static str,
    inline: Option<OsString>,
    it: &mut std::iter::Peekable<I>,
) -> Result<OsString, ArgsError>
where
    I: Iterator<Item = OsString>,
{
    if let Some(v) = inline {
        return Ok(v);
    }
    let is_option = |a: &OsString| a.to_str().is_some_and(|t| t.starts_with("--"));
    match it.peek() {
        Some(next) if !is_option(next) => it.next().ok_or(ArgsError::MissingValue(option)),
        _ => Err(ArgsError::MissingValue(option)),
    }
}

/// Converts a value that must be text.
fn utf8(option: &'static str, value: OsString) -> Result<String, ArgsError> {
    value.into_string().map_err(|_| ArgsError::NotUtf8(option))
}

/// Stores an option's value, refusing a second one.
fn set<T>(slot: &mut Option<T>, option: &'static str, value: T) -> Result<(), ArgsError> {
    if slot.is_some() {
        return Err(ArgsError::Repeated(option));
    }
    *slot = Some(value);
    Ok(())
}
