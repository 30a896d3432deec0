//! One error type for the core. Each kind says how the binding must surface it
//! (`TypeError` for bad arguments, plain `Error` otherwise); the message is the
//! exact text JavaScript sees.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A caller passed an argument of the wrong type or value (a JS `TypeError`).
    InvalidArgument,
    /// The operation failed for a reason other than its arguments (a JS `Error`).
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::InvalidArgument,
            message: message.into(),
        }
    }

    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Failed,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn is_invalid_argument(&self) -> bool {
        self.kind == ErrorKind::InvalidArgument
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
