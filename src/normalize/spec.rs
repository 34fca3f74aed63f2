//! Serializable descriptions of normalization steps, and the default chains.

use serde::{Deserialize, Serialize};

use super::Placeholders;
use super::{
    AddressAbbreviations, CaseFold, CollapseWhitespace, CompoundNames, Country, DateNormalizer,
    DateOrder, DigitsOnly, EmailNormalizer, FoldAccents, Gender, Generation, Honorifics,
    IdentifierNormalizer, NameParticles, NativeNameOrder, Normalizer, PhoneNormalizer, PhoneParser,
    PostcodeNormalizer, StripPunctuation, Trim, DEFAULT_DATE_PIVOT, DEFAULT_IGNORE_DOTS_PROVIDERS,
    MAX_YEAR, MIN_YEAR,
};
use crate::error::{Error, Result};
use crate::record::FieldKind;

/// Serializable description of one normalization step.
///
/// In JSON each step is an object tagged by `type` in snake case; optional knobs
/// take their defaults when left out, and unknown keys are rejected.
///
/// ```
/// use personlink::normalize::{Country, Normalizer, NormalizerSpec, Pipeline};
///
/// let specs: Vec<NormalizerSpec> = serde_json::from_str(
///     r#"[{"type": "trim"}, {"type": "phone", "default_country": "GB"}]"#,
/// ).unwrap();
/// assert_eq!(specs[1], NormalizerSpec::phone(Country::Gb));
///
/// let phone = specs[1].build("fields.phone.normalizers[1]")?;
/// let mut out = String::new();
/// phone.normalize("020 7946 0958", &mut out);
/// assert_eq!(out, "+442079460958");
///
/// let pipeline = Pipeline::from_specs(&specs, "fields.phone.normalizers")?;
/// assert_eq!(pipeline.normalize_to_string(" 020 7946 0958 "), "+442079460958");
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields, from = "SpecRepr")]
#[non_exhaustive]
pub enum NormalizerSpec {
    /// [`Trim`]: remove leading and trailing whitespace.
    Trim,
    /// [`CollapseWhitespace`]: whitespace runs become one space; ends trimmed.
    CollapseWhitespace,
    /// [`CaseFold`]: Unicode lowercase.
    CaseFold,
    /// [`FoldAccents`]: fold to ASCII, keeping case.
    FoldAccents,
    /// [`StripPunctuation`]: drop apostrophes, other punctuation separates tokens.
    StripPunctuation,
    /// [`Honorifics`]: strip leading titles and trailing `Jr`/`Sr`/`II`/`III`.
    Honorifics,
    /// [`NameParticles`]: glue `de`, `van`, `d`, `o`, ... to the next token.
    NameParticles,
    /// [`CompoundNames`]: hyphenated names become space-separated tokens.
    CompoundNames,
    /// [`AddressAbbreviations`]: expand street-type abbreviations.
    AddressAbbreviations,
    /// [`EmailNormalizer`]: canonical email address, or missing.
    Email {
        /// Domains whose mailboxes ignore dots in the local part
        /// (default `gmail.com`, `googlemail.com`).
        #[serde(default = "default_ignore_dots_providers")]
        ignore_dots_providers: Vec<String>,
        /// Drop the local part after its first `+` (default `true`).
        #[serde(default = "default_true")]
        strip_plus_tags: bool,
    },
    /// [`PhoneNormalizer`]: E.164 phone number (extension dropped), the bare
    /// digits of a number no country fits, or missing.
    ///
    /// JSON: `{"type": "phone", "default_country": "US", "parser": "libphonenumber"}`,
    /// both knobs optional (`{"type": "phone"}` is France, built-in parser).
    Phone {
        /// Country national numbers are read in (default `FR`): any ISO
        /// 3166-1 alpha-2 code.
        #[serde(default)]
        default_country: Country,
        /// Which parser reads the numbers (default [`PhoneParser::Builtin`],
        /// left out of the JSON). [`PhoneParser::Libphonenumber`] is valid
        /// only in a build with the cargo feature `phonenumber`.
        #[serde(default, skip_serializing_if = "PhoneParser::is_builtin")]
        parser: PhoneParser,
    },
    /// [`DateNormalizer`]: ISO `YYYY-MM-DD` date, or missing.
    ///
    /// JSON: `{"type": "date", "order": "month_first", "pivot": 2025}`, both
    /// knobs optional (`{"type": "date"}` is day first, pivot 2029).
    Date {
        /// How numeric year-last dates are read (default `day_first`).
        #[serde(default)]
        order: DateOrder,
        /// Two-digit years become the latest year ending in those digits that
        /// is not after `pivot` (default [`DEFAULT_DATE_PIVOT`], 2029: `00`-`29`
        /// are 2000-2029, `30`-`99` 1930-1999); left out of the JSON when it is
        /// the default. Must lie in [`MIN_YEAR`]..=[`MAX_YEAR`].
        #[serde(default = "default_date_pivot", skip_serializing_if = "is_default_date_pivot")]
        pivot: u16,
    },
    /// [`PostcodeNormalizer`]: upper-case alphanumerics.
    Postcode,
    /// [`IdentifierNormalizer`]: upper-case alphanumerics.
    Identifier,
    /// [`DigitsOnly`]: ASCII digits only.
    DigitsOnly,
    /// [`Gender`]: `m` / `f` from English and French spellings.
    Gender,
    /// [`Generation`]: a generation suffix (`Jr`, `Sr`, `II`, `fils`, `père`)
    /// as the generation it names (`1` to `5`), or missing.
    Generation,
    /// [`NativeNameOrder`]: a name written in Chinese characters or Hangul
    /// without spaces is split into family name and given name (`李娜` →
    /// `李 娜`), given name first when `given_first` (`娜 李`, for a given-name
    /// field). JSON: `{"type": "native_name_order", "given_first": true}`.
    NativeNameOrder {
        /// Write the given name before the family name (default `false`).
        #[serde(default)]
        given_first: bool,
    },
    /// [`Placeholders`]: values meaning "unknown" (`test@test.com`,
    /// `0600000000`, `n/a`) become missing. In JSON:
    /// `{"type": "placeholders", "values": ["sans email"], "shape_rules": true}`.
    Placeholders {
        /// Values that count as missing, written as the chain's earlier steps
        /// output them, compared ignoring case (default
        /// [`Placeholders::default_values`]; `[]` for none).
        #[serde(default = "default_placeholder_values")]
        values: Vec<String>,
        /// Also apply the built-in shape rules: repeated or consecutive
        /// digits, a repeated letter, placeholder emails (default `true`).
        #[serde(default = "default_true")]
        shape_rules: bool,
    },
}

/// What [`NormalizerSpec`] deserializes from: the same shape, with the unit
/// variants written as empty struct variants so that serde's
/// `deny_unknown_fields` also rejects `{"type": "trim", "typo": 1}` (it ignores
/// extra keys on unit variants of internally tagged enums).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum SpecRepr {
    Trim {},
    CollapseWhitespace {},
    CaseFold {},
    FoldAccents {},
    StripPunctuation {},
    Honorifics {},
    NameParticles {},
    CompoundNames {},
    AddressAbbreviations {},
    Email {
        #[serde(default = "default_ignore_dots_providers")]
        ignore_dots_providers: Vec<String>,
        #[serde(default = "default_true")]
        strip_plus_tags: bool,
    },
    Phone {
        #[serde(default)]
        default_country: Country,
        #[serde(default)]
        parser: PhoneParser,
    },
    Date {
        #[serde(default)]
        order: DateOrder,
        #[serde(default = "default_date_pivot")]
        pivot: u16,
    },
    Postcode {},
    Identifier {},
    DigitsOnly {},
    Gender {},
    Generation {},
    NativeNameOrder {
        #[serde(default)]
        given_first: bool,
    },
    Placeholders {
        #[serde(default = "default_placeholder_values")]
        values: Vec<String>,
        #[serde(default = "default_true")]
        shape_rules: bool,
    },
}

impl From<SpecRepr> for NormalizerSpec {
    fn from(repr: SpecRepr) -> Self {
        use NormalizerSpec as S;
        match repr {
            SpecRepr::Trim {} => S::Trim,
            SpecRepr::CollapseWhitespace {} => S::CollapseWhitespace,
            SpecRepr::CaseFold {} => S::CaseFold,
            SpecRepr::FoldAccents {} => S::FoldAccents,
            SpecRepr::StripPunctuation {} => S::StripPunctuation,
            SpecRepr::Honorifics {} => S::Honorifics,
            SpecRepr::NameParticles {} => S::NameParticles,
            SpecRepr::CompoundNames {} => S::CompoundNames,
            SpecRepr::AddressAbbreviations {} => S::AddressAbbreviations,
            SpecRepr::Email { ignore_dots_providers, strip_plus_tags } => {
                S::Email { ignore_dots_providers, strip_plus_tags }
            }
            SpecRepr::Phone { default_country, parser } => S::Phone { default_country, parser },
            SpecRepr::Date { order, pivot } => S::Date { order, pivot },
            SpecRepr::Postcode {} => S::Postcode,
            SpecRepr::Identifier {} => S::Identifier,
            SpecRepr::DigitsOnly {} => S::DigitsOnly,
            SpecRepr::Gender {} => S::Gender,
            SpecRepr::Generation {} => S::Generation,
            SpecRepr::NativeNameOrder { given_first } => S::NativeNameOrder { given_first },
            SpecRepr::Placeholders { values, shape_rules } => {
                S::Placeholders { values, shape_rules }
            }
        }
    }
}

fn default_ignore_dots_providers() -> Vec<String> {
    DEFAULT_IGNORE_DOTS_PROVIDERS.iter().map(|p| (*p).to_owned()).collect()
}

fn default_placeholder_values() -> Vec<String> {
    Placeholders::default_values().iter().map(|v| (*v).to_owned()).collect()
}

fn default_true() -> bool {
    true
}

fn default_date_pivot() -> u16 {
    DEFAULT_DATE_PIVOT
}

fn is_default_date_pivot(pivot: &u16) -> bool {
    *pivot == DEFAULT_DATE_PIVOT
}

impl NormalizerSpec {
    /// The default [`NormalizerSpec::Email`]: dots ignored for gmail.com and
    /// googlemail.com, plus tags stripped.
    pub fn default_email() -> Self {
        NormalizerSpec::Email {
            ignore_dots_providers: default_ignore_dots_providers(),
            strip_plus_tags: true,
        }
    }

    /// A [`NormalizerSpec::Phone`] reading national numbers in
    /// `default_country` with the built-in parser.
    ///
    /// ```
    /// use personlink::normalize::{Country, NormalizerSpec, PhoneParser};
    ///
    /// let spec = NormalizerSpec::phone(Country::Us);
    /// assert_eq!(spec, NormalizerSpec::Phone { default_country: Country::Us, parser: PhoneParser::Builtin });
    /// assert_eq!(spec.build("phone")?.normalize_to_string("702-555-0143"), "+17025550143");
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn phone(default_country: Country) -> Self {
        NormalizerSpec::Phone { default_country, parser: PhoneParser::Builtin }
    }

    /// The default [`NormalizerSpec::Placeholders`]: the built-in values
    /// ([`Placeholders::default_values`]) and the shape rules.
    ///
    /// ```
    /// use personlink::normalize::{NormalizerSpec, Pipeline};
    ///
    /// let spec: NormalizerSpec = serde_json::from_str(r#"{"type": "placeholders"}"#).unwrap();
    /// assert_eq!(spec, NormalizerSpec::default_placeholders());
    /// let email = Pipeline::from_specs(&[NormalizerSpec::default_email(), spec], "email")?;
    /// assert_eq!(email.normalize_to_string("Test@Test.com"), "");
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn default_placeholders() -> Self {
        NormalizerSpec::Placeholders { values: default_placeholder_values(), shape_rules: true }
    }

    /// Builds the step.
    ///
    /// `path` is where this spec sits in the configuration (e.g.
    /// `fields.email.normalizers[0]`); it names the entry in errors.
    ///
    /// # Errors
    /// [`Error::Config`] at `path` when the spec is invalid: an email provider
    /// that is blank, contains `@` or whitespace, or has no dot; a blank
    /// placeholder value; a date pivot outside [`MIN_YEAR`]..=[`MAX_YEAR`]; the
    /// phone parser [`PhoneParser::Libphonenumber`] in a build without the cargo
    /// feature `phonenumber`.
    pub fn build(&self, path: &str) -> Result<Box<dyn Normalizer>> {
        self.validate(path)?;
        Ok(self.build_step())
    }

    /// Checks the spec's knobs.
    fn validate(&self, path: &str) -> Result<()> {
        if let NormalizerSpec::Phone { parser, .. } = self {
            if !parser.is_available() {
                return Err(Error::config(
                    path,
                    "parser `libphonenumber` needs personlink's cargo feature `phonenumber` \
                     (personlink = { features = [\"phonenumber\"] }); this build has the \
                     `builtin` parser only",
                ));
            }
        }
        if let NormalizerSpec::Date { pivot, .. } = self {
            if !(MIN_YEAR..=MAX_YEAR).contains(pivot) {
                return Err(Error::config(
                    path,
                    format!("pivot {pivot} is not a year in {MIN_YEAR}..={MAX_YEAR}"),
                ));
            }
        }
        if let NormalizerSpec::Email { ignore_dots_providers, .. } = self {
            for (i, p) in ignore_dots_providers.iter().enumerate() {
                let p = p.trim();
                let problem = if p.is_empty() {
                    Some("is empty")
                } else if p.contains('@') || p.contains(char::is_whitespace) {
                    Some("must be a bare domain such as `gmail.com`")
                } else if !p.contains('.') || p.split('.').any(str::is_empty) {
                    Some("is not a domain name")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Err(Error::config(
                        path,
                        format!("ignore_dots_providers[{i}] `{p}` {problem}"),
                    ));
                }
            }
        }
        if let NormalizerSpec::Placeholders { values, .. } = self {
            if let Some(i) = values.iter().position(|v| v.trim().is_empty()) {
                return Err(Error::config(path, format!("values[{i}] is empty")));
            }
        }
        Ok(())
    }

    /// Builds the step without validating it (every spec builds; invalid knobs
    /// are merely inert).
    pub(super) fn build_step(&self) -> Box<dyn Normalizer> {
        match self {
            NormalizerSpec::Trim => Box::new(Trim),
            NormalizerSpec::CollapseWhitespace => Box::new(CollapseWhitespace),
            NormalizerSpec::CaseFold => Box::new(CaseFold),
            NormalizerSpec::FoldAccents => Box::new(FoldAccents),
            NormalizerSpec::StripPunctuation => Box::new(StripPunctuation),
            NormalizerSpec::Honorifics => Box::new(Honorifics),
            NormalizerSpec::NameParticles => Box::new(NameParticles),
            NormalizerSpec::CompoundNames => Box::new(CompoundNames),
            NormalizerSpec::AddressAbbreviations => Box::new(AddressAbbreviations),
            NormalizerSpec::Email { ignore_dots_providers, strip_plus_tags } => {
                Box::new(EmailNormalizer::new(ignore_dots_providers, *strip_plus_tags))
            }
            NormalizerSpec::Phone { default_country, parser } => match parser {
                #[cfg(feature = "phonenumber")]
                PhoneParser::Libphonenumber => {
                    Box::new(super::LibphonenumberNormalizer::new(*default_country))
                }
                _ => Box::new(PhoneNormalizer::new(*default_country)),
            },
            NormalizerSpec::Date { order, pivot } => {
                Box::new(DateNormalizer::new(*order).with_pivot(*pivot))
            }
            NormalizerSpec::Postcode => Box::new(PostcodeNormalizer),
            NormalizerSpec::Identifier => Box::new(IdentifierNormalizer),
            NormalizerSpec::DigitsOnly => Box::new(DigitsOnly),
            NormalizerSpec::Gender => Box::new(Gender),
            NormalizerSpec::Generation => Box::new(Generation),
            NormalizerSpec::NativeNameOrder { given_first } => {
                Box::new(NativeNameOrder { given_first: *given_first })
            }
            NormalizerSpec::Placeholders { values, shape_rules } => {
                Box::new(Placeholders::new(values, *shape_rules))
            }
        }
    }

    /// The default chain for a field kind.
    ///
    /// | kind | chain |
    /// |---|---|
    /// | `GivenName` | Trim, NativeNameOrder (given first), FoldAccents, CaseFold, CompoundNames, StripPunctuation, Honorifics, CollapseWhitespace |
    /// | `Surname`, `FullName` | Trim, NativeNameOrder, FoldAccents, CaseFold, CompoundNames, StripPunctuation, NameParticles, Honorifics, CollapseWhitespace |
    /// | `Email` | Email (gmail dots ignored, plus tags stripped) |
    /// | `Phone` | Phone (FR) |
    /// | `Date` | Date (day first, pivot 2029) |
    /// | `Postcode` | Postcode |
    /// | `City`, `Category` | FoldAccents, CaseFold, StripPunctuation, CollapseWhitespace |
    /// | `Address` | FoldAccents, CaseFold, StripPunctuation, AddressAbbreviations, CollapseWhitespace |
    /// | `Identifier` | Identifier |
    /// | `Text` | FoldAccents, CaseFold, CollapseWhitespace |
    ///
    /// NativeNameOrder runs before FoldAccents, while the value is still in
    /// Chinese characters or Hangul, so `李娜` becomes `li na` (family name
    /// first) and, in a given-name field, `na li` (given name first).
    /// Honorifics runs after punctuation is gone (so `M. Jean` and `Dr. Marie-Claire`
    /// are plain tokens) and after particles are glued (gluing can spell a title:
    /// `d r` → `dr`); this order makes every chain idempotent.
    ///
    /// ```
    /// use personlink::normalize::NormalizerSpec;
    /// use personlink::FieldKind;
    ///
    /// assert_eq!(NormalizerSpec::defaults_for(FieldKind::Postcode), [NormalizerSpec::Postcode]);
    /// ```
    pub fn defaults_for(kind: FieldKind) -> Vec<NormalizerSpec> {
        use NormalizerSpec as S;
        match kind {
            FieldKind::GivenName => vec![
                S::Trim,
                S::NativeNameOrder { given_first: true },
                S::FoldAccents,
                S::CaseFold,
                S::CompoundNames,
                S::StripPunctuation,
                S::Honorifics,
                S::CollapseWhitespace,
            ],
            FieldKind::Surname | FieldKind::FullName => vec![
                S::Trim,
                S::NativeNameOrder { given_first: false },
                S::FoldAccents,
                S::CaseFold,
                S::CompoundNames,
                S::StripPunctuation,
                S::NameParticles,
                S::Honorifics,
                S::CollapseWhitespace,
            ],
            FieldKind::Email => vec![S::default_email()],
            FieldKind::Phone => vec![S::phone(Country::Fr)],
            FieldKind::Date => {
                vec![S::Date { order: DateOrder::DayFirst, pivot: DEFAULT_DATE_PIVOT }]
            }
            FieldKind::Postcode => vec![S::Postcode],
            FieldKind::City | FieldKind::Category => {
                vec![S::FoldAccents, S::CaseFold, S::StripPunctuation, S::CollapseWhitespace]
            }
            FieldKind::Address => vec![
                S::FoldAccents,
                S::CaseFold,
                S::StripPunctuation,
                S::AddressAbbreviations,
                S::CollapseWhitespace,
            ],
            FieldKind::Identifier => vec![S::Identifier],
            FieldKind::Text => vec![S::FoldAccents, S::CaseFold, S::CollapseWhitespace],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_round_trip_and_defaults() {
        let specs: Vec<NormalizerSpec> = serde_json::from_str(
            r#"[{"type":"trim"},{"type":"email"},{"type":"phone"},{"type":"date"},
                {"type":"date","order":"month_first"},{"type":"email","strip_plus_tags":false},
                {"type":"digits_only"},{"type":"address_abbreviations"},
                {"type":"date","order":"day_first","pivot":2025}]"#,
        )
        .unwrap();
        assert_eq!(specs[1], NormalizerSpec::default_email());
        assert_eq!(specs[2], NormalizerSpec::phone(Country::Fr));
        assert_eq!(specs[3], NormalizerSpec::Date { order: DateOrder::DayFirst, pivot: 2029 });
        assert_eq!(specs[4], NormalizerSpec::Date { order: DateOrder::MonthFirst, pivot: 2029 });
        assert_eq!(specs[8], NormalizerSpec::Date { order: DateOrder::DayFirst, pivot: 2025 });
        assert_eq!(
            specs[5],
            NormalizerSpec::Email {
                ignore_dots_providers: vec!["gmail.com".into(), "googlemail.com".into()],
                strip_plus_tags: false
            }
        );
        let json = serde_json::to_string(&specs).unwrap();
        let back: Vec<NormalizerSpec> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, specs);
        assert_eq!(
            serde_json::to_string(&NormalizerSpec::phone(Country::Gb)).unwrap(),
            r#"{"type":"phone","default_country":"GB"}"#
        );
        // The default pivot is left out, so the JSON is what it was before the knob.
        assert_eq!(
            serde_json::to_string(&specs[3]).unwrap(),
            r#"{"type":"date","order":"day_first"}"#
        );
        assert_eq!(
            serde_json::to_string(&specs[8]).unwrap(),
            r#"{"type":"date","order":"day_first","pivot":2025}"#
        );
    }

    #[test]
    fn name_steps_serde() {
        let specs: Vec<NormalizerSpec> = serde_json::from_str(
            r#"[{"type":"generation"},{"type":"native_name_order"},
                {"type":"native_name_order","given_first":true}]"#,
        )
        .unwrap();
        assert_eq!(
            specs,
            [
                NormalizerSpec::Generation,
                NormalizerSpec::NativeNameOrder { given_first: false },
                NormalizerSpec::NativeNameOrder { given_first: true },
            ]
        );
        let json = serde_json::to_string(&specs).unwrap();
        assert_eq!(serde_json::from_str::<Vec<NormalizerSpec>>(&json).unwrap(), specs);
        for bad in [r#"{"type":"generation","x":1}"#, r#"{"type":"native_name_order","y":1}"#] {
            assert!(serde_json::from_str::<NormalizerSpec>(bad).is_err(), "{bad}");
        }
        assert_eq!(specs[0].build("g").unwrap().normalize_to_string("Sr."), "1");
        assert_eq!(specs[2].build("g").unwrap().normalize_to_string("李娜"), "娜 李");
    }

    #[test]
    fn serde_rejects_unknown() {
        for bad in [
            r#"{"type":"nope"}"#,
            r#"{"type":"phone","country":"FR"}"#,
            r#"{"type":"phone","default_country":"XX"}"#,
            r#"{"type":"phone","default_country":"fr"}"#,
            r#"{"type":"phone","default_country":"UK"}"#,
            r#"{"type":"phone","parser":"google"}"#,
            r#"{"type":"phone","parser":"Builtin"}"#,
            r#"{"type":"date","order":"year_first"}"#,
            r#"{"type":"date","pivot":"2029"}"#,
            r#"{"type":"date","pivot":-1}"#,
            r#"{"type":"date","pivot":70000}"#,
            r#"{"type":"email","providers":[]}"#,
            r#"{"type":"trim","x":1}"#,
            r#""trim""#,
        ] {
            assert!(serde_json::from_str::<NormalizerSpec>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_parser_knob() {
        let spec: NormalizerSpec = serde_json::from_str(
            r#"{"type":"phone","default_country":"JP","parser":"libphonenumber"}"#,
        )
        .unwrap();
        assert_eq!(
            spec,
            NormalizerSpec::Phone {
                default_country: Country::Jp,
                parser: PhoneParser::Libphonenumber
            }
        );
        assert_eq!(
            serde_json::to_string(&spec).unwrap(),
            r#"{"type":"phone","default_country":"JP","parser":"libphonenumber"}"#
        );
        let builtin: NormalizerSpec =
            serde_json::from_str(r#"{"type":"phone","default_country":"JP","parser":"builtin"}"#)
                .unwrap();
        assert_eq!(builtin, NormalizerSpec::phone(Country::Jp));
        let built = spec.build("normalizers.phone[0]");
        assert_eq!(built.is_ok(), cfg!(feature = "phonenumber"));
        match built {
            Ok(step) => {
                assert_eq!(step.normalize_to_string("03-1234-5678"), "+81312345678");
            }
            Err(Error::Config { path, reason }) => {
                assert_eq!(path, "normalizers.phone[0]");
                assert!(
                    reason.contains("parser") && reason.contains("feature `phonenumber`"),
                    "{reason}"
                );
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn build_validates_email_providers() {
        for bad in ["", "  ", "gmail", "a@gmail.com", "gmail .com", "gmail..com"] {
            let spec = NormalizerSpec::Email {
                ignore_dots_providers: vec!["gmail.com".into(), bad.into()],
                strip_plus_tags: true,
            };
            let err = spec.build("fields.email.normalizers[0]").unwrap_err();
            match err {
                Error::Config { path, reason } => {
                    assert_eq!(path, "fields.email.normalizers[0]");
                    assert!(reason.contains("ignore_dots_providers[1]"), "{reason}");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(NormalizerSpec::default_email().build("x").is_ok());
    }

    #[test]
    fn build_validates_and_applies_the_date_pivot() {
        for bad in [0, 1799, 2201, u16::MAX] {
            let spec = NormalizerSpec::Date { order: DateOrder::DayFirst, pivot: bad };
            match spec.build("fields.dob.normalizers[0]").unwrap_err() {
                Error::Config { path, reason } => {
                    assert_eq!(path, "fields.dob.normalizers[0]");
                    assert!(reason.contains("pivot"), "{reason}");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        let spec: NormalizerSpec =
            serde_json::from_str(r#"{"type":"date","order":"month_first","pivot":1999}"#).unwrap();
        let step = spec.build("x").unwrap();
        assert_eq!(step.normalize_to_string("3/1/99"), "1999-03-01");
        assert_eq!(step.normalize_to_string("3/1/00"), "1900-03-01");
        let default = NormalizerSpec::defaults_for(FieldKind::Date)[0].build("x").unwrap();
        assert_eq!(default.normalize_to_string("3/1/29"), "2029-01-03");
        assert_eq!(default.normalize_to_string("3/1/30"), "1930-01-03");
    }

    #[test]
    fn every_kind_has_a_buildable_default() {
        for kind in FieldKind::ALL {
            let specs = NormalizerSpec::defaults_for(kind);
            assert!(!specs.is_empty());
            for (i, s) in specs.iter().enumerate() {
                assert!(s.build(&format!("d[{i}]")).is_ok());
            }
        }
    }

    #[test]
    fn placeholders_serde_and_validation() {
        let spec: NormalizerSpec = serde_json::from_str(r#"{"type":"placeholders"}"#).unwrap();
        assert_eq!(spec, NormalizerSpec::default_placeholders());
        let spec: NormalizerSpec = serde_json::from_str(
            r#"{"type":"placeholders","values":["sans email"],"shape_rules":false}"#,
        )
        .unwrap();
        let want =
            NormalizerSpec::Placeholders { values: vec!["sans email".into()], shape_rules: false };
        assert_eq!(spec, want);
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(json, r#"{"type":"placeholders","values":["sans email"],"shape_rules":false}"#);
        assert_eq!(serde_json::from_str::<NormalizerSpec>(&json).unwrap(), spec);
        let step = spec.build("fields.email.normalizers[1]").unwrap();
        assert_eq!(step.normalize_to_string("Sans Email"), "");
        assert_eq!(step.normalize_to_string("test@test.com"), "test@test.com");
        assert!(serde_json::from_str::<NormalizerSpec>(
            r#"{"type":"placeholders","builtin":true}"#
        )
        .is_err());

        let blank = NormalizerSpec::Placeholders {
            values: vec!["x".into(), " ".into()],
            shape_rules: true,
        };
        match blank.build("fields.phone.normalizers[1]").unwrap_err() {
            Error::Config { path, reason } => {
                assert_eq!(path, "fields.phone.normalizers[1]");
                assert!(reason.contains("values[1]"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
