//! Email addresses.

use super::Normalizer;

/// Providers whose mailboxes ignore dots in the local part, used by default.
pub const DEFAULT_IGNORE_DOTS_PROVIDERS: [&str; 2] = ["gmail.com", "googlemail.com"];

/// Normalizes an email address, or the addresses of a field holding several,
/// or outputs nothing (missing) when the value holds none.
///
/// **One address.** The value is trimmed and lowercased. It must then contain
/// exactly one `@`, a non-empty local part, and a domain with at least one dot,
/// no empty label (`a@b..com`, `a@.b.com`, `a@b.com.` are rejected) and no
/// whitespace anywhere; otherwise the output is empty. When plus tags are
/// stripped, the local part ends at its first `+`; for the listed providers
/// (matched on the whole domain) dots are removed from the local part. A local
/// part left empty by those rules makes the whole value missing.
///
/// **As customer files hold them.** A value with whitespace, several `@`, an
/// angle bracket or a `mailto:` prefix is read as a list of addresses:
///
/// - a display name before an address in angle brackets is dropped:
///   `"Ann Lowe" <alowe@example.com>`, `Rosa Ortiz<rortiz@example.com>` and
///   `<x@y.com>` give the bracketed address (a quoted name may hold commas);
/// - `mailto:` (any case) is dropped, and with it a `?subject=...` query;
/// - addresses are separated by `;`, `,`, `/` or whitespace
///   (`a@x.com; b@y.com`, `a@x.com / b@y.com`, `a@x.com b@y.com`).
///
/// Each address is normalized as a single one would be, and those that are
/// invalid are dropped. Between two separators `;`, `,` or `/`, words without
/// `@` are allowed only as the display name of a bracketed address: a part
/// such as `jean dupont@x.com` is not read as `dupont@x.com` but dropped.
/// In this form an address may not contain whitespace, `;`, `,`, `/`, `<`, `>`
/// or `"` (a value holding one address and no whitespace is read as before,
/// so `a,b@x.com` stays one address).
///
/// **Output.** One address: its canonical form, byte for byte what a value
/// holding only that address gives. Several: the distinct canonical
/// addresses, sorted (byte order) and joined by a single space, so the
/// whitespace tokens of the output are the addresses and two records sharing
/// one address share a token. `A@x.com; a@x.com` gives `a@x.com`.
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
///
/// // Display names, mailto links and several addresses in one field.
/// assert_eq!(email.normalize_to_string(r#""Ann Lowe" <ALowe@example.com>"#), "alowe@example.com");
/// assert_eq!(email.normalize_to_string("MAILTO:jd@orange.fr?subject=Hi"), "jd@orange.fr");
/// assert_eq!(
///     email.normalize_to_string("zoe@x.fr; Ann <ann@y.fr>, zoe@X.fr"),
///     "ann@y.fr zoe@x.fr"
/// );
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
        // The providers are stored lowercase: an ASCII domain is compared byte by byte.
        if domain.is_ascii() {
            return self.ignore_dots_providers.iter().any(|p| domain.eq_ignore_ascii_case(p));
        }
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

impl EmailNormalizer {
    /// Appends the canonical form of one address (`s` already trimmed), or
    /// nothing when it is not a valid one.
    fn push_address(&self, s: &str, out: &mut String) {
        let Some((local, domain)) = s.split_once('@') else { return };
        if local.is_empty()
            || domain.contains('@')
            || s.contains(|c: char| c.is_whitespace() || c.is_control())
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

    /// The canonical form of one address read from a list (`mailto:` and its
    /// query dropped), or `None`.
    fn list_address(&self, candidate: &str) -> Option<String> {
        let mut address = candidate.trim();
        while let Some(rest) = strip_mailto(address) {
            address = rest.split_once('?').map_or(rest, |(before, _)| before).trim();
        }
        if address.contains(|c: char| c.is_whitespace() || LIST_SYNTAX.contains(&c)) {
            return None;
        }
        let mut out = String::new();
        self.push_address(address, &mut out);
        (!out.is_empty()).then_some(out)
    }

    /// Reads `s` (trimmed) as a list of addresses and appends the distinct
    /// canonical ones, sorted and joined by a space.
    fn push_list(&self, s: &str, out: &mut String) {
        let mut found: Vec<String> = Vec::new();
        let mut part = ListPart::default();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let after = &rest[c.len_utf8()..];
            match c {
                ';' | ',' | '/' => {
                    part.flush(self, &mut found);
                    rest = after;
                }
                c if c.is_whitespace() => rest = after,
                '"' => {
                    part.has_name = true;
                    rest = after.split_once('"').map_or("", |(_, tail)| tail);
                }
                '<' => {
                    let (inner, tail) = after.split_once('>').unwrap_or((after, ""));
                    part.has_brackets = true;
                    part.candidates.push(inner);
                    rest = tail;
                }
                _ => {
                    let end = rest
                        .find(|c: char| {
                            c.is_whitespace() || matches!(c, ';' | ',' | '/' | '"' | '<')
                        })
                        .unwrap_or(rest.len());
                    let (word, tail) = rest.split_at(end);
                    if word.contains('@') {
                        part.candidates.push(word);
                    } else {
                        part.has_name = true;
                    }
                    rest = tail;
                }
            }
        }
        part.flush(self, &mut found);
        found.sort_unstable();
        found.dedup();
        for (i, address) in found.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(address);
        }
    }
}

/// Characters with a meaning in a list of addresses, never part of an address
/// read from one.
const LIST_SYNTAX: [char; 6] = [';', ',', '/', '<', '>', '"'];

/// `s` without a leading `mailto:` (any ASCII case), if it has one.
fn strip_mailto(s: &str) -> Option<&str> {
    const PREFIX: &str = "mailto:";
    match s.get(..PREFIX.len()) {
        Some(head) if head.eq_ignore_ascii_case(PREFIX) => Some(&s[PREFIX.len()..]),
        _ => None,
    }
}

/// One part of a list of addresses, between two separators `;`, `,` or `/`.
#[derive(Default)]
struct ListPart<'a> {
    /// Address candidates: bracketed ones and words holding an `@`.
    candidates: Vec<&'a str>,
    /// An address in angle brackets was seen.
    has_brackets: bool,
    /// A quoted string or a word without `@` was seen.
    has_name: bool,
}

impl ListPart<'_> {
    /// Keeps the part's valid addresses, unless it holds a name with no
    /// bracketed address (`jean dupont@x.com`), and starts a new part.
    fn flush(&mut self, email: &EmailNormalizer, found: &mut Vec<String>) {
        if self.has_brackets || !self.has_name {
            found.extend(self.candidates.iter().filter_map(|c| email.list_address(c)));
        }
        self.candidates.clear();
        self.has_brackets = false;
        self.has_name = false;
    }
}

impl Normalizer for EmailNormalizer {
    fn normalize(&self, input: &str, out: &mut String) {
        let s = input.trim();
        // One address written as before: read exactly as before.
        let single = !s.contains(|c: char| c.is_whitespace() || c == '<' || c == '>')
            && s.bytes().filter(|&b| b == b'@').count() <= 1
            && strip_mailto(s).is_none();
        if single {
            self.push_address(s, out);
        } else {
            self.push_list(s, out);
        }
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
            "jean\u{7}@x.com",
            "jean@x\u{0}.com",
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

    #[test]
    fn display_names() {
        let e = EmailNormalizer::default();
        assert_eq!(run(&e, r#""Ann Lowe" <alowe@example.com>"#), "alowe@example.com");
        assert_eq!(run(&e, "Rosa Ortiz<rortiz@example.com>"), "rortiz@example.com");
        assert_eq!(run(&e, "<x@y.com>"), "x@y.com");
        assert_eq!(run(&e, " < X@Y.com > "), "x@y.com");
        assert_eq!(run(&e, r#""Lowe, Ann" <A.Lowe+crm@GMAIL.com>"#), "alowe@gmail.com");
        assert_eq!(run(&e, r#""ann@home" <alowe@example.com>"#), "alowe@example.com");
        assert_eq!(run(&e, "Ann <ann@x.fr> Bob <bob@y.fr>"), "ann@x.fr bob@y.fr");
        // An unclosed bracket runs to the end of the value.
        assert_eq!(run(&e, "Ann <ann@x.fr"), "ann@x.fr");
        // The bracketed part must itself be an address.
        assert_eq!(run(&e, "Ann <not an address>"), "");
        assert_eq!(run(&e, "Ann <a@b.com; c@d.com>"), "");
        assert_eq!(run(&e, r#""Ann Lowe""#), "");
    }

    #[test]
    fn mailto_links() {
        let e = EmailNormalizer::default();
        assert_eq!(run(&e, "mailto:jd@orange.fr"), "jd@orange.fr");
        assert_eq!(run(&e, "MailTo:J.D@Orange.fr"), "j.d@orange.fr");
        assert_eq!(run(&e, "mailto:jd@orange.fr?subject=Hello%20there&cc=x@y.com"), "jd@orange.fr");
        assert_eq!(run(&e, "<mailto:jd@orange.fr>"), "jd@orange.fr");
        assert_eq!(run(&e, "mailto:mailto:jd@orange.fr"), "jd@orange.fr");
        assert_eq!(run(&e, "Jean <MAILTO:jd@orange.fr?subject=x>"), "jd@orange.fr");
        for bad in ["mailto:", "mailto:?subject=x", "mailto:jd", "mailto:@orange.fr"] {
            assert_eq!(run(&e, bad), "", "{bad:?}");
        }
    }

    #[test]
    fn several_addresses() {
        let e = EmailNormalizer::default();
        for s in [
            "b@y.com; a@x.com",
            "b@y.com, a@x.com",
            "b@y.com / a@x.com",
            "b@y.com/a@x.com",
            "b@y.com a@x.com",
            "b@y.com\ta@x.com\n",
            "b@y.com;a@x.com;",
            ";; B@Y.com ,, a@x.com ;",
            "a@x.com b@y.com a@x.com",
            "<b@y.com>, \"A\" <a@x.com>",
        ] {
            assert_eq!(run(&e, s), "a@x.com b@y.com", "{s:?}");
        }
        // De-duplicated after normalization: one address is today's output.
        assert_eq!(run(&e, "J.D@gmail.com; jd+x@GMail.com"), "jd@gmail.com");
        assert_eq!(run(&e, "a@x.com; a@x.com"), run(&e, "a@x.com"));
        // Invalid parts are dropped, valid ones kept.
        assert_eq!(run(&e, "a@x.com; n/a"), "a@x.com");
        assert_eq!(run(&e, "a@x.com; b@localhost"), "a@x.com");
        assert_eq!(run(&e, "a@x.com; jean dupont@y.com"), "a@x.com");
        assert_eq!(run(&e, "a@b@c.com"), "");
        assert_eq!(run(&e, "; , /"), "");
    }

    #[test]
    fn single_addresses_read_as_before() {
        let e = EmailNormalizer::default();
        // One `@` and no whitespace: the separators are part of the address.
        assert_eq!(run(&e, "a,b@x.com"), "a,b@x.com");
        assert_eq!(run(&e, "a/b@x.com"), "a/b@x.com");
        assert_eq!(run(&e, "\"a\"@x.com"), "\"a\"@x.com");
        // A word without `@` is never guessed to be part of an address.
        assert_eq!(run(&e, "jean dupont@x.com"), "");
        assert_eq!(run(&e, "jean.dupont @x.com"), "");
        assert_eq!(run(&e, "jean.dupont@ x.com"), "");
    }

    #[test]
    fn list_forms_are_idempotent() {
        let e = EmailNormalizer::default();
        for s in [
            r#""Ann Lowe" <alowe@example.com>"#,
            "mailto:mailto:MAILTO:a@x.com",
            "b@y.com; <a;b@x.com>, a@x.com",
            "<<a@x.com>>",
            "<a@x.com>>",
            "mailto:a,b@x.com c@y.com",
            "Jean <jd@x.fr",
            "a,b@x.com c@y.com",
        ] {
            let once = run(&e, s);
            assert_eq!(run(&e, &once), once, "{s:?}");
        }
    }
}
