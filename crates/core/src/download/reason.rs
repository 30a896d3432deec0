//! Why a download stopped, and whether and how it may go on: Chromium's
//! `DownloadInterruptReason` (the subset this crate can produce) and the
//! rules of `DownloadItemImpl::GetResumeMode`
//! (`components/download/internal/common/download_item_impl.cc`).

use crate::net::NetError;

/// Chromium's interrupt reasons, named as in `download_interrupt_reason_values.h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterruptReason {
    None,
    FileFailed,
    FileAccessDenied,
    FileNoSpace,
    FileNameTooLong,
    FileTooShort,
    NetworkFailed,
    NetworkTimeout,
    NetworkDisconnected,
    NetworkInvalidRequest,
    ServerFailed,
    ServerNoRange,
    ServerBadContent,
    ServerUnauthorized,
    ServerCertProblem,
    ServerForbidden,
    ServerContentLengthMismatch,
    UserCanceled,
    UserShutdown,
    Crash,
}

impl InterruptReason {
    /// Chromium's name, as `chrome.downloads` reports it (`NETWORK_FAILED`).
    pub fn as_str(self) -> &'static str {
        match self {
            InterruptReason::None => "NONE",
            InterruptReason::FileFailed => "FILE_FAILED",
            InterruptReason::FileAccessDenied => "FILE_ACCESS_DENIED",
            InterruptReason::FileNoSpace => "FILE_NO_SPACE",
            InterruptReason::FileNameTooLong => "FILE_NAME_TOO_LONG",
            InterruptReason::FileTooShort => "FILE_TOO_SHORT",
            InterruptReason::NetworkFailed => "NETWORK_FAILED",
            InterruptReason::NetworkTimeout => "NETWORK_TIMEOUT",
            InterruptReason::NetworkDisconnected => "NETWORK_DISCONNECTED",
            InterruptReason::NetworkInvalidRequest => "NETWORK_INVALID_REQUEST",
            InterruptReason::ServerFailed => "SERVER_FAILED",
            InterruptReason::ServerNoRange => "SERVER_NO_RANGE",
            InterruptReason::ServerBadContent => "SERVER_BAD_CONTENT",
            InterruptReason::ServerUnauthorized => "SERVER_UNAUTHORIZED",
            InterruptReason::ServerCertProblem => "SERVER_CERT_PROBLEM",
            InterruptReason::ServerForbidden => "SERVER_FORBIDDEN",
            InterruptReason::ServerContentLengthMismatch => "SERVER_CONTENT_LENGTH_MISMATCH",
            InterruptReason::UserCanceled => "USER_CANCELED",
            InterruptReason::UserShutdown => "USER_SHUTDOWN",
            InterruptReason::Crash => "CRASH",
        }
    }

    /// The reason a network error stands for (Chromium's
    /// `ConvertNetErrorToInterruptReason` for errors from the network).
    pub fn from_net_error(e: NetError) -> InterruptReason {
        use NetError::*;
        match e {
            TimedOut | ConnectionTimedOut => InterruptReason::NetworkTimeout,
            InternetDisconnected => InterruptReason::NetworkDisconnected,
            InvalidUrl | UnknownUrlScheme | InvalidRedirect | UnsafeRedirect | BlockedByClient
            | InvalidArgument => InterruptReason::NetworkInvalidRequest,
            CertCommonNameInvalid | CertDateInvalid | CertAuthorityInvalid | CertRevoked
            | CertInvalid => InterruptReason::ServerCertProblem,
            ContentLengthMismatch => InterruptReason::ServerContentLengthMismatch,
            FileNotFound => InterruptReason::FileFailed,
            AccessDenied => InterruptReason::FileAccessDenied,
            Aborted => InterruptReason::UserCanceled,
            _ => InterruptReason::NetworkFailed,
        }
    }

    /// The reason a failed disk operation stands for.
    pub fn from_io_error(e: &std::io::Error) -> InterruptReason {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => InterruptReason::FileAccessDenied,
            std::io::ErrorKind::StorageFull => InterruptReason::FileNoSpace,
            // ENAMETOOLONG
            _ if cfg!(unix) && e.raw_os_error() == Some(36) => InterruptReason::FileNameTooLong,
            _ => InterruptReason::FileFailed,
        }
    }

    /// The reason an HTTP status stands for when it cannot be saved
    /// (Chromium's `HandleSuccessfulServerResponse`); `None` for the
    /// statuses whose body is the file.
    pub fn from_status(status: u16) -> Option<InterruptReason> {
        match status {
            200 | 203 | 206 => None,
            201 | 202 | 204 | 205 | 404 => Some(InterruptReason::ServerBadContent),
            416 => Some(InterruptReason::ServerNoRange),
            401 | 407 => Some(InterruptReason::ServerUnauthorized),
            403 => Some(InterruptReason::ServerForbidden),
            _ => Some(InterruptReason::ServerFailed),
        }
    }
}

/// Whether and how an interrupted download goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResumeMode {
    /// It cannot.
    Invalid,
    /// At once, by itself, from where it stopped.
    ImmediateContinue,
    /// At once, by itself, from the start.
    ImmediateRestart,
    /// When `resume()` is called, from where it stopped.
    UserContinue,
    /// When `resume()` is called, from the start.
    UserRestart,
}

/// How many times a download resumes by itself before waiting for `resume()`.
pub const MAX_AUTO_RESUME_ATTEMPTS: u32 = 5;

/// What to do after `reason`. `can_continue` says whether the download has
/// what a ranged request needs (an HTTP(S) URL, a partial file and a
/// validator); `auto_resumes` counts the automatic attempts made so far;
/// `paused` items always wait for the user.
pub fn resume_mode(
    reason: InterruptReason,
    is_http: bool,
    can_continue: bool,
    auto_resumes: u32,
    paused: bool,
) -> ResumeMode {
    use InterruptReason::*;
    if !is_http {
        return ResumeMode::Invalid;
    }
    let mut restart = !can_continue;
    let mut user = auto_resumes >= MAX_AUTO_RESUME_ATTEMPTS || paused;
    match reason {
        NetworkTimeout | ServerContentLengthMismatch => {}
        ServerNoRange => restart = true,
        NetworkFailed | NetworkDisconnected | ServerFailed | ServerUnauthorized
        | ServerCertProblem | UserShutdown | Crash | FileTooShort => user = true,
        FileFailed | FileNoSpace | FileNameTooLong | FileAccessDenied | ServerForbidden
        | ServerBadContent => {
            restart = true;
            user = true;
        }
        None | NetworkInvalidRequest | UserCanceled => return ResumeMode::Invalid,
    }
    match (user, restart) {
        (false, false) => ResumeMode::ImmediateContinue,
        (false, true) => ResumeMode::ImmediateRestart,
        (true, false) => ResumeMode::UserContinue,
        (true, true) => ResumeMode::UserRestart,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: each reason resumes as Chromium's GetResumeMode says, and the
    // sixth automatic attempt waits for the user.
    #[test]
    fn resume_modes_follow_chromium() {
        use InterruptReason::*;
        use ResumeMode::*;
        let rows: &[(InterruptReason, bool, u32, ResumeMode)] = &[
            (NetworkTimeout, true, 0, ImmediateContinue),
            (ServerContentLengthMismatch, true, 0, ImmediateContinue),
            (ServerContentLengthMismatch, true, 5, UserContinue),
            (ServerNoRange, true, 0, ImmediateRestart),
            (NetworkFailed, true, 0, UserContinue),
            (NetworkFailed, false, 0, UserRestart),
            (ServerBadContent, true, 0, UserRestart),
            (ServerForbidden, true, 0, UserRestart),
            (FileFailed, true, 0, UserRestart),
            (UserCanceled, true, 0, Invalid),
            (NetworkInvalidRequest, true, 0, Invalid),
        ];
        for &(reason, can_continue, attempts, want) in rows {
            assert_eq!(
                resume_mode(reason, true, can_continue, attempts, false),
                want,
                "row {reason:?} continue={can_continue} attempts={attempts}"
            );
        }
        assert_eq!(resume_mode(NetworkFailed, false, true, 0, false), Invalid, "file: URLs never resume");
        assert_eq!(resume_mode(NetworkTimeout, true, true, 0, true), UserContinue, "paused items wait");
    }

    // Rule: statuses map to Chromium's reasons; 200/203/206 are the file.
    #[test]
    fn statuses_map_to_reasons() {
        let rows: &[(u16, Option<InterruptReason>)] = &[
            (200, None),
            (206, None),
            (204, Some(InterruptReason::ServerBadContent)),
            (404, Some(InterruptReason::ServerBadContent)),
            (416, Some(InterruptReason::ServerNoRange)),
            (401, Some(InterruptReason::ServerUnauthorized)),
            (403, Some(InterruptReason::ServerForbidden)),
            (500, Some(InterruptReason::ServerFailed)),
        ];
        for &(status, want) in rows {
            assert_eq!(InterruptReason::from_status(status), want, "status {status}");
        }
    }
}
