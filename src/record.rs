//! Records, their source references and the schema they follow.
//!
//! A [`Record`] is what one source system knows about one person at one time:
//! a [`SourceRef`] (system name and that system's own id), an optional
//! observation time, and one optional value per field of a [`Schema`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a field holds; the kind picks default normalization, blocking and comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FieldKind {
    /// A first name ("Jean-Pierre", "Bill").
    GivenName,
    /// A family name ("de La Fontaine", "O'Brien").
    Surname,
    /// A whole name in one field ("Dr Jean Dupont").
    FullName,
    /// An email address.
    Email,
    /// A telephone number, normalized to E.164.
    Phone,
    /// A calendar date, typically of birth, normalized to ISO `YYYY-MM-DD`.
    Date,
    /// A postal code.
    Postcode,
    /// A city, town or suburb.
    City,
    /// A street address line.
    Address,
    /// An identifier: national id, loyalty card, customer number.
    Identifier,
    /// A small closed set of values: gender, state, country.
    Category,
    /// Anything else, compared as folded text.
    Text,
}

impl FieldKind {
    /// Every kind, in declaration order.
    ///
    /// ```
    /// use personlink::FieldKind;
    /// assert!(FieldKind::ALL.contains(&FieldKind::Email));
    /// assert!(FieldKind::ALL.iter().filter(|k| k.is_name()).count() == 3);
    /// ```
    pub const ALL: [FieldKind; 12] = [
        FieldKind::GivenName,
        FieldKind::Surname,
        FieldKind::FullName,
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::Date,
        FieldKind::Postcode,
        FieldKind::City,
        FieldKind::Address,
        FieldKind::Identifier,
        FieldKind::Category,
        FieldKind::Text,
    ];

    /// True for the kinds that hold a person's name.
    pub fn is_name(self) -> bool {
        matches!(self, FieldKind::GivenName | FieldKind::Surname | FieldKind::FullName)
    }
}

/// The position of a field in a [`Schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FieldId(u16);

impl FieldId {
    /// The field's position as an index.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One named field of a schema.
///
/// `fallback` names other fields a missing value is read from: when the
/// field's own raw value is missing or normalizes to nothing, the trailing
/// token of the first fallback field holding at least two tokens that the
/// field's chain turns into a value gives it. The person profile's
/// `generation` field falls back on `surname`, then `given_name`, so
/// `Archer Jr` in the surname field gives generation `2` when no suffix
/// column is filled. In JSON:
/// `{"name": "generation", "kind": "category", "fallback": ["surname"]}`
/// (`fallback` may be left out).
///
/// ```
/// use personlink::{FieldDef, FieldKind, Schema};
/// let def: FieldDef = serde_json::from_str(
///     r#"{"name": "generation", "kind": "category", "fallback": ["surname"]}"#,
/// ).unwrap();
/// assert_eq!(def.fallback, ["surname"]);
/// // A fallback must name another field of the schema.
/// assert!(Schema::new(vec![def.clone()]).is_err());
/// let surname = FieldDef { name: "surname".into(), kind: FieldKind::Surname, fallback: vec![] };
/// assert!(Schema::new(vec![surname, def]).is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The field's name, unique within the schema.
    pub name: String,
    /// What the field holds.
    pub kind: FieldKind,
    /// Fields whose trailing token fills this one when it is missing, in
    /// order (default none; left out of the JSON when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<String>,
}

/// The ordered, named fields every record of a run follows.
///
/// ```
/// use personlink::{FieldKind, Schema};
///
/// let schema = Schema::builder()
///     .field("given_name", FieldKind::GivenName)
///     .field("surname", FieldKind::Surname)
///     .build()?;
/// assert_eq!(schema.len(), 2);
/// assert_eq!(schema.field_id("surname").map(|f| f.index()), Some(1));
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<FieldDef>", into = "Vec<FieldDef>")]
pub struct Schema {
    fields: Vec<FieldDef>,
}

/// The most fields a schema may hold.
pub const MAX_FIELDS: usize = 64;

impl Schema {
    /// Starts a schema builder.
    pub fn builder() -> SchemaBuilder {
        SchemaBuilder::default()
    }

    /// Builds a schema from field definitions.
    ///
    /// # Errors
    /// [`Error::DuplicateField`] when a name repeats, [`Error::Config`] when a name is
    /// empty, a fallback names the field itself or no field of the schema, or
    /// there are more than [`MAX_FIELDS`] fields.
    pub fn new(fields: Vec<FieldDef>) -> Result<Self> {
        if fields.len() > MAX_FIELDS {
            return Err(Error::config(
                "schema",
                format!("{} fields, at most {MAX_FIELDS} are allowed", fields.len()),
            ));
        }
        for (i, f) in fields.iter().enumerate() {
            if f.name.trim().is_empty() {
                return Err(Error::config(format!("schema[{i}].name"), "field name is empty"));
            }
            if fields[..i].iter().any(|g| g.name == f.name) {
                return Err(Error::DuplicateField { name: f.name.clone() });
            }
        }
        for (i, f) in fields.iter().enumerate() {
            for (k, other) in f.fallback.iter().enumerate() {
                let path = format!("schema[{i}].fallback[{k}]");
                if *other == f.name {
                    return Err(Error::config(path, "a field cannot fall back on itself"));
                }
                if !fields.iter().any(|g| g.name == *other) {
                    return Err(Error::config(path, format!("unknown field `{other}`")));
                }
            }
        }
        Ok(Schema { fields })
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the schema has no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The field definitions in order.
    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// The id of the field called `name`, if any.
    pub fn field_id(&self, name: &str) -> Option<FieldId> {
        // Schemas are small (tens of fields): a scan beats hashing here.
        self.fields.iter().position(|f| f.name == name).map(|i| FieldId(i as u16))
    }

    /// The id of the field called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownField`] when there is none.
    pub fn require(&self, name: &str) -> Result<FieldId> {
        self.field_id(name).ok_or_else(|| Error::UnknownField { name: name.to_owned() })
    }

    /// The definition of a field.
    ///
    /// # Panics
    /// When `id` does not come from this schema.
    pub fn field(&self, id: FieldId) -> &FieldDef {
        &self.fields[id.index()]
    }

    /// Ids of all fields, in order.
    pub fn ids(&self) -> impl Iterator<Item = FieldId> + '_ {
        (0..self.fields.len()).map(|i| FieldId(i as u16))
    }

    /// The ids of `def`'s fallback fields that this schema has, in order.
    pub fn fallback_ids<'a>(&'a self, def: &'a FieldDef) -> impl Iterator<Item = FieldId> + 'a {
        def.fallback.iter().filter_map(|f| self.field_id(f))
    }

    /// The schema of the fields named in `keep`, plus each field that falls
    /// back on a kept field (so a suffix field still reads the surname when
    /// no column fills it); fallbacks on fields left out are dropped.
    ///
    /// ```
    /// use personlink::profile;
    /// let schema = profile::person().schema.restricted(&["given_name", "surname"]);
    /// let names: Vec<&str> = schema.fields().iter().map(|f| f.name.as_str()).collect();
    /// assert_eq!(names, ["given_name", "surname", "generation"]);
    /// ```
    pub fn restricted(&self, keep: &[&str]) -> Schema {
        let kept = |f: &FieldDef| {
            keep.contains(&f.name.as_str()) || f.fallback.iter().any(|g| keep.contains(&g.as_str()))
        };
        let names: Vec<&str> =
            self.fields.iter().filter(|f| kept(f)).map(|f| f.name.as_str()).collect();
        let fields = self
            .fields
            .iter()
            .filter(|f| kept(f))
            .map(|f| {
                let mut f = f.clone();
                f.fallback.retain(|g| names.contains(&g.as_str()));
                f
            })
            .collect();
        Schema { fields }
    }
}

impl TryFrom<Vec<FieldDef>> for Schema {
    type Error = Error;
    fn try_from(fields: Vec<FieldDef>) -> Result<Self> {
        Schema::new(fields)
    }
}

impl From<Schema> for Vec<FieldDef> {
    fn from(schema: Schema) -> Self {
        schema.fields
    }
}

/// Builds a [`Schema`] field by field.
#[derive(Debug, Default, Clone)]
pub struct SchemaBuilder {
    fields: Vec<FieldDef>,
}

impl SchemaBuilder {
    /// Appends a field.
    pub fn field(mut self, name: impl Into<String>, kind: FieldKind) -> Self {
        self.fields.push(FieldDef { name: name.into(), kind, fallback: Vec::new() });
        self
    }

    /// Sets the fallback fields of the last field appended (see
    /// [`FieldDef::fallback`]); does nothing before the first field.
    pub fn fallback<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        if let Some(last) = self.fields.last_mut() {
            last.fallback = fields.into_iter().map(Into::into).collect();
        }
        self
    }

    /// Validates and returns the schema.
    ///
    /// # Errors
    /// As [`Schema::new`].
    pub fn build(self) -> Result<Schema> {
        Schema::new(self.fields)
    }
}

/// Where a record comes from: the source system's name and its own id there.
///
/// ```
/// use personlink::SourceRef;
/// let r = SourceRef::new("crm", "C-1042");
/// assert_eq!(r.to_string(), "crm:C-1042");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The source system ("web", "shop", "crm").
    pub system: String,
    /// The record's id in that system.
    pub id: String,
}

impl SourceRef {
    /// Makes a source reference.
    pub fn new(system: impl Into<String>, id: impl Into<String>) -> Self {
        SourceRef { system: system.into(), id: id.into() }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.system, self.id)
    }
}

/// What one source system knows about one person at one time.
///
/// Values are raw, as the source gave them; normalization happens when the
/// record enters a pipeline. A missing value is `None`; an empty or blank
/// string is treated as missing too.
///
/// ```
/// use personlink::{FieldKind, Record, Schema, SourceRef};
///
/// let schema = Schema::builder()
///     .field("given_name", FieldKind::GivenName)
///     .field("surname", FieldKind::Surname)
///     .build()?;
/// let rec = Record::builder(&schema, SourceRef::new("web", "42"))
///     .set("surname", "Lefèvre")?
///     .observed_at(1_700_000_000)
///     .build();
/// assert_eq!(rec.value(&schema, "surname")?, Some("Lefèvre"));
/// assert_eq!(rec.value(&schema, "given_name")?, None);
/// assert!(Record::builder(&schema, SourceRef::new("web", "43")).set("nickname", "JB").is_err());
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    source: SourceRef,
    observed_at: Option<i64>,
    values: Vec<Option<String>>,
}

impl Record {
    /// Starts building a record for `schema`, with every field missing.
    pub fn builder<'s>(schema: &'s Schema, source: SourceRef) -> RecordBuilder<'s> {
        RecordBuilder {
            schema,
            record: Record { source, observed_at: None, values: vec![None; schema.len()] },
        }
    }

    /// Makes a record from one value per schema field, in schema order.
    ///
    /// # Errors
    /// [`Error::Arity`] when `values.len()` differs from the schema's field count.
    pub fn from_values(
        schema: &Schema,
        source: SourceRef,
        values: Vec<Option<String>>,
    ) -> Result<Self> {
        if values.len() != schema.len() {
            return Err(Error::Arity {
                source_ref: source.to_string(),
                expected: schema.len(),
                found: values.len(),
            });
        }
        Ok(Record { source, observed_at: None, values })
    }

    /// A record from its parts, for stores that already checked the arity.
    pub(crate) fn from_parts(
        source: SourceRef,
        observed_at: Option<i64>,
        values: Vec<Option<String>>,
    ) -> Self {
        Record { source, observed_at, values }
    }

    /// Sets the observation time (seconds since the Unix epoch, or any
    /// monotonic clock the host uses consistently).
    pub fn with_observed_at(mut self, at: Option<i64>) -> Self {
        self.observed_at = at;
        self
    }

    /// Where the record comes from.
    pub fn source(&self) -> &SourceRef {
        &self.source
    }

    /// When the source observed it, if known.
    pub fn observed_at(&self) -> Option<i64> {
        self.observed_at
    }

    /// The raw values, one per schema field.
    pub fn values(&self) -> &[Option<String>] {
        &self.values
    }

    /// The raw value of a field, by id. Blank strings read as `None`.
    pub fn get(&self, field: FieldId) -> Option<&str> {
        self.values.get(field.index()).and_then(|v| v.as_deref()).filter(|v| !v.trim().is_empty())
    }

    /// The raw value of a field, by name.
    ///
    /// # Errors
    /// [`Error::UnknownField`] when the schema has no such field.
    pub fn value(&self, schema: &Schema, name: &str) -> Result<Option<&str>> {
        Ok(self.get(schema.require(name)?))
    }

    /// Number of values (equals the schema's field count).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the record has no value slot at all (an empty schema).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Builds a [`Record`] field by field, checking names against the schema.
#[derive(Debug)]
pub struct RecordBuilder<'s> {
    schema: &'s Schema,
    record: Record,
}

impl RecordBuilder<'_> {
    /// Sets a field's raw value.
    ///
    /// # Errors
    /// [`Error::UnknownField`] when the schema has no field called `name`.
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Result<Self> {
        let id = self.schema.require(name)?;
        self.record.values[id.index()] = Some(value.into());
        Ok(self)
    }

    /// Sets a field's raw value when `value` is `Some`.
    ///
    /// # Errors
    /// [`Error::UnknownField`] when the schema has no field called `name`.
    pub fn set_opt(self, name: &str, value: Option<impl Into<String>>) -> Result<Self> {
        match value {
            Some(v) => self.set(name, v),
            None => {
                self.schema.require(name)?;
                Ok(self)
            }
        }
    }

    /// Sets the observation time.
    pub fn observed_at(mut self, at: i64) -> Self {
        self.record.observed_at = Some(at);
        self
    }

    /// Returns the record.
    pub fn build(self) -> Record {
        self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::builder()
            .field("given_name", FieldKind::GivenName)
            .field("email", FieldKind::Email)
            .build()
            .unwrap()
    }

    #[test]
    fn duplicate_field_is_rejected() {
        let err = Schema::builder()
            .field("a", FieldKind::Text)
            .field("a", FieldKind::Email)
            .build()
            .unwrap_err();
        assert_eq!(err, Error::DuplicateField { name: "a".into() });
    }

    #[test]
    fn wrong_arity_is_a_typed_error() {
        let err = Record::from_values(&schema(), SourceRef::new("s", "1"), vec![None]).unwrap_err();
        assert!(matches!(err, Error::Arity { expected: 2, found: 1, .. }), "{err}");
    }

    #[test]
    fn unknown_field_is_a_typed_error() {
        let s = schema();
        let err = Record::builder(&s, SourceRef::new("s", "1")).set("phone", "1");
        assert_eq!(err.unwrap_err(), Error::UnknownField { name: "phone".into() });
    }

    #[test]
    fn blank_values_read_as_missing() {
        let s = schema();
        let r = Record::builder(&s, SourceRef::new("s", "1")).set("email", "  ").unwrap().build();
        assert_eq!(r.value(&s, "email").unwrap(), None);
    }

    #[test]
    fn schema_serde_rejects_duplicates() {
        let json = r#"[{"name":"a","kind":"email"},{"name":"a","kind":"phone"}]"#;
        let parsed: std::result::Result<Schema, _> = serde_json::from_str(json);
        assert!(parsed.is_err());
    }

    #[test]
    fn fallbacks_must_name_another_field() {
        let def = |name: &str, fallback: &[&str]| FieldDef {
            name: name.into(),
            kind: FieldKind::Category,
            fallback: fallback.iter().map(|f| (*f).to_owned()).collect(),
        };
        let err = Schema::new(vec![def("a", &[]), def("b", &["a", "c"])]).unwrap_err();
        assert!(
            matches!(&err, Error::Config { path, reason } if path == "schema[1].fallback[1]" && reason.contains("`c`")),
            "{err}"
        );
        let err = Schema::new(vec![def("a", &["a"])]).unwrap_err();
        assert!(matches!(&err, Error::Config { path, .. } if path == "schema[0].fallback[0]"));
        let ok = Schema::new(vec![def("a", &[]), def("b", &["a"])]).unwrap();
        let ids: Vec<usize> = ok.fallback_ids(&ok.fields()[1]).map(FieldId::index).collect();
        assert_eq!(ids, [0]);
        // Serde: `fallback` is optional and left out when empty.
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(
            json,
            r#"[{"name":"a","kind":"category"},{"name":"b","kind":"category","fallback":["a"]}]"#
        );
        assert_eq!(serde_json::from_str::<Schema>(&json).unwrap(), ok);
        assert!(serde_json::from_str::<Schema>(
            r#"[{"name":"a","kind":"category","fallback":["z"]}]"#
        )
        .is_err());
    }

    #[test]
    fn restricting_keeps_the_fields_that_fall_back_on_kept_ones() {
        let schema = Schema::builder()
            .field("given_name", FieldKind::GivenName)
            .field("surname", FieldKind::Surname)
            .field("generation", FieldKind::Category)
            .fallback(["surname", "given_name"])
            .build()
            .unwrap();
        let names = |s: &Schema| s.fields().iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        let kept = schema.restricted(&["surname"]);
        assert_eq!(names(&kept), ["surname", "generation"]);
        assert_eq!(kept.fields()[1].fallback, ["surname"]);
        assert_eq!(names(&schema.restricted(&["generation"])), ["generation"]);
        assert!(schema.restricted(&["generation"]).fields()[0].fallback.is_empty());
        assert!(schema.restricted(&[]).is_empty());
    }
}
