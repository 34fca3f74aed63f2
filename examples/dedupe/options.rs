//! Option values and the exit protocol of the examples whose argument errors
//! are one-line strings (`stream`, `benchmark`, `generate`; shared through
//! `#[path]`).

use std::process::ExitCode;

/// The long option an argument names (`--name`), `None` for `--help` / `-h`,
/// for tools that take no positional argument.
pub fn option_name(arg: lexopt::Arg<'_>) -> Result<Option<String>, String> {
    use lexopt::Arg::{Long, Short, Value};
    match arg {
        Short('h') | Long("help") => Ok(None),
        Short(c) => Err(format!("unknown option `-{c}`")),
        Long(name) => Ok(Some(format!("--{name}"))),
        Value(v) => Err(format!("unexpected argument `{}`", v.to_string_lossy())),
    }
}

/// Reads a `--preset` value: `true` for `hard`, `false` for `easy`.
pub fn hard_preset(value: &str) -> Option<bool> {
    match value {
        "hard" => Some(true),
        "easy" => Some(false),
        _ => None,
    }
}

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
