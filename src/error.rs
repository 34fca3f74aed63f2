//! The crate's one error type.

/// Everything that can go wrong in personlink.
///
/// Messages are lowercase and say what and where. A merge refused by a
/// must-not-link rule is *not* an error: it is an ordinary outcome reported in
/// the batch result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A record or configuration names a field the schema does not have.
    #[error("unknown field `{name}`")]
    UnknownField {
        /// The name that was looked up.
        name: String,
    },
    /// A record was built with a number of values different from the schema's field count.
    #[error("record {source_ref} has {found} values but the schema has {expected} fields")]
    Arity {
        /// The record's source reference, rendered as `system:id`.
        source_ref: String,
        /// Number of fields in the schema.
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// The same field name appears twice in a schema.
    #[error("duplicate field `{name}` in schema")]
    DuplicateField {
        /// The repeated name.
        name: String,
    },
    /// Two records in one batch carry the same source reference.
    #[error(
        "duplicate source reference {source_ref} in input (record {first} and record {second})"
    )]
    DuplicateSource {
        /// The repeated reference, rendered as `system:id`.
        source_ref: String,
        /// Position of the first record carrying it.
        first: usize,
        /// Position of the second record carrying it.
        second: usize,
    },
    /// A source reference names no record of the input.
    #[error("no record with source reference {source_ref} in the input")]
    UnknownSource {
        /// The reference, rendered as `system:id`.
        source_ref: String,
    },
    /// A configuration entry is invalid; `path` names the offending entry.
    #[error("invalid configuration at `{path}`: {reason}")]
    Config {
        /// Where in the configuration the problem is, e.g. `comparisons[2].levels[1].min`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A trained or supplied model does not fit the configuration or the data.
    #[error("invalid model at `{path}`: {reason}")]
    Model {
        /// Where in the model the problem is.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Training produced a model that does not validate (a defect to report:
    /// training clamps every probability, so this should not happen).
    #[error("training produced an invalid model")]
    Training {
        /// Why the model is invalid.
        #[source]
        source: Box<Error>,
    },
    /// A resolver snapshot does not fit its records or its configuration.
    #[error("invalid snapshot at `{path}`: {reason}")]
    Snapshot {
        /// Where in the snapshot the problem is, e.g. `links[3]`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A call's argument cannot be used, whatever the configuration.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument {
        /// The argument.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The input exceeds what a run or a resolver can hold.
    #[error("too many records: {reason}")]
    Capacity {
        /// What limit was reached.
        reason: String,
    },
}

impl Error {
    /// Shorthand for a [`Error::Config`] naming `path`.
    pub(crate) fn config(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Config { path: path.into(), reason: reason.into() }
    }

    /// Shorthand for a [`Error::Snapshot`] naming `path`.
    pub(crate) fn snapshot(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Snapshot { path: path.into(), reason: reason.into() }
    }

    /// Shorthand for an [`Error::InvalidArgument`] naming `name`.
    pub(crate) fn argument(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument { name: name.into(), reason: reason.into() }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_send_sync::<Error>();
    }

    #[test]
    fn an_invalid_trained_model_keeps_the_model_error_as_its_source() {
        use std::error::Error as _;
        let inner = Error::Model { path: "prior".into(), reason: "2 is not a probability".into() };
        let e = Error::Training { source: Box::new(inner.clone()) };
        assert_eq!(e.to_string(), "training produced an invalid model");
        assert_eq!(e.source().map(ToString::to_string), Some(inner.to_string()));
    }

    #[test]
    fn config_error_names_the_entry() {
        let e = Error::config("policy.match_threshold", "must be finite");
        assert_eq!(
            e.to_string(),
            "invalid configuration at `policy.match_threshold`: must be finite"
        );
    }
}
