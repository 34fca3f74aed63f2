//! Maps CSV columns onto schema fields by name.
//!
//! Names are compared after [`normalize_name`]: lowercase, accents folded,
//! everything but letters and digits dropped, so `Date de naissance`,
//! `date_de_naissance` and `DATE-DE-NAISSANCE` are one name. A column maps onto
//! a field when its name is the field's name or, for the fields of the person
//! profile, one of the English or French column aliases the profile lists
//! ([`personlink::profile::Profile::aliases`]). The id, source and truth
//! columns are never matched on.

use std::fmt;

use personlink::{profile, Schema};

/// The default id columns, tried in order.
pub const DEFAULT_ID_COLUMNS: &[&str] = &["rec_id", "id"];

/// Folds a column name for comparison: lowercase, common Latin accents removed,
/// only letters and digits kept (`"Prénom"` → `"prenom"`, `"e-mail"` → `"email"`).
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
            'ý' | 'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            // Spaces, underscores, hyphens, punctuation and combining accents.
            _ => continue,
        };
        out.push_str(folded);
    }
    out
}

/// The index of the column called `name`: an exact match first, else the first
/// column whose [`normalize_name`] equals `name`'s.
pub fn find_column(headers: &[String], name: &str) -> Option<usize> {
    if let Some(i) = headers.iter().position(|h| h == name) {
        return Some(i);
    }
    let wanted = normalize_name(name);
    if wanted.is_empty() {
        return None;
    }
    headers.iter().position(|h| normalize_name(h) == wanted)
}

/// Which columns hold the id, the source system and the truth, when the user named them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MappingOptions<'a> {
    /// The id column (`None`: [`DEFAULT_ID_COLUMNS`]).
    pub id_column: Option<&'a str>,
    /// The truth column, if any.
    pub truth_column: Option<&'a str>,
    /// The source-system column, if any.
    pub source_column: Option<&'a str>,
}

/// A column of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its position, from 0.
    pub index: usize,
    /// Its name as the header spells it.
    pub header: String,
}

/// A column that maps onto a schema field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedColumn {
    /// The column.
    pub column: Column,
    /// The schema field it fills.
    pub field: String,
}

/// Why a column is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreReason {
    /// No schema field has its name or an alias of it.
    NoField,
    /// Its field is already filled by an earlier (or exactly named) column.
    FieldTaken {
        /// The field.
        field: String,
        /// The column that fills it.
        by: String,
    },
}

/// A column that is not matched on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredColumn {
    /// The column.
    pub column: Column,
    /// Why.
    pub reason: IgnoreReason,
}

/// How one file's columns are used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The column holding each record's id.
    pub id: Column,
    /// The column holding the true entity, if asked for.
    pub truth: Option<Column>,
    /// The column holding each record's source system, if asked for.
    pub source: Option<Column>,
    /// The columns matched on, in column order.
    pub fields: Vec<MappedColumn>,
    /// The other columns, in column order.
    pub ignored: Vec<IgnoredColumn>,
}

impl ColumnMapping {
    /// The schema fields some column fills, in column order.
    pub fn present_fields(&self) -> Vec<&str> {
        self.fields.iter().map(|m| m.field.as_str()).collect()
    }

    /// A human-readable account of the mapping, one line per item.
    pub fn report(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let used: Vec<String> = self
            .fields
            .iter()
            .map(|m| {
                if m.column.header == m.field {
                    m.field.clone()
                } else {
                    format!("{} -> {}", m.column.header, m.field)
                }
            })
            .collect();
        let noun = if used.len() == 1 { "column" } else { "columns" };
        lines.push(format!("matching on {} {noun}: {}", used.len(), used.join(", ")));
        lines.push(format!("id column: {} (not matched on)", self.id.header));
        if let Some(t) = &self.truth {
            lines.push(format!("truth column: {} (not matched on)", t.header));
        }
        if let Some(s) = &self.source {
            lines.push(format!("source column: {} (not matched on)", s.header));
        }
        if !self.ignored.is_empty() {
            let ignored: Vec<String> = self
                .ignored
                .iter()
                .map(|c| match &c.reason {
                    IgnoreReason::NoField => c.column.header.clone(),
                    IgnoreReason::FieldTaken { field, by } => {
                        format!("{} ({field} comes from {by})", c.column.header)
                    }
                })
                .collect();
            lines.push(format!("ignored columns: {}", ignored.join(", ")));
        }
        lines
    }
}

/// Why a header cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnError {
    /// The id column is not in the header.
    MissingId {
        /// The name asked for with `--id-column`, or `None` for the defaults.
        wanted: Option<String>,
        /// The header's columns.
        headers: Vec<String>,
    },
    /// The source column is not in the header.
    MissingSource {
        /// The name asked for.
        wanted: String,
        /// The header's columns.
        headers: Vec<String>,
    },
    /// The truth column is not in the header.
    MissingTruth {
        /// The name asked for.
        wanted: String,
        /// The header's columns.
        headers: Vec<String>,
    },
    /// No column maps onto any schema field.
    NoneMapped {
        /// The header's columns.
        headers: Vec<String>,
    },
}

/// Lists column names on one line, at most 20 of them.
fn list(headers: &[String]) -> String {
    let mut s = headers.iter().take(20).map(String::as_str).collect::<Vec<_>>().join(", ");
    if headers.len() > 20 {
        s.push_str(&format!(", ... ({} columns)", headers.len()));
    }
    s
}

impl fmt::Display for ColumnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnError::MissingId { wanted: Some(w), headers } => {
                write!(f, "no id column `{w}` in the header (columns: {})", list(headers))
            }
            ColumnError::MissingId { wanted: None, headers } => write!(
                f,
                "the header has no `rec_id` or `id` column; name the id column with --id-column (columns: {})",
                list(headers)
            ),
            ColumnError::MissingSource { wanted, headers } => {
                write!(f, "no source column `{wanted}` in the header (columns: {})", list(headers))
            }
            ColumnError::MissingTruth { wanted, headers } => {
                write!(f, "no truth column `{wanted}` in the header (columns: {})", list(headers))
            }
            ColumnError::NoneMapped { headers } => write!(
                f,
                "no column maps onto a schema field (columns: {}); name them e.g. given_name, surname, date_of_birth, or pass --config",
                list(headers)
            ),
        }
    }
}

impl std::error::Error for ColumnError {}

/// Maps the columns of `headers` onto the fields of `schema`.
///
/// A column maps onto the field whose normalized name equals its own (the best
/// match) or whose person-profile aliases ([`profile::person`]) list it, whatever
/// the schema (a `--config` schema keeps the aliases of the fields it shares
/// with the person profile). When several columns map onto one field, the best
/// match wins, then the leftmost; the others are ignored.
///
/// # Errors
/// [`ColumnError`] when the id, source or truth column is missing or no column maps.
pub fn map_columns(
    headers: &[String],
    schema: &Schema,
    options: MappingOptions<'_>,
) -> Result<ColumnMapping, ColumnError> {
    let id_index = match options.id_column {
        Some(name) => find_column(headers, name),
        None => DEFAULT_ID_COLUMNS.iter().find_map(|name| find_column(headers, name)),
    }
    .ok_or_else(|| ColumnError::MissingId {
        wanted: options.id_column.map(str::to_owned),
        headers: headers.to_vec(),
    })?;
    let truth_index = options
        .truth_column
        .map(|name| {
            find_column(headers, name).ok_or_else(|| ColumnError::MissingTruth {
                wanted: name.to_owned(),
                headers: headers.to_vec(),
            })
        })
        .transpose()?;
    let source_index = options
        .source_column
        .map(|name| {
            find_column(headers, name).ok_or_else(|| ColumnError::MissingSource {
                wanted: name.to_owned(),
                headers: headers.to_vec(),
            })
        })
        .transpose()?;
    let reserved = |c: usize| c == id_index || Some(c) == truth_index || Some(c) == source_index;

    // Per field: its own normalized name, then its aliases.
    let person = profile::person();
    let names: Vec<(String, Vec<String>)> = schema
        .fields()
        .iter()
        .map(|f| {
            let aliases = person.aliases_of(&f.name).iter().map(|s| normalize_name(s)).collect();
            (normalize_name(&f.name), aliases)
        })
        .collect();
    // Per column: the best (rank, field) it matches; rank 0 = the field's name, 1 = an alias.
    let wants: Vec<Option<(u8, usize)>> = headers
        .iter()
        .enumerate()
        .map(|(c, header)| {
            if reserved(c) {
                return None;
            }
            let n = normalize_name(header);
            if n.is_empty() {
                return None;
            }
            names
                .iter()
                .enumerate()
                .filter_map(|(fi, (own, aliases))| {
                    if *own == n {
                        Some((0, fi))
                    } else if aliases.contains(&n) {
                        Some((1, fi))
                    } else {
                        None
                    }
                })
                .min()
        })
        .collect();
    // Per field: the winning column, best rank then leftmost.
    let mut winner: Vec<Option<(u8, usize)>> = vec![None; names.len()];
    for (c, want) in wants.iter().enumerate() {
        if let Some((rank, fi)) = *want {
            if winner[fi].is_none_or(|best| (rank, c) < best) {
                winner[fi] = Some((rank, c));
            }
        }
    }

    let column = |c: usize| Column { index: c, header: headers[c].clone() };
    let mut fields = Vec::new();
    let mut ignored = Vec::new();
    for (c, want) in wants.iter().enumerate() {
        if reserved(c) {
            continue;
        }
        let field_name = |fi: usize| schema.fields()[fi].name.clone();
        match *want {
            Some((_, fi)) if winner[fi].map(|w| w.1) == Some(c) => {
                fields.push(MappedColumn { column: column(c), field: field_name(fi) });
            }
            Some((_, fi)) => {
                let by = winner[fi].map(|w| headers[w.1].clone()).unwrap_or_default();
                ignored.push(IgnoredColumn {
                    column: column(c),
                    reason: IgnoreReason::FieldTaken { field: field_name(fi), by },
                });
            }
            None => {
                ignored.push(IgnoredColumn { column: column(c), reason: IgnoreReason::NoField })
            }
        }
    }
    if fields.is_empty() {
        return Err(ColumnError::NoneMapped { headers: headers.to_vec() });
    }
    Ok(ColumnMapping {
        id: column(id_index),
        truth: truth_index.map(column),
        source: source_index.map(column),
        fields,
        ignored,
    })
}
