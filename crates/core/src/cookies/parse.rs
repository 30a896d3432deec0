//! Set-Cookie line parsing, after Chromium's `ParsedCookie`
//! (`net/cookies/parsed_cookie.cc`) and the date parser of
//! `cookie_util::ParseCookieExpirationTime` (`net/cookies/cookie_util.cc`).

use super::status::{CookieInclusionStatus, ExclusionReason};
use super::time::{self, Time};
use super::{CookiePriority, CookieSameSite};

/// Longest name plus value a cookie may have, in bytes (RFC 6265bis).
pub const MAX_NAME_PLUS_VALUE_SIZE: usize = 4096;
/// Longest attribute value kept, in bytes; longer attributes are ignored.
pub const MAX_ATTRIBUTE_VALUE_SIZE: usize = 1024;

const WHITESPACE: &[u8] = b" \t";

/// A Set-Cookie line split into its name/value pair and attributes.
///
/// Attribute names are lower-cased; for an attribute given more than once
/// the last one wins, as in Chromium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCookie {
    pairs: Vec<(String, String)>,
    path: usize,
    domain: usize,
    expires: usize,
    max_age: usize,
    secure: usize,
    http_only: usize,
    same_site: usize,
    priority: usize,
    partitioned: usize,
}

/// A control character that makes a cookie invalid: every CTL but HTAB,
/// which Chromium lets through.
fn is_disallowed_control(c: u8) -> bool {
    (c <= 0x1f && c != b'\t') || c == 0x7f
}

fn is_valid_name(name: &str) -> bool {
    name.bytes()
        .all(|c| !is_disallowed_control(c) && c != b';' && c != b'=')
}

fn is_valid_value(value: &str) -> bool {
    value.bytes().all(|c| !is_disallowed_control(c) && c != b';')
}

/// Chromium's `IsValidCookieNameValuePair`: the checks a name/value pair
/// must pass, whether it came from a Set-Cookie line or from
/// `cookies.set(details)`.
///
/// # Errors
/// `NoCookieContent` when both are empty, `NameValuePairExceedsMaxSize`
/// over 4096 bytes together, `DisallowedCharacter` for a control character
/// (HTAB excepted), or `;` anywhere, or `=` in the name.
pub fn check_name_value_pair(name: &str, value: &str) -> Result<(), ExclusionReason> {
    if name.is_empty() && value.is_empty() {
        return Err(ExclusionReason::NoCookieContent);
    }
    if name.len() + value.len() > MAX_NAME_PLUS_VALUE_SIZE {
        return Err(ExclusionReason::NameValuePairExceedsMaxSize);
    }
    if !is_valid_name(name) || !is_valid_value(value) {
        return Err(ExclusionReason::DisallowedCharacter);
    }
    Ok(())
}

/// Whether an attribute value uses only allowed characters (those of a
/// cookie value).
pub fn attribute_value_has_valid_char_set(value: &str) -> bool {
    is_valid_value(value)
}

fn trim_ws(b: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && WHITESPACE.contains(&b[start]) {
        start += 1;
    }
    while end > start && WHITESPACE.contains(&b[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// The value a string parses to as a cookie value: up to the first `;`,
/// without surrounding spaces or tabs (Chromium's `ParseValueString`).
pub fn parse_value_string(value: &str) -> &str {
    let b = value.as_bytes();
    let end = b
        .iter()
        .position(|c| matches!(c, b'\n' | b'\r' | 0))
        .unwrap_or(b.len());
    let stop = b[..end].iter().position(|c| *c == b';').unwrap_or(end);
    let (s, e) = trim_ws(b, 0, stop);
    &value[s..e]
}

/// The token a string parses to as a cookie name: up to the first `;` or
/// `=`, without surrounding spaces or tabs (Chromium's `ParseTokenString`).
pub fn parse_token_string(token: &str) -> &str {
    let b = token.as_bytes();
    let end = b
        .iter()
        .position(|c| matches!(c, b'\n' | b'\r' | 0))
        .unwrap_or(b.len());
    let stop = b[..end]
        .iter()
        .position(|c| *c == b';' || *c == b'=')
        .unwrap_or(end);
    let (s, e) = trim_ws(b, 0, stop);
    &token[s..e]
}

impl ParsedCookie {
    /// Parses one Set-Cookie line.
    ///
    /// The first pair is the cookie's name and value; a first pair without
    /// `=` is a value with an empty name (`v`), and `=v` also has an empty
    /// name. Quotes are kept as part of the value. Attributes follow, split
    /// on `;`; an attribute without `=` has an empty value (`Secure`), and
    /// one whose value is longer than [`MAX_ATTRIBUTE_VALUE_SIZE`] is
    /// ignored.
    ///
    /// # Errors
    /// The whole line is refused, with the status saying why, when it holds
    /// NUL, CR or LF anywhere, or another control character in the name,
    /// value or an attribute (`ExclusionReason::DisallowedCharacter`); when
    /// it has neither name nor value (`NoCookieContent`); or when name plus
    /// value exceed 4096 bytes (`NameValuePairExceedsMaxSize`).
    pub fn parse(line: &str) -> Result<ParsedCookie, CookieInclusionStatus> {
        let b = line.as_bytes();
        if b.iter().any(|c| matches!(c, b'\n' | b'\r' | 0)) {
            return Err(ExclusionReason::DisallowedCharacter.into());
        }
        if b.is_empty() {
            return Err(ExclusionReason::NoCookieContent.into());
        }
        let end = b.len();
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut it = 0usize;
        let mut pair_num = 0usize;
        while it != end {
            // The token (name): skip leading whitespace, read to ';' or '='.
            let mut token = None;
            let mut p = it;
            while p < end && WHITESPACE.contains(&b[p]) {
                p += 1;
            }
            if p < end {
                let token_start = p;
                while p < end && b[p] != b';' && b[p] != b'=' {
                    p += 1;
                }
                let (_, token_end) = trim_ws(b, token_start, p);
                token = Some((token_start, token_end));
                it = p;
            } else {
                it = p;
            }
            let (token_start, token_end) = match token {
                Some(t) => t,
                None if pair_num != 0 => break,
                None => (0, 0),
            };
            let name = if it == end || b[it] != b'=' {
                if pair_num == 0 {
                    // A lone value: the name is empty and the token is
                    // re-read as the value.
                    it = token_start;
                    String::new()
                } else {
                    line[token_start..token_end].to_string()
                }
            } else {
                let n = line[token_start..token_end].to_string();
                it += 1;
                n
            };
            // The value: up to ';', trimmed.
            let value_start = it;
            while it < end && b[it] != b';' {
                it += 1;
            }
            let (vs, ve) = trim_ws(b, value_start, it);
            let value = line[vs..ve].to_string();

            if pair_num == 0 {
                check_name_value_pair(&name, &value)
                    .map_err(CookieInclusionStatus::excluded)?;
                pairs.push((name, value));
            } else {
                let name = name.to_ascii_lowercase();
                if !is_valid_name(&name) || !attribute_value_has_valid_char_set(&value) {
                    return Err(ExclusionReason::DisallowedCharacter.into());
                }
                if value.len() <= MAX_ATTRIBUTE_VALUE_SIZE {
                    pairs.push((name, value));
                }
            }
            if it != end {
                it += 1;
            }
            pair_num += 1;
        }
        if pairs.is_empty() {
            return Err(ExclusionReason::FailureToStore.into());
        }
        let mut pc = ParsedCookie {
            pairs,
            path: 0,
            domain: 0,
            expires: 0,
            max_age: 0,
            secure: 0,
            http_only: 0,
            same_site: 0,
            priority: 0,
            partitioned: 0,
        };
        for i in 1..pc.pairs.len() {
            let slot = match pc.pairs[i].0.as_str() {
                "path" => &mut pc.path,
                "domain" => &mut pc.domain,
                "expires" => &mut pc.expires,
                "max-age" => &mut pc.max_age,
                "secure" => &mut pc.secure,
                "httponly" => &mut pc.http_only,
                "samesite" => &mut pc.same_site,
                "priority" => &mut pc.priority,
                "partitioned" => &mut pc.partitioned,
                _ => continue,
            };
            *slot = i;
        }
        Ok(pc)
    }

    fn attr(&self, index: usize) -> Option<&str> {
        (index != 0).then(|| self.pairs[index].1.as_str())
    }

    /// The cookie's name (may be empty).
    pub fn name(&self) -> &str {
        &self.pairs[0].0
    }

    /// The cookie's value, quotes included.
    pub fn value(&self) -> &str {
        &self.pairs[0].1
    }

    /// The `Path` attribute's value, when present.
    pub fn path(&self) -> Option<&str> {
        self.attr(self.path)
    }

    /// The `Domain` attribute's value, when present (possibly empty).
    pub fn domain(&self) -> Option<&str> {
        self.attr(self.domain)
    }

    /// The `Expires` attribute's value, when present.
    pub fn expires(&self) -> Option<&str> {
        self.attr(self.expires)
    }

    /// The `Max-Age` attribute's value, when present.
    pub fn max_age(&self) -> Option<&str> {
        self.attr(self.max_age)
    }

    pub fn is_secure(&self) -> bool {
        self.secure != 0
    }

    pub fn is_http_only(&self) -> bool {
        self.http_only != 0
    }

    pub fn is_partitioned(&self) -> bool {
        self.partitioned != 0
    }

    /// The `SameSite` attribute: `Strict`, `Lax` or `None` in any case; any
    /// other value, or none, is unspecified.
    pub fn same_site(&self) -> CookieSameSite {
        match self.attr(self.same_site) {
            Some(v) if v.eq_ignore_ascii_case("strict") => CookieSameSite::Strict,
            Some(v) if v.eq_ignore_ascii_case("lax") => CookieSameSite::Lax,
            Some(v) if v.eq_ignore_ascii_case("none") => CookieSameSite::NoRestriction,
            _ => CookieSameSite::Unspecified,
        }
    }

    /// The `Priority` attribute: `Low`, `Medium` or `High` in any case;
    /// anything else is the default, medium.
    pub fn priority(&self) -> CookiePriority {
        match self.attr(self.priority) {
            Some(v) if v.eq_ignore_ascii_case("low") => CookiePriority::Low,
            Some(v) if v.eq_ignore_ascii_case("high") => CookiePriority::High,
            _ => CookiePriority::Medium,
        }
    }

    /// All pairs, the name/value first, as parsed.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

/// Parses an `Expires` date the liberal way browsers do, after Chromium's
/// `cookie_util::ParseCookieExpirationTime`.
///
/// The string is cut into tokens at any ASCII punctuation, space or tab
/// except `:`. The first token starting with a month's three-letter
/// abbreviation (any case, `January` too) is the month; the first token
/// with a `:` is `h:m:s` (one or two digits each); of the other tokens
/// starting with a digit, the first with at most two characters is the day,
/// the next with at most five the year. Other tokens are ignored. Years
/// 70–99 mean 19xx and 0–69 mean 20xx.
///
/// Returns `None` (a session cookie) when a field is missing or the date
/// does not exist. Years before 1601 give a time before Chromium's epoch
/// (an expired cookie), as on 64-bit Linux.
pub fn parse_cookie_expiration_time(s: &str) -> Option<Time> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DELIMITERS: &[u8] = b"\t !\"#$%&'()*+,-./;<=>?@[\\]^_`{|}~";
    let (mut day, mut month, mut year) = (None, None, None);
    let mut hms: Option<(u32, u32, u32)> = None;
    for token in s
        .as_bytes()
        .split(|c| DELIMITERS.contains(c))
        .filter(|t| !t.is_empty())
    {
        if !token[0].is_ascii_digit() {
            if month.is_none() {
                if let Some(i) = MONTHS.iter().position(|m| {
                    token.len() >= 3 && token[..3].eq_ignore_ascii_case(m.as_bytes())
                }) {
                    month = Some(i as u32 + 1);
                }
            }
        } else if token.contains(&b':') {
            if hms.is_none() {
                hms = scan_hms(token);
            }
        } else if day.is_none() && token.len() <= 2 {
            day = Some(atoi(token));
        } else if year.is_none() && token.len() <= 5 {
            year = Some(atoi(token) as i64);
        }
    }
    let (day, month, mut year, (h, m, sec)) = (day?, month?, year?, hms?);
    if (70..=99).contains(&year) {
        year += 1900;
    }
    if (0..=69).contains(&year) {
        year += 2000;
    }
    time::from_utc_exploded(year, month, day, h, m, sec)
}

/// `atoi`: the leading digits of `t` as a number (tokens here start with a
/// digit and are at most five bytes long).
fn atoi(t: &[u8]) -> u32 {
    t.iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0, |n, c| n * 10 + (c - b'0') as u32)
}

/// `sscanf(token, "%2u:%2u:%2u")`: three numbers of one or two digits
/// separated by colons; anything may follow the third.
fn scan_hms(t: &[u8]) -> Option<(u32, u32, u32)> {
    let mut out = [0u32; 3];
    let mut i = 0;
    for (n, slot) in out.iter_mut().enumerate() {
        if n > 0 {
            if t.get(i) != Some(&b':') {
                return None;
            }
            i += 1;
        }
        let start = i;
        while i < t.len() && i - start < 2 && t[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        *slot = atoi(&t[start..i]);
    }
    Some((out[0], out[1], out[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> ParsedCookie {
        ParsedCookie::parse(line).unwrap_or_else(|e| panic!("{line:?}: {e:?}"))
    }

    // The first pair is name=value; a lone token is a value with an empty
    // name. Rows from parsed_cookie_unittest.cc (TestBasic, TestEmpty*,
    // TestQuoted, TestNameless).
    #[test]
    fn name_and_value() {
        let rows: &[(&str, &str, &str)] = &[
            ("a=b", "a", "b"),
            ("  A  =  BC  ;secure;;;   samesite=lax", "A", "BC"),
            ("BLAHHH; path=/; secure;", "", "BLAHHH"),
            ("=ABC", "", "ABC"),
            ("ABC=;  path = /wee", "ABC", ""),
            ("aBc=\"zw;  path=/\";", "aBc", "\"zw"),
            ("aBc=\"zzz \"  ;", "aBc", "\"zzz \""),
            ("aBc=\"zz;pp\" ; ;", "aBc", "\"zz"),
            ("a=b=c", "a", "b=c"),
            ("a\tb=c\td", "a\tb", "c\td"),
            ("  =  ", "", ""),
        ];
        for (line, name, value) in rows {
            if name.is_empty() && value.is_empty() {
                continue;
            }
            let pc = parse(line);
            assert_eq!((pc.name(), pc.value()), (*name, *value), "{line:?}");
        }
    }

    // Lines with control characters, no content or an oversized pair are
    // refused with Chromium's reason. Rows from parsed_cookie_unittest.cc
    // (InvalidNonAlphanumericChars, TruncatedNameOrValue, MaxSizes).
    #[test]
    fn bad_lines() {
        let long_value = format!("a={}", "x".repeat(4096));
        let ok_value = format!("a={}", "x".repeat(4095));
        let too_long_name = format!("{}=", "x".repeat(4097));
        let rows: &[(&str, Option<ExclusionReason>)] = &[
            ("", Some(ExclusionReason::NoCookieContent)),
            ("   ", Some(ExclusionReason::NoCookieContent)),
            ("=;", Some(ExclusionReason::NoCookieContent)),
            ("  =  ; path=/", Some(ExclusionReason::NoCookieContent)),
            ("a=b\nc", Some(ExclusionReason::DisallowedCharacter)),
            ("a=b\rc", Some(ExclusionReason::DisallowedCharacter)),
            ("a=b\0c", Some(ExclusionReason::DisallowedCharacter)),
            ("a=b; path=/\n", Some(ExclusionReason::DisallowedCharacter)),
            ("a\x01=b", Some(ExclusionReason::DisallowedCharacter)),
            ("a=b\x7f", Some(ExclusionReason::DisallowedCharacter)),
            ("a=b; path=/\x07", Some(ExclusionReason::DisallowedCharacter)),
            ("a=b; pa\x1fth=/", Some(ExclusionReason::DisallowedCharacter)),
            (&long_value, Some(ExclusionReason::NameValuePairExceedsMaxSize)),
            (&too_long_name, Some(ExclusionReason::NameValuePairExceedsMaxSize)),
            (&ok_value, None),
            ("a=b\t", None),
        ];
        for (line, want) in rows {
            let got = ParsedCookie::parse(line).err();
            let want = want.map(CookieInclusionStatus::excluded);
            assert_eq!(got, want, "{:?}", &line[..line.len().min(20)]);
        }
    }

    // Attribute names are case-insensitive, the last one wins, unknown ones
    // are kept but unused. Rows from parsed_cookie_unittest.cc (TestAttributeCase,
    // MultipleEquals, DuplicateAttributes).
    #[test]
    fn attributes() {
        let pc = parse("name=value; PATH=/a; pAtH=/b; DOMAIN=.example.com; Max-AGE=60; EXPIRES=Wed, 21 Oct 2015 07:28:00 GMT; SECURE; httpONLY; foo=bar; Partitioned");
        assert_eq!(pc.path(), Some("/b"));
        assert_eq!(pc.domain(), Some(".example.com"));
        assert_eq!(pc.max_age(), Some("60"));
        assert_eq!(pc.expires(), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert!(pc.is_secure() && pc.is_http_only() && pc.is_partitioned());
        assert_eq!(pc.pairs().len(), 10);

        let plain = parse("name=value");
        assert_eq!(
            (plain.path(), plain.domain(), plain.is_secure(), plain.is_http_only()),
            (None, None, false, false)
        );
        let empty_domain = parse("a=b; domain=");
        assert_eq!(empty_domain.domain(), Some(""));
        let eq_in_attr = parse("a=b; path=/x=y; secure=yes");
        assert_eq!(eq_in_attr.path(), Some("/x=y"));
        assert!(eq_in_attr.is_secure());
    }

    // An attribute value over 1024 bytes is ignored, the cookie kept.
    // Rows from parsed_cookie_unittest.cc (AttributeValueTooLong).
    #[test]
    fn oversized_attribute_ignored() {
        let at = "/".repeat(1024);
        let over = "/".repeat(1025);
        let rows: &[(String, Option<&str>)] = &[
            (format!("a=b; path={at}"), Some(at.as_str())),
            (format!("a=b; path={over}"), None),
            (format!("a=b; path=/ok; path={over}"), Some("/ok")),
        ];
        for (line, want) in rows {
            assert_eq!(parse(line).path(), *want, "{}", &line[..12]);
        }
    }

    // SameSite and Priority values are case-insensitive; unknown ones fall
    // back to unspecified / medium. Rows from parsed_cookie_unittest.cc
    // (SameSiteValues, Priority).
    #[test]
    fn same_site_and_priority() {
        let same_site: &[(&str, CookieSameSite)] = &[
            ("a=b; samesite=strict", CookieSameSite::Strict),
            ("a=b; SameSite=LAX", CookieSameSite::Lax),
            ("a=b; SameSite=None", CookieSameSite::NoRestriction),
            ("a=b; SameSite=Extended", CookieSameSite::Unspecified),
            ("a=b; SameSite", CookieSameSite::Unspecified),
            ("a=b", CookieSameSite::Unspecified),
        ];
        for (line, want) in same_site {
            assert_eq!(parse(line).same_site(), *want, "{line}");
        }
        let priority: &[(&str, CookiePriority)] = &[
            ("a=b; priority=low", CookiePriority::Low),
            ("a=b; Priority=HIGH", CookiePriority::High),
            ("a=b; priority=medium", CookiePriority::Medium),
            ("a=b; priority=urgent", CookiePriority::Medium),
            ("a=b", CookiePriority::Medium),
        ];
        for (line, want) in priority {
            assert_eq!(parse(line).priority(), *want, "{line}");
        }
    }

    fn utc(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Time> {
        time::from_utc_exploded(y, mo, d, h, mi, s)
    }

    // Expires dates in every format browsers accept. Rows from
    // cookie_util_unittest.cc (TestCookieDateParsing).
    #[test]
    fn expires_formats() {
        let rows: &[(&str, Option<Time>)] = &[
            ("Sat, 15-Apr-17 21:01:22 GMT", utc(2017, 4, 15, 21, 1, 22)),
            ("Thu, 19-Apr-2007 16:00:00 GMT", utc(2007, 4, 19, 16, 0, 0)),
            ("Wed, 25 Apr 2007 21:02:13 GMT", utc(2007, 4, 25, 21, 2, 13)),
            ("Thu, 19/Apr\\2007 16:00:00 GMT", utc(2007, 4, 19, 16, 0, 0)),
            ("Fri, 1 Jan 2010 01:01:50 GMT", utc(2010, 1, 1, 1, 1, 50)),
            ("Wednesday, 1-Jan-2003 00:00:00 GMT", utc(2003, 1, 1, 0, 0, 0)),
            (", 1-Jan-2003 00:00:00 GMT", utc(2003, 1, 1, 0, 0, 0)),
            (" 1-Jan-2003 00:00:00 GMT", utc(2003, 1, 1, 0, 0, 0)),
            ("1-Jan-2003 00:00:00 GMT", utc(2003, 1, 1, 0, 0, 0)),
            ("Wed,18-Apr-07 22:50:12 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("WillyWonka  , 18-Apr-07 22:50:12 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("WillyWonka  , 18-Apr-07 22:50:12", utc(2007, 4, 18, 22, 50, 12)),
            ("WillyWonka  ,  18-apr-07   22:50:12", utc(2007, 4, 18, 22, 50, 12)),
            ("Mon, 18-Apr-1977 22:50:13 GMT", utc(1977, 4, 18, 22, 50, 13)),
            ("Mon, 18-Apr-77 22:50:13 GMT", utc(1977, 4, 18, 22, 50, 13)),
            ("\"Sat, 15-Apr-17\\\"21:01:22\\\"GMT\"", utc(2017, 4, 15, 21, 1, 22)),
            ("Partyday, 18- April-07 22:50:12", utc(2007, 4, 18, 22, 50, 12)),
            ("Partyday, 18 - Apri-07 22:50:12", utc(2007, 4, 18, 22, 50, 12)),
            ("Wednes, 1-Januar-2003 00:00:00 GMT", utc(2003, 1, 1, 0, 0, 0)),
            ("Sat, 15-Apr-17 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 GMT-2", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 GMT BLAH", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 GMT-0400", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 GMT-0400 (EDT)", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 DST", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 -0400", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 (hello there)", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 21:01:22 11:22:33", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 ::00 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 boink:z 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("Sat, 15-Apr-17 91:22:33 21:01:22", None),
            ("Thu Apr 18 22:50:12 2007 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("22:50:12 Thu Apr 18 2007 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("Thu 22:50:12 Apr 18 2007 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("Thu Apr 22:50:12 18 2007 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("Thu Apr 18 22:50:12 2007 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("Thu Apr 18 2007 22:50:12 GMT", utc(2007, 4, 18, 22, 50, 12)),
            ("Thu Apr 18 2007 GMT 22:50:12", utc(2007, 4, 18, 22, 50, 12)),
            ("Sat, 15-Apr-17 21:01:22 GMT", utc(2017, 4, 15, 21, 1, 22)),
            ("15-Sat, Apr-17 21:01:22 GMT", utc(2017, 4, 15, 21, 1, 22)),
            ("15-Sat, Apr 21:01:22 GMT 17", utc(2017, 4, 15, 21, 1, 22)),
            ("15-Sat, Apr 21:01:22 GMT 2017", utc(2017, 4, 15, 21, 1, 22)),
            ("15 Apr 21:01:22 2017", utc(2017, 4, 15, 21, 1, 22)),
            ("15 17 Apr 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("Apr 15 17 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("Apr 15 21:01:22 17", utc(2017, 4, 15, 21, 1, 22)),
            ("2017 April 15 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("15 April 2017 21:01:22", utc(2017, 4, 15, 21, 1, 22)),
            ("1:2:3 1 jan 1999", utc(1999, 1, 1, 1, 2, 3)),
        ];
        for (s, want) in rows {
            assert_eq!(parse_cookie_expiration_time(s), *want, "{s}");
        }
    }

    // Dates missing a field, or naming one that does not exist, give no
    // time (a session cookie); out-of-range years keep their value. Rows
    // from cookie_util_unittest.cc (TestCookieDateParsing, the failures).
    #[test]
    fn expires_failures_and_ranges() {
        let rows: &[(&str, Option<Time>)] = &[
            ("98 April 17 21:01:22", None),
            ("Thu, 012-Aug-2008 20:49:07 GMT", None),
            ("Thu, 12-Aug-9999999999 20:49:07 GMT", None),
            ("Thu, 999999999999-Aug-2007 20:49:07 GMT", None),
            ("Thu, 12-Aug-2007 20:61:99999999999 GMT", None),
            ("IAintNoDateFool", None),
            ("", None),
            ("Sat, 15-Apr-17 21:01 GMT", None),
            ("Sat, 15-Abc-17 21:01:22 GMT", None),
            ("Sat, 31-Feb-2017 21:01:22 GMT", None),
            ("Sat, 15-Apr-17 24:00:00 GMT", None),
            ("Sat, 15-Apr-17 23:59:60 GMT", None),
            ("Sat, 00-Apr-17 21:01:22 GMT", None),
            ("Thu, 12-Aug-1600 20:49:07 GMT", utc(1600, 8, 12, 20, 49, 7)),
            ("Thu, 12-Aug-10000 20:49:07 GMT", utc(10000, 8, 12, 20, 49, 7)),
            ("Thu, 12-Aug-99999 20:49:07 GMT", utc(99999, 8, 12, 20, 49, 7)),
            ("Thu, 12-Aug-0100 20:49:07 GMT", utc(100, 8, 12, 20, 49, 7)),
        ];
        for (s, want) in rows {
            assert_eq!(parse_cookie_expiration_time(s), *want, "{s}");
        }
        // A year before 1601 lies before Chromium's epoch: already expired.
        assert!(parse_cookie_expiration_time("1 Jan 1000 00:00:00").unwrap() < 0);
    }
}
