//! The cookie store of a session, after Chromium's `net/cookies/`:
//! [`parse`] (Set-Cookie lines, `ParsedCookie`), [`canonical`] (the
//! validated cookie, `CanonicalCookie`, and its matching rules), [`store`]
//! (the in-memory store, `CookieMonster`), [`sqlite`] (the `Network/Cookies`
//! database, `SQLitePersistentCookieStore`), [`status`] (exclusion reasons
//! and Electron's messages for them) and [`time`] (Chromium's time unit).

pub mod canonical;
pub mod parse;
pub mod sqlite;
pub mod status;
pub mod store;
pub mod time;

pub use canonical::{CanonicalCookie, CookieDetails, CookieOptions, SameSiteContext};
pub use parse::ParsedCookie;
pub use crate::plain_url::{PlainUrl, UrlParts};
pub use status::{CookieInclusionStatus, ExclusionReason};
pub use store::{CookieChange, CookieChangeCause, CookieFilter, CookieMonster};
pub use time::Time;

/// A cookie's SameSite attribute, with Electron's names for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CookieSameSite {
    /// No attribute, or one Chromium does not know; treated as `Lax` when
    /// cookies are sent.
    #[default]
    Unspecified,
    /// `SameSite=None`.
    NoRestriction,
    Lax,
    Strict,
}

impl CookieSameSite {
    /// Electron's string: `unspecified`, `no_restriction`, `lax`, `strict`.
    pub fn as_electron_str(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::NoRestriction => "no_restriction",
            Self::Lax => "lax",
            Self::Strict => "strict",
        }
    }

    /// Reads Electron's string.
    ///
    /// # Errors
    /// Any other string gives Electron's message, `Failed to convert
    /// '<value>' to an appropriate cookie same site value`.
    pub fn from_electron_str(value: &str) -> Result<Self, String> {
        match value {
            "unspecified" => Ok(Self::Unspecified),
            "no_restriction" => Ok(Self::NoRestriction),
            "lax" => Ok(Self::Lax),
            "strict" => Ok(Self::Strict),
            other => Err(format!(
                "Failed to convert '{other}' to an appropriate cookie same site value"
            )),
        }
    }

    /// The `samesite` column value of Chromium's database.
    pub fn to_db(self) -> i64 {
        match self {
            Self::Unspecified => -1,
            Self::NoRestriction => 0,
            Self::Lax => 1,
            Self::Strict => 2,
        }
    }

    /// Reads the `samesite` column; unknown values (and the retired
    /// `Extended`, 3) are unspecified.
    pub fn from_db(value: i64) -> Self {
        match value {
            0 => Self::NoRestriction,
            1 => Self::Lax,
            2 => Self::Strict,
            _ => Self::Unspecified,
        }
    }
}

/// A cookie's Priority attribute (a Chromium extension used by eviction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum CookiePriority {
    Low,
    #[default]
    Medium,
    High,
}

impl CookiePriority {
    /// The `priority` column value of Chromium's database.
    pub fn to_db(self) -> i64 {
        match self {
            Self::Low => 0,
            Self::Medium => 1,
            Self::High => 2,
        }
    }

    /// Reads the `priority` column; unknown values are medium.
    pub fn from_db(value: i64) -> Self {
        match value {
            0 => Self::Low,
            2 => Self::High,
            _ => Self::Medium,
        }
    }
}

/// Whether the URL that set a cookie was secure (Chromium's
/// `CookieSourceScheme`; the numbers are the database's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CookieSourceScheme {
    #[default]
    Unset,
    NonSecure,
    Secure,
}

impl CookieSourceScheme {
    pub fn to_db(self) -> i64 {
        match self {
            Self::Unset => 0,
            Self::NonSecure => 1,
            Self::Secure => 2,
        }
    }

    pub fn from_db(value: i64) -> Self {
        match value {
            1 => Self::NonSecure,
            2 => Self::Secure,
            _ => Self::Unset,
        }
    }
}
