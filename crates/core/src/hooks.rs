//! How the core asks JavaScript a question and waits for the answer.
//!
//! A [`Hook`] is one registered JavaScript function seen from Rust: calling it
//! returns a future that resolves with the function's answer (whether the
//! function answered with a value, a Promise or an Electron-style callback is
//! the binding's business). A hook that never answers leaves only its own
//! future pending; dropping that future abandons the question.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A JavaScript function that answers questions of type `Q` with `A`.
pub trait Hook<Q, A>: Send + Sync {
    fn call(&self, question: Q) -> BoxFuture<Result<A, HookError>>;
}

pub type SharedHook<Q, A> = Arc<dyn Hook<Q, A>>;

/// What went wrong while asking JavaScript: the function threw, its Promise
/// rejected, or the JS thread is gone. `payload` carries the binding's own error
/// value (the original JS exception) so it can be rethrown unchanged.
#[derive(Debug)]
pub struct HookError {
    message: String,
    payload: Option<Box<dyn std::any::Any + Send + Sync>>,
}

impl HookError {
    pub fn new(message: impl Into<String>) -> Self {
        HookError {
            message: message.into(),
            payload: None,
        }
    }

    pub fn with_payload(
        message: impl Into<String>,
        payload: Box<dyn std::any::Any + Send + Sync>,
    ) -> Self {
        HookError {
            message: message.into(),
            payload: Some(payload),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Takes back the binding's payload, if it is of type `T`.
    pub fn into_payload<T: 'static>(self) -> Result<T, Self> {
        match self.payload {
            Some(p) => match p.downcast::<T>() {
                Ok(t) => Ok(*t),
                Err(p) => Err(HookError {
                    message: self.message,
                    payload: Some(p),
                }),
            },
            None => Err(self),
        }
    }
}

impl std::fmt::Display for HookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HookError {}

/// A hook built from a Rust closure; used by tests and by Rust callers that
/// want to stand in for JavaScript.
pub struct FnHook<F>(pub F);

impl<Q, A, F, Fut> Hook<Q, A> for FnHook<F>
where
    F: Fn(Q) -> Fut + Send + Sync,
    Fut: Future<Output = Result<A, HookError>> + Send + 'static,
{
    fn call(&self, question: Q) -> BoxFuture<Result<A, HookError>> {
        Box::pin((self.0)(question))
    }
}
