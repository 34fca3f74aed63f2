//! The shape of a blocking key: its values masked, its lengths and
//! punctuation kept, for reports that must not show personal data.

/// The masked form of a readable key (parts joined by `|`): in each part,
/// digits become `#` and letters `*`, except the first character; an email
/// keeps the first character of its user and domain names and its top-level
/// domain. Punctuation and spaces stay, so lengths and layout show.
pub(super) fn key_shape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for (k, part) in key.split('|').enumerate() {
        if k > 0 {
            out.push('|');
        }
        match part.rsplit_once('@') {
            Some((user, domain)) => {
                mask(user, &mut out);
                out.push('@');
                match domain.rsplit_once('.') {
                    Some((host, top)) => {
                        mask(host, &mut out);
                        out.push('.');
                        out.push_str(top);
                    }
                    None => mask(domain, &mut out),
                }
            }
            None => mask(part, &mut out),
        }
    }
    out
}

/// Appends `s` masked: a leading letter stays, every other letter becomes `*`,
/// every digit `#`; anything else stays.
fn mask(s: &str, out: &mut String) {
    for (i, c) in s.chars().enumerate() {
        out.push(match c {
            c if c.is_numeric() => '#',
            c if c.is_alphabetic() && i == 0 => c,
            c if c.is_alphabetic() => '*',
            c => c,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::key_shape;

    #[test]
    fn values_are_masked_and_shapes_kept() {
        assert_eq!(key_shape("1980-01-01|m"), "####-##-##|m");
        assert_eq!(key_shape("+33671429318"), "+###########");
        assert_eq!(key_shape("jean.dupont@example.com"), "j***.******@e******.com");
        assert_eq!(key_shape("a@mail.example.co.uk"), "a@m***.*******.**.uk");
        assert_eq!(key_shape("x@localhost"), "x@l********");
        assert_eq!(key_shape("MRTN|J"), "M***|J");
        assert_eq!(key_shape("François|75011"), "F*******|#####");
        assert_eq!(key_shape("王小明"), "王**");
        assert_eq!(key_shape(""), "");
    }

    #[test]
    fn no_letter_or_digit_survives_beyond_the_first_character() {
        for key in ["0612345678", "dupont", "1 80 01 75 123 456", "AB123456C", "zoë-ève"] {
            let shape = key_shape(key);
            assert_eq!(shape.chars().count(), key.chars().count(), "{key}");
            assert!(shape.chars().skip(1).all(|c| !c.is_alphanumeric()), "{key} → {shape}");
        }
    }
}
