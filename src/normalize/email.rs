//! Email addresses.

use super::Normalizer;

/// Providers whose mailboxes ignore dots in the local part, used by default.
pub const DEFAULT_IGNORE_DOTS_PROVIDERS: [&str; 2] = ["gmail.com", "googlemail.com"];

/// Normalizes an email address, or outputs nothing (missing) when the value is
/// not one.
///
/// The value is trimmed and lowercased. It must then contain exactly one `@`,
/// a non-empty local part, and a domain with at least one dot, no empty label
/// (`a@b..com`, `a@.b.com`, `a@b.com.` are rejected) and no whitespace anywhere;
/// otherwise the output is empty. When plus tags are stripped, the local part
/// ends at its first `+`; for the listed providers (matched on the whole
/// domain) dots are removed from the local part. A local part left empty by
/// those rules makes the whole value missing.
///
/// ```
/// use personlink::normalize::{EmailNormalizer, Normalizer};
///
/// let email = EmailNormalizer::default(); // gmail dots ignored, plus tags stripped
/// let mut out = String::new();
/// email.normalize("  Jean.Dupont+news@GMail.com ", &mut out);
/// assert_eq!(out, "jeandupont@gmail.com");
///
/// out.clear();
/// email.normalize("jean.dupont@orange.fr", &mut out);
/// assert_eq!(out, "jean.dupont@orange.fr");
///
/// out.clear();
/// email.normalize("not an email", &mut out);
/// assert_eq!(out, "");
///
/// let keep_tags = EmailNormalizer::new(["example.org"], false);
/// out.clear();
/// keep_tags.normalize("A.B+x@Example.org", &mut out);
/// assert_eq!(out, "ab+x@example.org");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailNormalizer {
    ignore_dots_providers: Vec<String>,
    strip_plus_tags: bool,
}

impl Default for EmailNormalizer {
    /// Dots ignored for [`DEFAULT_IGNORE_DOTS_PROVIDERS`], plus tags stripped.
    fn default() -> Self {
        EmailNormalizer::new(DEFAULT_IGNORE_DOTS_PROVIDERS, true)
    }
}

impl EmailNormalizer {
    /// A normalizer ignoring local-part dots for `ignore_dots_providers` (domains,
    /// trimmed and lowercased here; blank entries never match) and stripping
    /// `+tags` when `strip_plus_tags`.
    pub fn new<I, S>(ignore_dots_providers: I, strip_plus_tags: bool) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let ignore_dots_providers = ignore_dots_providers
            .into_iter()
            .map(|p| p.as_ref().trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        EmailNormalizer { ignore_dots_providers, strip_plus_tags }
    }

    /// The domains whose local-part dots are ignored (lowercase).
    pub fn ignore_dots_providers(&self) -> &[String] {
        &self.ignore_dots_providers
    }

    /// Whether `+tags` are stripped from the local part.
    pub fn strips_plus_tags(&self) -> bool {
        self.strip_plus_tags
    }

    fn ignores_dots(&self, domain: &str) -> bool {
        self.ignore_dots_providers
            .iter()
            .any(|p| domain.chars().flat_map(char::to_lowercase).eq(p.chars()))
    }
}

fn push_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

impl Normalizer for EmailNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        let s = input.trim();
        let Some((local, domain)) = s.split_once('@') else { return };
        if local.is_empty()
            || domain.contains('@')
            || s.contains(char::is_whitespace)
            || !domain.contains('.')
            || domain.split('.').any(str::is_empty)
        {
            return;
        }
        let local = match (self.strip_plus_tags, local.split_once('+')) {
            (true, Some((before, _))) => before,
            _ => local,
        };
        let start = out.len();
        if self.ignores_dots(domain) {
            for part in local.split('.') {
                push_lower(part, out);
            }
        } else {
            push_lower(local, out);
        }
        if out.len() == start {
            return;
        }
        out.push('@');
        push_lower(domain, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(n: &EmailNormalizer, s: &str) -> String {
        let mut out = String::new();
        n.normalize(s, &mut out);
        out
    }

    #[test]
    fn canonical_forms() {
        let e = EmailNormalizer::default();
        assert_eq!(run(&e, "  Jean.Dupont+news@GMail.com "), "jeandupont@gmail.com");
        assert_eq!(run(&e, "j.d@googlemail.com"), "jd@googlemail.com");
        assert_eq!(run(&e, "J.D+x+y@Orange.FR"), "j.d@orange.fr");
        assert_eq!(run(&e, "ÉLODIE@Exemple.Fr"), "élodie@exemple.fr");
    }

    #[test]
    fn invalid_is_missing() {
        let e = EmailNormalizer::default();
        for s in [
            "",
            "   ",
            "jean",
            "@gmail.com",
            "jean@",
            "jean@localhost",
            "a@b@c.com",
            "jean dupont@x.com",
            "jean@x..com",
            "jean@.x.com",
            "jean@x.com.",
            "+tag@x.com",
            "...@gmail.com",
        ] {
            assert_eq!(run(&e, s), "", "{s:?}");
        }
    }

    #[test]
    fn options() {
        let e = EmailNormalizer::new(Vec::<String>::new(), false);
        assert_eq!(run(&e, "J.D+x@gmail.com"), "j.d+x@gmail.com");
        let e = EmailNormalizer::new([" Example.ORG ", ""], true);
        assert_eq!(e.ignore_dots_providers(), ["example.org"]);
        assert_eq!(run(&e, "a.b+c@EXAMPLE.org"), "ab@example.org");
        assert_eq!(run(&e, "a.b@sub.example.org"), "a.b@sub.example.org");
    }
}
