//! Files that are not valid UTF-8, read as text without losing a byte: each byte of an invalid
//! sequence becomes a private-use character of its own, and goes back to that byte on writing.
//!
//! Byte `0x80 + n` is U+EF80 + n (the range MirBSD's OPTU-8 uses for the same purpose). Such a
//! character is three bytes in UTF-8, as U+FFFD is, so a copy of the text with U+FFFD in their
//! place (what the user is shown) has the same offsets and columns. A byte of an invalid
//! sequence is always 0x80 or above: an ASCII byte is valid wherever it stands.

use std::borrow::Cow;

/// The character byte 0x80 becomes; byte 0xFF becomes `FIRST + 0x7F`.
const FIRST: u32 = 0xEF80;

/// The character standing for the invalid byte `byte` (0x80 or above).
fn stand_in(byte: u8) -> char {
    char::from_u32(FIRST + u32::from(byte - 0x80)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The byte `character` stands for, if it is one of the stand-ins.
fn byte_of(character: char) -> Option<u8> {
    let offset = u32::from(character).checked_sub(FIRST)?;
    (offset < 0x80).then(|| 0x80 + offset as u8)
}

/// The bytes of a file as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, each invalid byte replaced by its stand-in.
    pub text: String,
    /// How many bytes were invalid (0: the file was UTF-8 and `text` is it).
    pub invalid_bytes: usize,
    /// The file was not UTF-8 and already held a stand-in character: the text cannot be
    /// written back unambiguously, so it must not be edited.
    pub ambiguous: bool,
}

impl Decoded {
    pub fn new(bytes: Vec<u8>) -> Decoded {
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => {
                return Decoded {
                    text,
                    invalid_bytes: 0,
                    ambiguous: false,
                };
            }
            Err(error) => error.into_bytes(),
        };
        let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
        let mut invalid_bytes = 0;
        let mut ambiguous = false;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            ambiguous |= valid.chars().any(|character| byte_of(character).is_some());
            text.push_str(valid);
            for byte in chunk.invalid() {
                text.push(stand_in(*byte));
                invalid_bytes += 1;
            }
        }
        Decoded {
            text,
            invalid_bytes,
            ambiguous,
        }
    }

    /// The bytes to write for `text` (this text, or one made from it by edits): stand-ins go
    /// back to the bytes they came from. A UTF-8 file's text is written as it is.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        if self.invalid_bytes == 0 {
            return text.as_bytes().to_vec();
        }
        let mut bytes = Vec::with_capacity(text.len());
        let mut buffer = [0; 4];
        for character in text.chars() {
            match byte_of(character) {
                Some(byte) => bytes.push(byte),
                None => bytes.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes()),
            }
        }
        bytes
    }

    /// `text` as the user is shown it: stand-ins as U+FFFD (the same length, so offsets into
    /// the text still hold). A UTF-8 file's text is shown as it is.
    pub fn shown<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.invalid_bytes == 0 || !text.chars().any(|character| byte_of(character).is_some()) {
            return Cow::Borrowed(text);
        }
        Cow::Owned(
            text.chars()
                .map(|character| match byte_of(character) {
                    Some(_) => char::REPLACEMENT_CHARACTER,
                    None => character,
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_comes_back() {
        // Every invalid byte value, a truncated sequence, a surrogate, an overlong form, CRLF.
        let mut bytes: Vec<u8> = b"LABEL a=\xe9t\xe9\r\n".to_vec();
        bytes.extend(0x80..=0xffu8);
        bytes.extend_from_slice(b"\r\nx \xe2\x82 \xed\xa0\x80 \xc0\xaf caf\xc3\xa9\n");
        let decoded = Decoded::new(bytes.clone());
        assert!(decoded.invalid_bytes > 128);
        assert!(!decoded.ambiguous);
        assert_eq!(decoded.encode(&decoded.text), bytes);
        // Valid UTF-8 stays as it was.
        assert!(decoded.text.ends_with("café\n"));
    }

    #[test]
    fn the_shown_text_has_the_same_offsets() {
        let decoded = Decoded::new(b"LABEL a=\xe9\xe2\x82 b\n".to_vec());
        assert_eq!(decoded.invalid_bytes, 3);
        let shown = decoded.shown(&decoded.text);
        assert_eq!(shown, "LABEL a=\u{fffd}\u{fffd}\u{fffd} b\n");
        assert_eq!(shown.len(), decoded.text.len());
    }

    #[test]
    fn utf8_text_is_left_alone_even_with_private_use_characters() {
        let text = "RUN echo \u{ef80}\n";
        let decoded = Decoded::new(text.as_bytes().to_vec());
        assert_eq!(decoded.invalid_bytes, 0);
        assert!(!decoded.ambiguous);
        assert_eq!(decoded.shown(text), text);
        assert_eq!(decoded.encode(text), text.as_bytes());
    }

    #[test]
    fn a_stand_in_already_in_a_file_that_is_not_utf8_is_ambiguous() {
        let decoded = Decoded::new("RUN echo \u{ef80} \u{fffd}".bytes().chain([0xff]).collect());
        assert!(decoded.ambiguous);
        // U+FFFD written in the file is just a character.
        let decoded = Decoded::new("RUN echo \u{fffd}".bytes().chain([0xff]).collect());
        assert!(!decoded.ambiguous);
    }
}
