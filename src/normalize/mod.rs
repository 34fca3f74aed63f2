//! Normalization: pure text transforms that make raw values comparable.
//!
//! A [`Normalizer`] turns one raw value into its canonical form; a
//! [`Pipeline`] chains them; a [`NormalizerSpec`] is the serializable
//! description of one step, and [`NormalizerSpec::defaults_for`] gives the
//! default chain of each [`FieldKind`](crate::FieldKind).
//!
//! Every step, and every default chain as a whole, obeys the same laws:
//! it is idempotent, it never panics, and it runs in time roughly linear in the
//! input length. An empty output means the value is missing (an email without
//! `@`, an impossible date, a phone number with letters).
//!
//! | field kind | input | output |
//! |---|---|---|
//! | given name | `"Dr. Marie–Claire"` | `"marie claire"` |
//! | surname | `"De La Fontaine"`, `"D'Artagnan"` | `"delafontaine"`, `"dartagnan"` |
//! | email | `" Jean.Dupont+news@GMail.com"` | `"jeandupont@gmail.com"` |
//! | phone (FR) | `"06.12.34.56.78"` | `"+33612345678"` |
//! | date | `"1/2/1980"` | `"1980-02-01"` |
//! | postcode | `"sw1a 1aa"` | `"SW1A1AA"` |
//!
//! ```
//! use personlink::normalize::Pipeline;
//! use personlink::FieldKind;
//!
//! let given = Pipeline::for_kind(FieldKind::GivenName);
//! for raw in ["FRANÇOIS", "François", "Franc\u{327}ois", "francois", " M. Francois "] {
//!     assert_eq!(given.normalize_to_string(raw), "francois");
//! }
//! ```

mod address;
mod country;
mod date;
mod email;
mod gender;
mod generation;
#[cfg(feature = "phonenumber")]
mod libphonenumber;
mod name;
mod nicknames;
mod phone;
mod pipeline;
mod placeholder;
mod postcode;
mod spec;
mod text;

use std::sync::Arc;

pub use address::AddressAbbreviations;
// The generator draws valid dates with the same calendar arithmetic.
pub use country::Country;
#[cfg(feature = "synth")]
pub(crate) use date::days_in_month;
pub(crate) use date::DateValue;
pub use date::{DateNormalizer, DateOrder, DEFAULT_DATE_PIVOT, MAX_YEAR, MIN_YEAR};
pub use email::{EmailNormalizer, DEFAULT_IGNORE_DOTS_PROVIDERS};
pub use gender::Gender;
pub(crate) use generation::trailing_token;
pub use generation::Generation;
#[cfg(feature = "phonenumber")]
pub use libphonenumber::LibphonenumberNormalizer;
pub(crate) use name::{consonant_skeleton, is_abjad};
pub use name::{CompoundNames, Honorifics, NameParticles, NativeNameOrder};
pub use nicknames::NicknameTable;
pub use phone::{PhoneNormalizer, PhoneParser};
pub use pipeline::{Pipeline, PipelineBuilder};
pub use placeholder::Placeholders;
pub use postcode::{DigitsOnly, IdentifierNormalizer, PostcodeNormalizer};
pub use spec::NormalizerSpec;
pub use text::{ascii_fold, CaseFold, CollapseWhitespace, FoldAccents, StripPunctuation, Trim};
pub(crate) use text::{first_token, fold_char};

/// A pure text transform.
///
/// Laws: idempotent (`normalize(normalize(x)) == normalize(x)`), never panics,
/// time roughly linear in the input length. An empty output means "missing".
///
/// Implementations append to `out` and never read what is already there; the
/// caller clears `out` first when it wants only this step's output.
///
/// ```
/// use personlink::normalize::{Normalizer, Pipeline, Trim};
///
/// /// Keeps the first four characters.
/// #[derive(Debug)]
/// struct Prefix4;
///
/// impl Normalizer for Prefix4 {
///     fn normalize(&self, input: &str, out: &mut String) {
///         out.extend(input.chars().take(4));
///     }
/// }
///
/// let mut out = String::new();
/// Prefix4.normalize("Dupont", &mut out);
/// assert_eq!(out, "Dupo");
///
/// let chain = Pipeline::builder().then(Trim).then(Prefix4).build();
/// assert_eq!(chain.normalize_to_string("  Martin "), "Mart");
/// ```
pub trait Normalizer: std::fmt::Debug + Send + Sync {
    /// Appends the normalized form of `input` to `out` (caller clears `out` first).
    fn normalize(&self, input: &str, out: &mut String);

    /// The normalized form of `input`, in a new string (convenient, but
    /// allocates: hot paths call [`normalize`](Self::normalize) with a reused buffer).
    ///
    /// ```
    /// use personlink::normalize::{Honorifics, Normalizer};
    /// assert_eq!(Honorifics.normalize_to_string("M. Jean"), "Jean");
    /// ```
    fn normalize_to_string(&self, input: &str) -> String {
        let mut out = String::new();
        self.normalize(input, &mut out);
        out
    }
}

impl<T: Normalizer + ?Sized> Normalizer for &T {
    fn normalize(&self, input: &str, out: &mut String) {
        (**self).normalize(input, out);
    }
}

impl<T: Normalizer + ?Sized> Normalizer for Box<T> {
    fn normalize(&self, input: &str, out: &mut String) {
        (**self).normalize(input, out);
    }
}

impl<T: Normalizer + ?Sized> Normalizer for Arc<T> {
    fn normalize(&self, input: &str, out: &mut String) {
        (**self).normalize(input, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldKind;

    fn norm(kind: FieldKind, s: &str) -> String {
        Pipeline::for_kind(kind).normalize_to_string(s)
    }

    #[test]
    fn blanket_impls() {
        fn run(n: impl Normalizer) -> String {
            let mut out = String::new();
            n.normalize(" x ", &mut out);
            out
        }
        let by_ref: &dyn Normalizer = &Trim;
        assert_eq!(run(by_ref), "x");
        assert_eq!(run(Box::new(Trim)), "x");
        assert_eq!(run(Arc::new(Trim)), "x");
        let dynamic: Box<dyn Normalizer> = Box::new(Trim);
        assert_eq!(run(&dynamic), "x");
        assert_eq!(run(Arc::<dyn Normalizer>::from(dynamic)), "x");
    }

    #[test]
    fn given_name_chain() {
        use FieldKind::GivenName as G;
        for s in
            ["FRANÇOIS", "François", "Franc\u{327}ois", "Francois", "francois", " M. François "]
        {
            assert_eq!(norm(G, s), "francois", "{s}");
        }
        assert_eq!(norm(G, "Zoë"), "zoe");
        assert_eq!(norm(G, "Dr. Marie-Claire"), "marie claire");
        assert_eq!(norm(G, "Jean–Pierre"), "jean pierre");
        assert_eq!(norm(G, "M"), "m");
        assert_eq!(norm(G, "M."), "m");
        assert_eq!(norm(G, "  "), "");
    }

    #[test]
    fn surname_chain() {
        use FieldKind::Surname as S;
        for s in
            ["De La Fontaine", "de la fontaine", "Delafontaine", "DE LA FONTAINE", "de La-Fontaine"]
        {
            assert_eq!(norm(S, s), "delafontaine", "{s}");
        }
        for s in ["D'Artagnan", "d Artagnan", "Dartagnan", "d’Artagnan", "D’ARTAGNAN"] {
            assert_eq!(norm(S, s), "dartagnan", "{s}");
        }
        assert_eq!(norm(S, "O'Brien"), norm(S, "OBrien"));
        assert_eq!(norm(S, "Müller"), "muller");
        assert_eq!(norm(S, "Ñúñez"), "nunez");
        assert_eq!(norm(S, "Œuvray"), "oeuvray");
        assert_eq!(norm(S, "Straße"), "strasse");
        assert_eq!(norm(S, "Saint-Exupéry"), norm(S, "St Exupery"));
        assert_eq!(norm(S, "van der Berg"), "vanderberg");
        assert_eq!(norm(S, "Mme Le Gall"), "legall");
    }

    #[test]
    fn other_chains() {
        assert_eq!(norm(FieldKind::FullName, "Dr Jean de la Fontaine Jr"), "jean delafontaine");
        assert_eq!(norm(FieldKind::Email, " Jean.Dupont+news@GMail.com "), "jeandupont@gmail.com");
        assert_eq!(norm(FieldKind::Phone, "06.12.34.56.78"), "+33612345678");
        assert_eq!(norm(FieldKind::Date, "01/02/1980"), "1980-02-01");
        assert_eq!(norm(FieldKind::Postcode, "sw1a 1aa"), "SW1A1AA");
        assert_eq!(norm(FieldKind::City, "Saint-Étienne"), "saint etienne");
        assert_eq!(
            norm(FieldKind::Address, "12, Av. des Champs-Élysées"),
            "12 avenue des champs elysees"
        );
        assert_eq!(norm(FieldKind::Address, "221B Baker St."), "221b baker street");
        assert_eq!(norm(FieldKind::Identifier, "1 80 02-75"), "1800275");
        assert_eq!(norm(FieldKind::Category, " Féminin "), "feminin");
        assert_eq!(norm(FieldKind::Text, " Bât.  B\u{a0}Étage 2 "), "bat. b etage 2");
    }

    #[test]
    fn default_chains_are_idempotent_on_samples() {
        let samples = [
            "d r smith",
            "M.-C. Dupont",
            "d e la x",
            "Mr Jr Sr",
            "st e x",
            "12 st john st",
            "O' Brien-Mc Donald III",
            "  Ærøskøbing ",
            "ʼ’`´",
            "Ἀθῆναι 深圳 Борис",
            "👩\u{200d}👩\u{200d}👧 Jean",
            "\u{202e}olleh\u{202c}",
        ];
        for kind in FieldKind::ALL {
            let p = Pipeline::for_kind(kind);
            for s in samples {
                let once = p.normalize_to_string(s);
                assert_eq!(p.normalize_to_string(&once), once, "{kind:?} {s:?}");
            }
        }
    }
}
