//! Argument checks and error conversion, shared by every class.
//!
//! Type mismatches use gin's wording (`Error processing argument at index N,
//! conversion failure from X`, Chromium `gin/arguments.cc`); core errors keep
//! their own message and become a `TypeError` when they are about arguments.

use napi::bindgen_prelude::*;
use napi::{Env, JsValue, Unknown, ValueType};

/// Throws `message` as a `TypeError` and returns the error that tells napi an
/// exception is already pending.
pub fn type_error(env: &Env, message: &str) -> Error {
    match env.throw_type_error(message, None) {
        Ok(()) => Error::new(Status::PendingException, message.to_string()),
        Err(e) => e,
    }
}

/// Throws `message` as a plain `Error`.
pub fn plain_error(env: &Env, message: &str) -> Error {
    match env.throw_error(message, None) {
        Ok(()) => Error::new(Status::PendingException, message.to_string()),
        Err(e) => e,
    }
}

/// Throws a core error with the constructor its kind calls for.
pub fn throw_core(env: &Env, e: electron_session_core::Error) -> Error {
    if e.is_invalid_argument() {
        type_error(env, e.message())
    } else {
        plain_error(env, e.message())
    }
}

/// A core error as a Promise rejection (no pending exception involved).
pub fn reject_core(e: electron_session_core::Error) -> Error {
    Error::new(Status::GenericFailure, e.message().to_string())
}

/// How gin names a value it could not convert.
fn describe(v: &Unknown) -> String {
    match v.get_type() {
        Ok(ValueType::Undefined) => "undefined".into(),
        Ok(ValueType::Null) => "null".into(),
        Ok(ValueType::Object) => "#<Object>".into(),
        Ok(ValueType::Function) => "#<Function>".into(),
        Ok(ValueType::Symbol) => "Symbol()".into(),
        _ => v
            .coerce_to_string()
            .and_then(|s| s.into_utf8())
            .and_then(|s| s.into_owned())
            .unwrap_or_default(),
    }
}

pub fn conversion_failure(env: &Env, index: usize, v: &Unknown) -> Error {
    type_error(
        env,
        &format!(
            "Error processing argument at index {index}, conversion failure from {}",
            describe(v)
        ),
    )
}

pub fn is_undefined(v: &Unknown) -> bool {
    matches!(v.get_type(), Ok(ValueType::Undefined))
}

/// A required string argument.
pub fn string(env: &Env, v: &Unknown, index: usize) -> Result<String> {
    if v.get_type()? != ValueType::String {
        return Err(conversion_failure(env, index, v));
    }
    unsafe { v.cast::<String>() }
}

/// An optional string argument: `undefined` is `None`.
pub fn optional_string(env: &Env, v: &Unknown, index: usize) -> Result<Option<String>> {
    if is_undefined(v) {
        return Ok(None);
    }
    string(env, v, index).map(Some)
}

/// An array of strings.
pub fn string_array(env: &Env, v: &Unknown, index: usize) -> Result<Vec<String>> {
    Vec::<String>::read(v)?.ok_or_else(|| conversion_failure(env, index, v))
}

/// A JavaScript value of one type, read as Rust: `None` when it has another.
pub trait Prop: Sized {
    fn read(v: &Unknown) -> Result<Option<Self>>;
}

impl Prop for String {
    fn read(v: &Unknown) -> Result<Option<Self>> {
        if v.get_type()? != ValueType::String {
            return Ok(None);
        }
        unsafe { v.cast::<String>() }.map(Some)
    }
}

impl Prop for bool {
    fn read(v: &Unknown) -> Result<Option<Self>> {
        if v.get_type()? != ValueType::Boolean {
            return Ok(None);
        }
        unsafe { v.cast::<bool>() }.map(Some)
    }
}

impl Prop for f64 {
    fn read(v: &Unknown) -> Result<Option<Self>> {
        if v.get_type()? != ValueType::Number {
            return Ok(None);
        }
        unsafe { v.cast::<f64>() }.map(Some)
    }
}

impl<T: Prop> Prop for Vec<T> {
    fn read(v: &Unknown) -> Result<Option<Self>> {
        if !v.is_array()? {
            return Ok(None);
        }
        let items: Vec<Unknown> = unsafe { v.cast::<Vec<Unknown>>()? };
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            match T::read(item)? {
                Some(x) => out.push(x),
                None => return Ok(None),
            }
        }
        Ok(Some(out))
    }
}

/// The property `name` of an options object: `None` when it is undefined; a
/// `TypeError` with the message `bad` when it is of another type.
pub fn property<T: Prop>(env: &Env, obj: &Object, name: &str, bad: &str) -> Result<Option<T>> {
    let v: Unknown = obj.get_named_property(name)?;
    if is_undefined(&v) {
        return Ok(None);
    }
    T::read(&v)?.map(Some).ok_or_else(|| type_error(env, bad))
}

/// An optional options object: `undefined` is `None`; anything but a plain
/// object is a conversion failure.
pub fn optional_object<'a>(env: &Env, v: &Unknown<'a>, index: usize) -> Result<Option<Object<'a>>> {
    if is_undefined(v) {
        return Ok(None);
    }
    if v.get_type()? != ValueType::Object || v.is_array()? {
        return Err(conversion_failure(env, index, v));
    }
    Ok(Some(unsafe { v.cast::<Object>()? }))
}

/// An argument that `lib/` passes as a value of one type or `undefined`
/// (any other type reads as absent), read with one N-API call: napi-rs's
/// `Option<T>` asks for the value's type first, and its `String` for the
/// length before the text. Used where a call's cost is most of the work.
pub struct Loose<T>(pub Option<T>);

/// What reading a value as the wrong type answers: the value is absent.
fn loose<T>(status: i32, expected: i32, value: T) -> Result<Loose<T>> {
    if status == expected {
        return Ok(Loose(None));
    }
    napi::check_status!(status, "Failed to read an argument")?;
    Ok(Loose(Some(value)))
}

impl FromNapiValue for Loose<String> {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> Result<Self> {
        // Short text in one call: it is whole when it did not fill the buffer
        // (the call writes whole characters, leaving room for a NUL).
        let mut buf = [0u8; 256];
        let mut len = 0usize;
        let status =
            napi::sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), buf.len(), &mut len);
        if status == napi::sys::Status::napi_string_expected {
            return Ok(Loose(None));
        }
        napi::check_status!(status, "Failed to read a string argument")?;
        if len + 1 < buf.len() {
            // The call writes UTF-8 (lone surrogates replaced).
            let text = std::str::from_utf8(&buf[..len]).map_err(|_| Error::from_reason("invalid UTF-8"))?;
            return Ok(Loose(Some(text.to_owned())));
        }
        String::from_napi_value(env, value).map(|s| Loose(Some(s)))
    }
}

impl FromNapiValue for Loose<bool> {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> Result<Self> {
        let mut b = false;
        let status = napi::sys::napi_get_value_bool(env, value, &mut b);
        loose(status, napi::sys::Status::napi_boolean_expected, b)
    }
}

impl FromNapiValue for Loose<f64> {
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> Result<Self> {
        let mut x = 0f64;
        let status = napi::sys::napi_get_value_double(env, value, &mut x);
        loose(status, napi::sys::Status::napi_number_expected, x)
    }
}
