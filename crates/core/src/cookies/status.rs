//! Why a cookie was refused: Chromium's `CookieInclusionStatus`
//! (`net/cookies/cookie_inclusion_status.h`), reduced to its exclusion
//! reasons, and the text Electron builds from them for a rejected
//! `cookies.set` (`InclusionStatusToString` in
//! `shell/browser/api/electron_api_cookies.cc`).

use std::fmt;

/// One reason a cookie was not stored or not sent, in Chromium's numerical
/// order (which is also the order Electron prints them in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExclusionReason {
    UnknownError,
    HttpOnly,
    SecureOnly,
    DomainMismatch,
    NotOnPath,
    SameSiteStrict,
    SameSiteLax,
    SameSiteUnspecifiedTreatedAsLax,
    SameSiteNoneInsecure,
    UserPreferences,
    FailureToStore,
    NoncookieableScheme,
    OverwriteSecure,
    OverwriteHttpOnly,
    InvalidDomain,
    InvalidPrefix,
    InvalidPartitioned,
    NameValuePairExceedsMaxSize,
    AttributeValueExceedsMaxSize,
    DomainNonAscii,
    ThirdPartyBlockedWithinFirstPartySet,
    PortMismatch,
    SchemeMismatch,
    ShadowingDomain,
    DisallowedCharacter,
    ThirdPartyPhaseout,
    NoCookieContent,
    AnonymousContext,
}

impl ExclusionReason {
    /// Every reason, in numerical order.
    pub const ALL: [ExclusionReason; 28] = [
        Self::UnknownError,
        Self::HttpOnly,
        Self::SecureOnly,
        Self::DomainMismatch,
        Self::NotOnPath,
        Self::SameSiteStrict,
        Self::SameSiteLax,
        Self::SameSiteUnspecifiedTreatedAsLax,
        Self::SameSiteNoneInsecure,
        Self::UserPreferences,
        Self::FailureToStore,
        Self::NoncookieableScheme,
        Self::OverwriteSecure,
        Self::OverwriteHttpOnly,
        Self::InvalidDomain,
        Self::InvalidPrefix,
        Self::InvalidPartitioned,
        Self::NameValuePairExceedsMaxSize,
        Self::AttributeValueExceedsMaxSize,
        Self::DomainNonAscii,
        Self::ThirdPartyBlockedWithinFirstPartySet,
        Self::PortMismatch,
        Self::SchemeMismatch,
        Self::ShadowingDomain,
        Self::DisallowedCharacter,
        Self::ThirdPartyPhaseout,
        Self::NoCookieContent,
        Self::AnonymousContext,
    ];

    /// Chromium's constant name (`EXCLUDE_INVALID_DOMAIN`), as its debug
    /// string prints it.
    pub fn chromium_name(self) -> &'static str {
        match self {
            Self::UnknownError => "EXCLUDE_UNKNOWN_ERROR",
            Self::HttpOnly => "EXCLUDE_HTTP_ONLY",
            Self::SecureOnly => "EXCLUDE_SECURE_ONLY",
            Self::DomainMismatch => "EXCLUDE_DOMAIN_MISMATCH",
            Self::NotOnPath => "EXCLUDE_NOT_ON_PATH",
            Self::SameSiteStrict => "EXCLUDE_SAMESITE_STRICT",
            Self::SameSiteLax => "EXCLUDE_SAMESITE_LAX",
            Self::SameSiteUnspecifiedTreatedAsLax => "EXCLUDE_SAMESITE_UNSPECIFIED_TREATED_AS_LAX",
            Self::SameSiteNoneInsecure => "EXCLUDE_SAMESITE_NONE_INSECURE",
            Self::UserPreferences => "EXCLUDE_USER_PREFERENCES",
            Self::FailureToStore => "EXCLUDE_FAILURE_TO_STORE",
            Self::NoncookieableScheme => "EXCLUDE_NONCOOKIEABLE_SCHEME",
            Self::OverwriteSecure => "EXCLUDE_OVERWRITE_SECURE",
            Self::OverwriteHttpOnly => "EXCLUDE_OVERWRITE_HTTP_ONLY",
            Self::InvalidDomain => "EXCLUDE_INVALID_DOMAIN",
            Self::InvalidPrefix => "EXCLUDE_INVALID_PREFIX",
            Self::InvalidPartitioned => "EXCLUDE_INVALID_PARTITIONED",
            Self::NameValuePairExceedsMaxSize => "EXCLUDE_NAME_VALUE_PAIR_EXCEEDS_MAX_SIZE",
            Self::AttributeValueExceedsMaxSize => "EXCLUDE_ATTRIBUTE_VALUE_EXCEEDS_MAX_SIZE",
            Self::DomainNonAscii => "EXCLUDE_DOMAIN_NON_ASCII",
            Self::ThirdPartyBlockedWithinFirstPartySet => {
                "EXCLUDE_THIRD_PARTY_BLOCKED_WITHIN_FIRST_PARTY_SET"
            }
            Self::PortMismatch => "EXCLUDE_PORT_MISMATCH",
            Self::SchemeMismatch => "EXCLUDE_SCHEME_MISMATCH",
            Self::ShadowingDomain => "EXCLUDE_SHADOWING_DOMAIN",
            Self::DisallowedCharacter => "EXCLUDE_DISALLOWED_CHARACTER",
            Self::ThirdPartyPhaseout => "EXCLUDE_THIRD_PARTY_PHASEOUT",
            Self::NoCookieContent => "EXCLUDE_NO_COOKIE_CONTENT",
            Self::AnonymousContext => "EXCLUDE_ANONYMOUS_CONTEXT",
        }
    }

    /// The sentence Electron prints for this reason (word for word, including
    /// its inconsistent final full stops).
    pub fn message(self) -> &'static str {
        match self {
            Self::UnknownError => "Unknown error",
            Self::HttpOnly => {
                "The cookie was HttpOnly, but the attempted access was through a non-HTTP API."
            }
            Self::SecureOnly => {
                "The cookie was Secure, but the URL was not allowed to access Secure cookies."
            }
            Self::DomainMismatch => {
                "The cookie's domain attribute did not match the domain of the URL attempting access."
            }
            Self::NotOnPath => {
                "The cookie's path attribute did not match the path of the URL attempting access."
            }
            Self::SameSiteStrict => {
                "The cookie had SameSite=Strict, and the attempted access did not have an appropriate SameSiteCookieContext"
            }
            Self::SameSiteLax => {
                "The cookie had SameSite=Lax, and the attempted access did not have an appropriate SameSiteCookieContext"
            }
            Self::SameSiteUnspecifiedTreatedAsLax => {
                "The cookie did not specify a SameSite attribute, and therefore was treated as if it were SameSite=Lax, and the attempted access did not have an appropriate SameSiteCookieContext."
            }
            Self::SameSiteNoneInsecure => {
                "The cookie specified SameSite=None, but it was not Secure."
            }
            Self::UserPreferences => "Caller did not allow access to the cookie.",
            Self::FailureToStore => "The cookie was malformed and could not be stored",
            Self::NoncookieableScheme => {
                "Attempted to set a cookie from a scheme that does not support cookies."
            }
            Self::OverwriteSecure => {
                "The cookie would have overwritten a Secure cookie, and was not allowed to do so."
            }
            Self::OverwriteHttpOnly => {
                "The cookie would have overwritten an HttpOnly cookie, and was not allowed to do so."
            }
            Self::InvalidDomain => "The cookie was set with an invalid Domain attribute.",
            Self::InvalidPrefix => {
                "The cookie was set with an invalid __Host- or __Secure- prefix."
            }
            Self::InvalidPartitioned => {
                "Cookie was set with an invalid Partitioned attribute, which is only valid if the cookie has a __Host- prefix."
            }
            Self::NameValuePairExceedsMaxSize => {
                "The cookie exceeded the name/value pair size limit."
            }
            Self::AttributeValueExceedsMaxSize => "Cookie exceeded the attribute size limit.",
            Self::DomainNonAscii => {
                "The cookie was set with a Domain attribute containing non ASCII characters."
            }
            Self::ThirdPartyBlockedWithinFirstPartySet => {
                "The cookie is blocked by third-party cookie blocking but the two sites are in the same First-Party Set"
            }
            Self::PortMismatch => {
                "The cookie's source_port did not match the port of the request."
            }
            Self::SchemeMismatch => {
                "The cookie's source_scheme did not match the scheme of the request."
            }
            Self::ShadowingDomain => {
                "The cookie is a domain cookie and has the same name as an origin cookie on this origin."
            }
            Self::DisallowedCharacter => "The cookie contains ASCII control characters",
            Self::ThirdPartyPhaseout => "The cookie is blocked for third-party cookie phaseout.",
            Self::NoCookieContent => "The cookie contains no content or only whitespace.",
            Self::AnonymousContext => {
                "The cookie is unpartitioned and being accessed from an anonymous context."
            }
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of exclusion reasons; empty means the cookie is included.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CookieInclusionStatus(u32);

impl CookieInclusionStatus {
    /// A status with no reason: included.
    pub fn include() -> Self {
        Self(0)
    }

    /// A status holding exactly `reason`.
    pub fn excluded(reason: ExclusionReason) -> Self {
        Self(reason.bit())
    }

    pub fn add(&mut self, reason: ExclusionReason) {
        self.0 |= reason.bit();
    }

    pub fn has(&self, reason: ExclusionReason) -> bool {
        self.0 & reason.bit() != 0
    }

    /// True when no reason is set.
    pub fn is_include(&self) -> bool {
        self.0 == 0
    }

    /// True when `reason` is the only reason set.
    pub fn has_only(&self, reason: ExclusionReason) -> bool {
        self.0 == reason.bit()
    }

    /// The reasons set, in numerical order.
    pub fn reasons(&self) -> Vec<ExclusionReason> {
        ExclusionReason::ALL
            .iter()
            .copied()
            .filter(|r| self.has(*r))
            .collect()
    }

    /// Chromium's `GetDebugString()` for a status without warnings or
    /// exemptions: `INCLUDE, ` or each `EXCLUDE_*, `, then
    /// `DO_NOT_WARN, NO_EXEMPTION`.
    pub fn debug_string(&self) -> String {
        let mut out = String::new();
        if self.is_include() {
            out.push_str("INCLUDE, ");
        }
        for r in self.reasons() {
            out.push_str(r.chromium_name());
            out.push_str(", ");
        }
        out.push_str("DO_NOT_WARN, NO_EXEMPTION");
        out
    }

    /// The message Electron rejects `cookies.set` with: `Failed to set cookie
    /// - `, every reason's sentence run together, then the debug string.
    pub fn electron_set_error(&self) -> String {
        let mut out = String::from("Failed to set cookie - ");
        for r in self.reasons() {
            out.push_str(r.message());
        }
        out.push_str(&self.debug_string());
        out
    }
}

impl fmt::Debug for CookieInclusionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug_string())
    }
}

impl From<ExclusionReason> for CookieInclusionStatus {
    fn from(reason: ExclusionReason) -> Self {
        Self::excluded(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Electron's rejection text: prefix, the reasons' sentences in numerical
    // order, then Chromium's debug string.
    #[test]
    fn electron_set_error_text() {
        let mut two = CookieInclusionStatus::excluded(ExclusionReason::InvalidPrefix);
        two.add(ExclusionReason::SecureOnly);
        let rows: &[(CookieInclusionStatus, &str)] = &[
            (
                ExclusionReason::InvalidDomain.into(),
                "Failed to set cookie - The cookie was set with an invalid Domain attribute.EXCLUDE_INVALID_DOMAIN, DO_NOT_WARN, NO_EXEMPTION",
            ),
            (
                two,
                "Failed to set cookie - The cookie was Secure, but the URL was not allowed to access Secure cookies.The cookie was set with an invalid __Host- or __Secure- prefix.EXCLUDE_SECURE_ONLY, EXCLUDE_INVALID_PREFIX, DO_NOT_WARN, NO_EXEMPTION",
            ),
        ];
        for (status, want) in rows {
            assert_eq!(status.electron_set_error(), *want, "{status:?}");
        }
    }

    // The reason table is complete and in numerical order.
    #[test]
    fn all_reasons_in_order() {
        for (i, r) in ExclusionReason::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i, "{r:?}");
        }
        assert_eq!(
            CookieInclusionStatus::include().debug_string(),
            "INCLUDE, DO_NOT_WARN, NO_EXEMPTION"
        );
    }
}
