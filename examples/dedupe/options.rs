//! Option values and the exit protocol of the examples whose argument errors
//! are one-line strings (`stream`, `benchmark`, `generate`; shared through
//! `#[path]`).

use std::process::ExitCode;

/// Takes an option's value as text: inline (`--name=value`) or the next argument
/// unless that is another option.
pub fn text(parser: &mut lexopt::Parser, option: &str) -> Result<String, String> {
    let value = match parser.optional_value() {
        Some(inline) => inline,
        None => match parser.value() {
            Ok(v) if !v.to_str().is_some_and(|t| t.starts_with("--")) => v,
            _ => return Err(format!("option `{option}` needs a value")),
        },
    };
    value.into_string().map_err(|_| format!("the value of `{option}` is not valid UTF-8"))
}

/// Takes an option's value and reads it with `read`; `expected` says what it should be.
pub fn parsed<T>(
    parser: &mut lexopt::Parser,
    option: &str,
    expected: &str,
    read: impl FnOnce(&str) -> Option<T>,
) -> Result<T, String> {
    let raw = text(parser, option)?;
    read(&raw).ok_or_else(|| format!("invalid value `{raw}` for `{option}`: expected {expected}"))
}

/// What `main` does with a parse: the arguments of a run, or the exit code
/// after printing `usage` (for `--help`, exit 0) or the error prefixed by
/// `tool` (exit 2).
pub fn arguments_or_exit<A>(
    tool: &str,
    usage: &str,
    parsed: Result<Option<A>, String>,
) -> Result<A, ExitCode> {
    match parsed {
        Ok(Some(args)) => Ok(args),
        Ok(None) => {
            print!("{usage}");
            Err(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{tool}: {e} (run with --help for usage)");
            Err(ExitCode::from(2))
        }
    }
}
