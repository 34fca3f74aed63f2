//! Windows-1252, the encoding of a "CSV" saved by a Western-European Windows
//! spreadsheet, decoded by hand: bytes below 0x80 are ASCII, 0xA0 to 0xFF are
//! Latin-1 (the Unicode code point of the same number), and 0x80 to 0x9F are
//! the table below.

use std::borrow::Cow;

/// The characters of bytes 0x80 to 0x9F. The five bytes Windows-1252 leaves
/// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stand for the control character of
/// the same number, as web browsers read them.
const X80_TO_X9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The character of one Windows-1252 byte.
pub fn char_of(byte: u8) -> char {
    match byte {
        0x80..=0x9F => X80_TO_X9F[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Decodes Windows-1252 bytes (every byte sequence is valid).
pub fn decode(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char_of(b)).collect()
}

/// A field's text: the bytes themselves when they are valid UTF-8, else their
/// Windows-1252 reading. The flag is `true` when the field was not UTF-8.
pub fn field_text(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), false),
        Err(_) => (Cow::Owned(decode(bytes)), true),
    }
}
