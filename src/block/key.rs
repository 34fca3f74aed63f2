//! Key transforms: how a field's prepared value becomes part of a blocking key.
//!
//! Everything about one transform lives here: its variant of
//! [`KeyTransform`], its checks when a rule is compiled (and the prepared
//! features it reads), and the one function that writes it, [`write_part`].
//! That function serves both renderings of a key: the hashed form used for
//! blocking and the readable text shown in reports, so the two cannot
//! disagree.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::KeyPart;
use crate::error::{Error, Result};
use crate::normalize::first_token;
use crate::phonetic::{PhoneticAlgorithm, PhoneticEncoder};
use crate::prepare::{FieldFeatures, Prepared};
use crate::record::{FieldKind, Schema};

/// How a field's normalized value becomes part of a blocking key.
///
/// In JSON each transform is an object tagged by `type` in snake case;
/// unknown keys are rejected, on transforms without knobs too:
///
/// ```
/// use personlink::block::KeyTransform;
///
/// let t: KeyTransform = serde_json::from_str(r#"{"type": "prefix", "len": 3}"#).unwrap();
/// assert_eq!(t, KeyTransform::Prefix { len: 3 });
/// assert_eq!(serde_json::to_string(&KeyTransform::Exact).unwrap(), r#"{"type":"exact"}"#);
/// let typo = serde_json::from_str::<KeyTransform>(r#"{"type": "exact", "len": 1}"#).unwrap_err();
/// assert!(typo.to_string().contains("unknown field `len`"), "{typo}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields, from = "TransformRepr")]
#[non_exhaustive]
pub enum KeyTransform {
    /// The whole normalized value.
    #[default]
    Exact,
    /// The first `len` characters.
    Prefix {
        /// Number of characters.
        len: usize,
    },
    /// The last `len` characters.
    Suffix {
        /// Number of characters.
        len: usize,
    },
    /// A phonetic code of the value.
    Phonetic {
        /// The encoder.
        algorithm: PhoneticAlgorithm,
    },
    /// The year of a date.
    Year,
    /// The month and day of a date (catches a wrong year).
    MonthDay,
    /// The first letter of every token ("jean pierre" → "jp").
    Initials,
    /// The tokens in sorted order (catches swapped word order).
    SortedTokens,
    /// The first token.
    FirstToken,
    /// The last token: with [`KeyTransform::FirstToken`] in another rule, a
    /// field holding a sorted list of values (several email addresses) meets
    /// a record holding its first or its last value.
    LastToken,
    /// The digits only (phone numbers, postcodes, ids).
    Digits,
}

/// What [`KeyTransform`] deserializes from: the same shape, with the
/// transforms without knobs written as empty struct variants, so that
/// `deny_unknown_fields` rejects `{"type": "exact", "len": 1}` too (serde
/// ignores extra keys on unit variants of internally tagged enums).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum TransformRepr {
    Exact {},
    Prefix { len: usize },
    Suffix { len: usize },
    Phonetic { algorithm: PhoneticAlgorithm },
    Year {},
    MonthDay {},
    Initials {},
    SortedTokens {},
    FirstToken {},
    LastToken {},
    Digits {},
}

impl From<TransformRepr> for KeyTransform {
    fn from(repr: TransformRepr) -> Self {
        use TransformRepr as R;
        match repr {
            R::Exact {} => KeyTransform::Exact,
            R::Prefix { len } => KeyTransform::Prefix { len },
            R::Suffix { len } => KeyTransform::Suffix { len },
            R::Phonetic { algorithm } => KeyTransform::Phonetic { algorithm },
            R::Year {} => KeyTransform::Year,
            R::MonthDay {} => KeyTransform::MonthDay,
            R::Initials {} => KeyTransform::Initials,
            R::SortedTokens {} => KeyTransform::SortedTokens,
            R::FirstToken {} => KeyTransform::FirstToken,
            R::LastToken {} => KeyTransform::LastToken,
            R::Digits {} => KeyTransform::Digits,
        }
    }
}

/// A key part validated against a schema.
#[derive(Debug, Clone)]
pub(super) struct CompiledPart {
    field: usize,
    transform: KeyTransform,
    /// The phonetic code slot, for [`KeyTransform::Phonetic`].
    slot: usize,
}

impl CompiledPart {
    /// Validates `part` (at config path `path`) and records the features it reads.
    pub(super) fn compile(
        part: &KeyPart,
        schema: &Schema,
        features: &mut [FieldFeatures],
        path: &str,
    ) -> Result<Self> {
        let field = schema
            .field_id(&part.field)
            .ok_or_else(|| {
                Error::config(format!("{path}.field"), format!("unknown field `{}`", part.field))
            })?
            .index();
        let mut slot = 0;
        match &part.transform {
            KeyTransform::Prefix { len } | KeyTransform::Suffix { len } if *len == 0 => {
                return Err(Error::config(format!("{path}.transform.len"), "must be at least 1"));
            }
            KeyTransform::Year | KeyTransform::MonthDay => {
                if schema.fields()[field].kind != FieldKind::Date {
                    return Err(Error::config(
                        format!("{path}.transform"),
                        format!("field `{}` is not a date", part.field),
                    ));
                }
                features[field].date = true;
            }
            KeyTransform::Phonetic { algorithm } => {
                slot = features[field].phonetic_slot(*algorithm);
            }
            KeyTransform::Exact
            | KeyTransform::Prefix { .. }
            | KeyTransform::Suffix { .. }
            | KeyTransform::Initials
            | KeyTransform::SortedTokens
            | KeyTransform::FirstToken
            | KeyTransform::LastToken
            | KeyTransform::Digits => {}
        }
        Ok(CompiledPart { field, transform: part.transform.clone(), slot })
    }

    /// Writes this part of record `i`'s key (nothing when the record has none).
    #[inline]
    pub(super) fn write(&self, p: &Prepared, i: usize, sink: &mut impl KeySink) {
        write_part(&self.transform, p, self.field, self.slot, i, sink);
    }
}

/// Where a key part goes: the bytes that are hashed, or the text of a report.
pub(super) trait KeySink {
    /// A piece of the field's text.
    fn text(&mut self, s: &str);
    /// A phonetic code (0: none) of `value` under `algorithm`.
    fn phonetic(&mut self, code: u64, algorithm: PhoneticAlgorithm, value: &str);
    /// A year.
    fn year(&mut self, year: i32);
    /// A month and day.
    fn month_day(&mut self, month: u8, day: u8);
}

/// Writes what `transform` takes from field `field` of record `i` into `sink`.
#[inline]
fn write_part(
    transform: &KeyTransform,
    p: &Prepared,
    field: usize,
    slot: usize,
    i: usize,
    sink: &mut impl KeySink,
) {
    let col = p.column(field);
    let text = col.text(i);
    match *transform {
        KeyTransform::Exact => sink.text(text),
        KeyTransform::Prefix { len } => {
            let end = text.char_indices().nth(len).map_or(text.len(), |(b, _)| b);
            sink.text(&text[..end]);
        }
        KeyTransform::Suffix { len } => {
            let n = text.chars().count();
            let start = text.char_indices().nth(n.saturating_sub(len)).map_or(0, |(b, _)| b);
            sink.text(&text[start..]);
        }
        KeyTransform::Phonetic { algorithm } => sink.phonetic(col.code(i, slot), algorithm, text),
        KeyTransform::Year => {
            if let Some(d) = col.date(i) {
                sink.year(d.year);
            }
        }
        KeyTransform::MonthDay => {
            if let Some(d) = col.date(i) {
                sink.month_day(d.month, d.day);
            }
        }
        KeyTransform::Initials => {
            for c in text.split(' ').filter_map(|t| t.chars().next()) {
                sink.text(c.encode_utf8(&mut [0; 4]));
            }
        }
        KeyTransform::SortedTokens => {
            let mut tokens: SmallVec<[&str; 8]> =
                text.split(' ').filter(|t| !t.is_empty()).collect();
            tokens.sort_unstable();
            for (n, t) in tokens.iter().enumerate() {
                if n > 0 {
                    sink.text(" ");
                }
                sink.text(t);
            }
        }
        KeyTransform::FirstToken => sink.text(first_token(text)),
        KeyTransform::LastToken => sink.text(text.rsplit(' ').next().unwrap_or(text)),
        KeyTransform::Digits => {
            for d in text.matches(|c: char| c.is_ascii_digit()) {
                sink.text(d);
            }
        }
    }
}

/// The hashed form: raw bytes appended to a buffer.
pub(super) struct HashSink<'a>(pub(super) &'a mut Vec<u8>);

impl KeySink for HashSink<'_> {
    #[inline]
    fn text(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn phonetic(&mut self, code: u64, _: PhoneticAlgorithm, _: &str) {
        if code != 0 {
            self.0.extend_from_slice(&code.to_le_bytes());
        }
    }

    #[inline]
    fn year(&mut self, year: i32) {
        self.0.extend_from_slice(&year.to_le_bytes());
    }

    #[inline]
    fn month_day(&mut self, month: u8, day: u8) {
        self.0.extend_from_slice(&[month, day]);
    }
}

/// The readable form: text, with phonetic codes spelled out.
pub(super) struct TextSink<'a> {
    pub(super) out: String,
    pub(super) encoder: &'a PhoneticEncoder,
}

impl KeySink for TextSink<'_> {
    fn text(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn phonetic(&mut self, _: u64, algorithm: PhoneticAlgorithm, value: &str) {
        let mut code = String::new();
        self.encoder.encode(algorithm, value, &mut code);
        self.out.push_str(&code);
    }

    fn year(&mut self, year: i32) {
        self.out.push_str(&year.to_string());
    }

    fn month_day(&mut self, month: u8, day: u8) {
        self.out.push_str(&format!("{month:02}-{day:02}"));
    }
}
