//! Content-Disposition parsing, after Chromium's
//! `net/http/http_content_disposition.cc` and the parameter iterator of
//! `net/http/http_util.cc` (`HttpUtil::NameValuePairsIterator`).
//!
//! Everything here works on bytes: a header value off the wire need not be
//! UTF-8, and Chromium interprets raw 8-bit names as UTF-8 first and in the
//! referrer's charset second. Every loop is a single pass over its input, so
//! hostile headers cost linear time.

use base64::Engine as _;
use encoding_rs::Encoding;

/// The disposition type. Chromium treats any type other than `inline`
/// (including an unknown one) as `attachment`, and a header without a
/// valid type as `inline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispositionType {
    Inline,
    Attachment,
}

/// A parsed Content-Disposition header (Chromium's `HttpContentDisposition`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpContentDisposition {
    /// `inline` or `attachment`.
    pub disposition_type: DispositionType,
    /// The decoded file name, empty when the header gives none that decodes.
    /// `filename*` wins over `filename`.
    pub filename: String,
}

impl HttpContentDisposition {
    /// Parses `header`; raw non-ASCII bytes in a `filename` are read as UTF-8
    /// when valid, else in `referrer_charset`.
    pub fn parse(header: &[u8], referrer_charset: &str) -> Self {
        let (disposition_type, rest) = consume_disposition_type(header);
        let mut filename = String::new();
        let mut ext_filename = String::new();
        for param in NameValuePairs::new(rest) {
            if filename.is_empty() && param.name.eq_ignore_ascii_case(b"filename") {
                if let Some(decoded) = decode_filename_value(&param.value(), referrer_charset) {
                    filename = decoded;
                }
            } else if ext_filename.is_empty() && param.name.eq_ignore_ascii_case(b"filename*") {
                if let Some(decoded) = decode_ext_value(param.raw_value) {
                    ext_filename = decoded;
                }
            }
        }
        HttpContentDisposition {
            disposition_type,
            filename: if ext_filename.is_empty() { filename } else { ext_filename },
        }
    }

    /// Whether the type is `attachment` (or unknown, which counts as one).
    pub fn is_attachment(&self) -> bool {
        self.disposition_type == DispositionType::Attachment
    }
}

fn is_lws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_lws(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_lws(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_lws(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// RFC 7230 `tchar`.
fn is_token_char(b: u8) -> bool {
    b > 0x20 && b < 0x7f && !b"()<>@,;:\\\"/[]?={}".contains(&b)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_token_char(b))
}

/// Reads the type before the first ';'. When it is not a token the header
/// has no type and everything is parameters.
fn consume_disposition_type(header: &[u8]) -> (DispositionType, &[u8]) {
    let end = header.iter().position(|&b| b == b';').unwrap_or(header.len());
    let ty = trim_lws(&header[..end]);
    if !is_token(ty) {
        return (DispositionType::Inline, header);
    }
    let ty_kind = if ty.eq_ignore_ascii_case(b"inline") {
        DispositionType::Inline
    } else {
        DispositionType::Attachment
    };
    (ty_kind, &header[end..])
}

/// One `name=value` parameter.
struct Param<'a> {
    name: &'a [u8],
    /// The value as written, quotes included (after dropping a lone opening
    /// quote of an unbalanced value).
    raw_value: &'a [u8],
    quoted: bool,
}

impl Param<'_> {
    /// The value with surrounding quotes removed and `\x` escapes undone.
    fn value(&self) -> Vec<u8> {
        if !self.quoted {
            return self.raw_value.to_vec();
        }
        let inner = &self.raw_value[1..self.raw_value.len() - 1];
        let mut out = Vec::with_capacity(inner.len());
        let mut i = 0;
        while i < inner.len() {
            if inner[i] == b'\\' && i + 1 < inner.len() {
                i += 1;
            }
            out.push(inner[i]);
            i += 1;
        }
        out
    }
}

/// Chromium's `NameValuePairsIterator` with ';' as the delimiter: splits on
/// ';' outside double quotes, skips empty items, and stops for good at the
/// first malformed item (no name, no '=', a quote before '=', or an empty
/// value).
struct NameValuePairs<'a> {
    rest: &'a [u8],
    done: bool,
}

impl<'a> NameValuePairs<'a> {
    fn new(input: &'a [u8]) -> Self {
        NameValuePairs { rest: input, done: false }
    }

    /// The next non-empty ';'-separated item, trimmed.
    fn next_item(&mut self) -> Option<&'a [u8]> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let input = self.rest;
            let mut in_quote = false;
            let mut i = 0;
            let mut end = input.len();
            while i < input.len() {
                let b = input[i];
                if in_quote && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == b'"' {
                    in_quote = !in_quote;
                } else if b == b';' && !in_quote {
                    end = i;
                    break;
                }
                i += 1;
            }
            let item = trim_lws(&input[..end]);
            self.rest = if end < input.len() { &input[end + 1..] } else { &[] };
            if !item.is_empty() {
                return Some(item);
            }
        }
    }
}

impl<'a> Iterator for NameValuePairs<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        if self.done {
            return None;
        }
        let item = self.next_item()?;
        let parsed = (|| {
            let eq = item.iter().position(|&b| b == b'=')?;
            if eq == 0 || item[..eq].contains(&b'"') {
                return None;
            }
            let name = trim_lws(&item[..eq]);
            let mut value = trim_lws(&item[eq + 1..]);
            if value.is_empty() {
                return None;
            }
            let mut quoted = false;
            if value[0] == b'"' {
                if value.len() == 1 || value[value.len() - 1] != b'"' {
                    // Unbalanced: drop the opening quote and keep the rest.
                    value = &value[1..];
                } else {
                    quoted = true;
                }
            }
            Some(Param { name, raw_value: value, quoted })
        })();
        if parsed.is_none() {
            self.done = true;
        }
        parsed
    }
}

/// Converts `bytes` in the charset labelled `charset` to UTF-8, replacing
/// malformed sequences; None for an unknown charset.
fn convert_to_utf8(bytes: &[u8], charset: &str) -> Option<String> {
    let encoding = encoding_for_label(charset)?;
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Some(text.into_owned())
}

/// Like [`convert_to_utf8`] but None when any byte does not convert.
fn convert_to_utf8_strict(bytes: &[u8], charset: &str) -> Option<String> {
    let encoding = encoding_for_label(charset)?;
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

fn encoding_for_label(charset: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label_no_replacement(charset.trim().as_bytes())?;
    Some(encoding)
}

/// Raw 8-bit text: UTF-8 when valid, else the referrer charset. Chromium
/// then tries the native multibyte charset, which on a UTF-8 Linux system
/// rejects the bytes and yields nothing.
pub(crate) fn decode_raw_8bit(bytes: &[u8], referrer_charset: &str) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    if !referrer_charset.is_empty() {
        if let Some(text) = convert_to_utf8_strict(bytes, referrer_charset) {
            return text;
        }
    }
    String::new()
}

/// RFC 2047 "Q" decoding; None on a malformed escape or a byte that may not
/// appear in a Q-encoded word.
fn decode_q(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let hi = hex_value(*input.get(i + 1)?)?;
                let lo = hex_value(*input.get(i + 2)?)?;
                out.push(hi * 16 + lo);
                i += 2;
            }
            b if b > 0x20 && b < 0x7f && b != b'?' => out.push(b),
            _ => return None,
        }
        i += 1;
    }
    Some(out)
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The outcome of decoding one whitespace-free word of a `filename` value.
struct Word {
    text: String,
    rfc2047: bool,
}

/// Decodes one word: raw non-ASCII text, an RFC 2047 encoded word
/// (`=?charset?B|Q?text?=`), or %-escaped UTF-8 as IE sends. None means
/// the whole value is rejected.
fn decode_word(word: &[u8], referrer_charset: &str) -> Option<Word> {
    if word.is_empty() {
        return Some(Word { text: String::new(), rfc2047: false });
    }
    if !word.is_ascii() {
        return Some(Word { text: decode_raw_8bit(word, referrer_charset), rfc2047: false });
    }

    // Split on '?', skipping empty pieces as Chromium's tokenizer does.
    let mut rfc2047 = true;
    let mut charset: &[u8] = b"";
    let mut base64 = false;
    let mut decoded = String::new();
    for (part_index, part) in word.split(|&b| b == b'?').filter(|p| !p.is_empty()).enumerate() {
        match part_index {
            0 => {
                if part != b"=" {
                    rfc2047 = false;
                    break;
                }
            }
            1 => charset = part,
            2 => {
                if part.len() != 1 || !b"bBqQ".contains(&part[0]) {
                    rfc2047 = false;
                    break;
                }
                base64 = part[0].eq_ignore_ascii_case(&b'b');
            }
            3 => {
                let bytes = if base64 {
                    base64::engine::general_purpose::STANDARD.decode(part).ok()?
                } else {
                    decode_q(part)?
                };
                decoded = if bytes.is_empty() {
                    String::new()
                } else {
                    // `charset` is ASCII here, since the whole word is.
                    convert_to_utf8(&bytes, std::str::from_utf8(charset).ok()?)?
                };
            }
            4 => {
                if part != b"=" {
                    return None;
                }
            }
            _ => return None,
        }
    }
    if rfc2047 {
        // A word that stops early (or ends in '?') is malformed.
        return if word.last() == Some(&b'=') {
            Some(Word { text: decoded, rfc2047: true })
        } else {
            None
        };
    }

    let unescaped: Vec<u8> = percent_encoding::percent_decode(word).collect();
    String::from_utf8(unescaped).ok().map(|text| Word { text, rfc2047: false })
}

/// Decodes a `filename` value word by word. Each whitespace byte becomes a
/// space, except after an RFC 2047 encoded word, where it is dropped.
fn decode_filename_value(input: &[u8], referrer_charset: &str) -> Option<String> {
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut out = String::new();
    let mut previous_rfc2047 = true;
    let mut i = 0;
    while i < input.len() {
        if is_ws(input[i]) {
            if !previous_rfc2047 {
                out.push(' ');
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < input.len() && !is_ws(input[i]) {
            i += 1;
        }
        let word = decode_word(&input[start..i], referrer_charset)?;
        previous_rfc2047 = word.rfc2047;
        out.push_str(&word.text);
    }
    Some(out)
}

/// Decodes an RFC 5987 `ext-value` (`charset'[language]'value-chars`),
/// normalized to NFC.
/// None when malformed or the charset is unknown; an empty name when the
/// value holds raw non-ASCII bytes.
fn decode_ext_value(raw: &[u8]) -> Option<String> {
    if raw.contains(&b'"') {
        return None;
    }
    let mut pieces = raw.split(|&b| b == b'\'');
    let charset = pieces.next()?;
    let _language = pieces.next()?;
    let value = pieces.next()?;
    if pieces.next().is_some() || charset.is_empty() || value.is_empty() {
        return None;
    }
    if !value.is_ascii() {
        return Some(String::new());
    }
    let unescaped: Vec<u8> = percent_encoding::percent_decode(value).collect();
    let text = convert_to_utf8(&unescaped, std::str::from_utf8(charset).ok()?)?;
    // Chromium composes the result (NFC), so a decomposed "a" + U+0308
    // becomes "ä".
    Some(icu_normalizer::ComposingNormalizer::new_nfc().normalize(&text).into_owned())
}
