//! Configuration files: a JSON object deep-merged over the default
//! configuration (the person profile), so a file holds only what it changes.
//!
//! Objects merge key by key; arrays, numbers, strings and booleans replace.
//! A file that gives a `schema` is a configuration of its own (as
//! `--print-config` writes it): it is read as it is, not merged, since the
//! default's entries for other fields would not fit its schema. Errors name
//! the key path (`policy.match_threshold: ...`).

use std::path::Path;

use personlink::Config;
use serde_json::Value;

/// A configuration read from a file, and what the file set.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// The default configuration with the file's values merged in.
    pub config: Config,
    /// The file gives the schema: the configuration is used as it is, not
    /// fitted to the columns present.
    pub sets_schema: bool,
    /// The file sets `policy.match_threshold`: it holds over the threshold
    /// training suggests.
    pub sets_threshold: bool,
}

/// Merges `over` into `base`: objects key by key, anything else replaces.
///
/// One exception: a threshold is one of two forms, `{"weight": W}` or
/// `{"probability": P}`, so one form replaces the other rather than merging
/// into an object with both keys.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) if is_other_choice(b, &o) => {
            *b = o;
        }
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(slot) => merge(slot, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// True when `base` and `over` are thresholds of different forms.
fn is_other_choice(
    base: &serde_json::Map<String, Value>,
    over: &serde_json::Map<String, Value>,
) -> bool {
    let form = |m: &serde_json::Map<String, Value>| match m.keys().next() {
        Some(k) if m.len() == 1 && (k == "weight" || k == "probability") => Some(k.clone()),
        _ => None,
    };
    matches!((form(base), form(over)), (Some(b), Some(o)) if b != o)
}

/// The default configuration with the JSON object `text` merged over it (or
/// `text` alone when it gives a schema), deserialized and validated.
///
/// # Errors
/// A one-line message: the text is not JSON or not an object, a value does
/// not fit (prefixed by its key path), or the merged configuration is invalid.
pub fn from_override(text: &str) -> Result<ConfigFile, String> {
    let over: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(fields) = &over else {
        return Err("invalid configuration: expected a JSON object (the configuration, or the parts of it to change)".to_owned());
    };
    let sets_schema = fields.contains_key("schema");
    let sets_threshold = fields
        .get("policy")
        .and_then(Value::as_object)
        .is_some_and(|p| p.contains_key("match_threshold"));
    let merged = if sets_schema {
        over
    } else {
        let mut merged = serde_json::to_value(Config::person_default())
            .map_err(|e| format!("cannot encode the default configuration: {e}"))?;
        merge(&mut merged, over);
        merged
    };
    let config: Config = serde_path_to_error::deserialize(merged).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            format!("invalid configuration: {inner}")
        } else {
            format!("invalid configuration: {path}: {inner}")
        }
    })?;
    config.validate().map_err(|e| e.to_string())?;
    Ok(ConfigFile { config, sets_schema, sets_threshold })
}

/// Reads `path` and merges it over the default configuration ([`from_override`]).
///
/// # Errors
/// A one-line message naming the file.
pub fn load(path: &Path) -> Result<ConfigFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    from_override(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The configuration as pretty JSON, as `--print-config` writes it.
///
/// # Errors
/// A one-line message if it cannot be encoded.
pub fn to_pretty_json(config: &Config) -> Result<String, String> {
    serde_json::to_string_pretty(config)
        .map_err(|e| format!("cannot encode the configuration: {e}"))
}
