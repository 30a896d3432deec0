//! Native fast paths for the PAC helpers a script calls on every URL
//! (`isPlainHostName`, `dnsDomainIs`, `localHostOrDomainIs`,
//! `dnsDomainLevels`, `shExpMatch`, `isInNet`), as raw QuickJS C functions.
//!
//! Each one answers natively only in the common case where its answer is
//! certain to equal the JavaScript library's: ASCII string arguments (for
//! `shExpMatch`, a pattern with no regular-expression syntax beyond what
//! the glob itself makes, a subject with no line terminator, and a bounded
//! amount of matching work; for `isInNet`, an IP literal and dotted
//! decimal pattern and mask), and only while the built-ins the library's
//! version would call (`String.prototype.split`, `RegExp.prototype.exec`,
//! the global `convert_addr`, ...) are still the originals, so a script
//! that replaces one of them sees it called exactly as before. In every
//! other case the call goes to the JavaScript version, unchanged (its
//! `data[0]`). The natives allocate no JavaScript memory and run in time
//! linear in their arguments (bounded for `shExpMatch`), so the time and
//! memory limits hold as before.

use std::ffi::{c_char, c_int, CString};

use rquickjs::{qjs, Ctx, Value};

pub(super) const IS_PLAIN_HOST_NAME: c_int = 0;
pub(super) const DNS_DOMAIN_IS: c_int = 1;
pub(super) const LOCAL_HOST_OR_DOMAIN_IS: c_int = 2;
pub(super) const DNS_DOMAIN_LEVELS: c_int = 3;
pub(super) const SH_EXP_MATCH: c_int = 4;
pub(super) const IS_IN_NET: c_int = 5;

/// The most character comparisons a native `shExpMatch` may make
/// (subject length × pattern length); longer matches go to the RegExp,
/// which the interrupt handler can stop.
const MAX_GLOB_WORK: usize = 1 << 20;

/// A property that must still hold its original value for the native path
/// to be taken: `object[name] === original`, as an own data property.
pub(super) struct Guard<'js> {
    pub object: Value<'js>,
    pub name: &'static str,
    pub original: Value<'js>,
}

/// How many guards the native `magic` has (see `install_fast` in pac.rs).
pub(super) fn guard_count(magic: c_int) -> usize {
    match magic {
        DNS_DOMAIN_IS | LOCAL_HOST_OR_DOMAIN_IS | DNS_DOMAIN_LEVELS => 1,
        SH_EXP_MATCH => 5,
        IS_IN_NET => 4,
        _ => 0,
    }
}

/// Makes the native `name`, falling back to `fallback`, taken only while
/// every guard holds. The atoms it creates are pushed to `atoms`, which the
/// caller frees before the runtime goes.
pub(super) fn make<'js>(
    ctx: &Ctx<'js>,
    name: &str,
    length: c_int,
    magic: c_int,
    fallback: &Value<'js>,
    guards: &[Guard<'js>],
    atoms: &mut Vec<qjs::JSAtom>,
) -> rquickjs::Result<Value<'js>> {
    assert_eq!(guards.len(), guard_count(magic), "one guard per built-in {name} relies on");
    let raw = ctx.as_raw().as_ptr();
    let mut data = vec![fallback.as_raw()];
    for guard in guards {
        let key = CString::new(guard.name).expect("no NUL in a property name");
        // SAFETY: `raw` is the live context; the atom is freed by the caller.
        let atom = unsafe { qjs::JS_NewAtom(raw, key.as_ptr()) };
        atoms.push(atom);
        data.push(guard.object.as_raw());
        data.push(qjs::JS_MKVAL(qjs::JS_TAG_INT, atom as i32));
        data.push(guard.original.as_raw());
    }
    let cname = CString::new(name).expect("no NUL in a function name");
    // SAFETY: `data` holds live values, which QuickJS duplicates into the
    // function; the result is a new reference that `Value` takes over.
    unsafe {
        let f = qjs::JS_NewCFunctionData2(
            raw,
            Some(native),
            cname.as_ptr(),
            length,
            magic,
            data.len() as c_int,
            data.as_mut_ptr(),
        );
        if qjs::JS_IsException(f) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), f))
    }
}

/// A string argument's bytes, borrowed from QuickJS (no copy for an
/// ASCII string), released on drop.
struct Text {
    ctx: *mut qjs::JSContext,
    ptr: *const c_char,
    len: usize,
}

impl Text {
    fn bytes(&self) -> &[u8] {
        // SAFETY: QuickJS gave `len` bytes at `ptr`, valid until freed.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `JS_ToCStringLen` on this context.
        unsafe { qjs::JS_FreeCString(self.ctx, self.ptr) }
    }
}

/// Why the native path cannot answer.
enum Slow {
    /// Let the JavaScript version answer.
    Fallback,
    /// An exception is pending (out of memory): propagate it.
    Exception,
}

/// The ASCII text of `argv[i]`, when it is a string of ASCII characters.
unsafe fn ascii(ctx: *mut qjs::JSContext, argc: c_int, argv: *mut qjs::JSValue, i: c_int) -> Result<Text, Slow> {
    if i >= argc {
        return Err(Slow::Fallback);
    }
    // SAFETY: `i < argc`, so `argv[i]` is a live argument.
    let value = unsafe { *argv.add(i as usize) };
    if !unsafe { qjs::JS_IsString(value) } {
        return Err(Slow::Fallback);
    }
    let mut len = 0usize;
    // SAFETY: `value` is a string; the result is freed by `Text`.
    let ptr = unsafe { qjs::JS_ToCStringLen(ctx, &mut len, value) };
    if ptr.is_null() {
        return Err(Slow::Exception);
    }
    let text = Text { ctx, ptr, len };
    if !text.bytes().is_ascii() {
        return Err(Slow::Fallback);
    }
    Ok(text)
}

/// True while every guard in `data[1..]` holds.
unsafe fn pristine(ctx: *mut qjs::JSContext, data: *mut qjs::JSValue, guards: usize) -> Result<bool, Slow> {
    for g in 0..guards {
        // SAFETY: `make` stored `1 + 3 * guards` values.
        let (object, atom, original) = unsafe {
            (
                *data.add(1 + 3 * g),
                qjs::JS_VALUE_GET_INT(*data.add(2 + 3 * g)) as qjs::JSAtom,
                *data.add(3 + 3 * g),
            )
        };
        let mut desc = qjs::JSPropertyDescriptor {
            flags: 0,
            value: qjs::JS_UNDEFINED,
            getter: qjs::JS_UNDEFINED,
            setter: qjs::JS_UNDEFINED,
        };
        // SAFETY: live context, object and atom; `desc` is released below.
        let found = unsafe { qjs::JS_GetOwnProperty(ctx, &mut desc, object, atom) };
        if found < 0 {
            return Err(Slow::Exception);
        }
        if found == 0 {
            return Ok(false);
        }
        // SAFETY: the descriptor's values are ours to free.
        let same = unsafe {
            let same = desc.flags & qjs::JS_PROP_GETSET as c_int == 0
                && qjs::JS_VALUE_GET_TAG(desc.value) == qjs::JS_TAG_OBJECT
                && qjs::JS_VALUE_GET_PTR(desc.value) == qjs::JS_VALUE_GET_PTR(original);
            qjs::JS_FreeValue(ctx, desc.value);
            qjs::JS_FreeValue(ctx, desc.getter);
            qjs::JS_FreeValue(ctx, desc.setter);
            same
        };
        if !same {
            return Ok(false);
        }
    }
    Ok(true)
}

unsafe extern "C" fn native(
    ctx: *mut qjs::JSContext,
    this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    magic: c_int,
    data: *mut qjs::JSValue,
) -> qjs::JSValue {
    let guards = guard_count(magic);
    // SAFETY: QuickJS passes `argc` live arguments and the data `make` stored.
    let answer = unsafe {
        match pristine(ctx, data, guards) {
            Ok(true) => answer(ctx, argc, argv, magic),
            Ok(false) => Err(Slow::Fallback),
            Err(e) => Err(e),
        }
    };
    match answer {
        Ok(value) => value,
        Err(Slow::Exception) => qjs::JS_EXCEPTION,
        // SAFETY: `data[0]` is the JavaScript version, called as it would
        // have been.
        Err(Slow::Fallback) => unsafe { qjs::JS_Call(ctx, *data, this, argc, argv) },
    }
}

fn boolean(b: bool) -> qjs::JSValue {
    qjs::JS_MKVAL(qjs::JS_TAG_BOOL, b as i32)
}

unsafe fn answer(ctx: *mut qjs::JSContext, argc: c_int, argv: *mut qjs::JSValue, magic: c_int) -> Result<qjs::JSValue, Slow> {
    // SAFETY (all `ascii` calls): the arguments QuickJS passed.
    let arg = |i| unsafe { ascii(ctx, argc, argv, i) };
    Ok(match magic {
        IS_PLAIN_HOST_NAME => {
            let host = arg(0)?;
            let host = host.bytes();
            // ASCII, so UTF-8.
            boolean(!host.contains(&b'.') && std::str::from_utf8(host).map_or(true, |h| h.parse::<std::net::IpAddr>().is_err()))
        }
        // host.length >= domain.length && host.substring(host.length - domain.length) == domain
        DNS_DOMAIN_IS => {
            let (host, domain) = (arg(0)?, arg(1)?);
            boolean(host.bytes().ends_with(domain.bytes()))
        }
        // host == hostdom || hostdom.lastIndexOf(host + '.', 0) == 0
        LOCAL_HOST_OR_DOMAIN_IS => {
            let (host, hostdom) = (arg(0)?, arg(1)?);
            let (host, hostdom) = (host.bytes(), hostdom.bytes());
            boolean(
                host == hostdom
                    || (hostdom.len() > host.len() && hostdom.starts_with(host) && hostdom[host.len()] == b'.'),
            )
        }
        // host.split('.').length - 1
        DNS_DOMAIN_LEVELS => {
            let host = arg(0)?;
            let dots = host.bytes().iter().filter(|&&b| b == b'.').count();
            qjs::JS_MKVAL(qjs::JS_TAG_INT, dots as i32)
        }
        SH_EXP_MATCH => {
            let (subject, pattern) = (arg(0)?, arg(1)?);
            let (subject, pattern) = (subject.bytes(), pattern.bytes());
            if !plain_glob(pattern)
                || subject.iter().any(|&b| b == b'\n' || b == b'\r')
                || subject.len().saturating_mul(pattern.len()) > MAX_GLOB_WORK
            {
                return Err(Slow::Fallback);
            }
            boolean(glob(subject, pattern))
        }
        IS_IN_NET => {
            let (ip, pattern, mask) = (arg(0)?, arg(1)?, arg(2)?);
            let Some(ip) = quad(ip.bytes()) else {
                // A name to resolve, or no address: the library's path.
                return Err(Slow::Fallback);
            };
            if ip.iter().any(|&octet| octet > 255) {
                return Ok(boolean(false));
            }
            let (Some(pattern), Some(mask)) = (convert_addr(pattern.bytes()), convert_addr(mask.bytes())) else {
                return Err(Slow::Fallback);
            };
            let ip = ip.iter().fold(0u32, |acc, &octet| (acc << 8) | (octet & 0xff));
            boolean(ip & mask == pattern & mask)
        }
        _ => return Err(Slow::Fallback),
    })
}

/// A pattern whose RegExp (`.` escaped, `*` → `.*`, `?` → `.`, anchored)
/// is exactly a glob: no other RegExp syntax, no line terminator.
fn plain_glob(pattern: &[u8]) -> bool {
    !pattern
        .iter()
        .any(|b| matches!(b, b'\\' | b'^' | b'$' | b'+' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'|' | b'\n' | b'\r'))
}

/// Whole-string glob match: `*` any run, `?` any one character, anything
/// else itself. Linear backtracking over the last `*` only.
fn glob(subject: &[u8], pattern: &[u8]) -> bool {
    let (mut s, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < subject.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, s));
                p += 1;
            }
            Some(&c) if c == b'?' || c == subject[s] => {
                s += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    star = Some((sp, ss + 1));
                    p = sp + 1;
                    s = ss + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// The four octets of `^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$`.
fn quad(text: &[u8]) -> Option<[u32; 4]> {
    let mut octets = [0u32; 4];
    let mut parts = text.split(|&b| b == b'.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *octet = part.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
    }
    parts.next().is_none().then_some(octets)
}

/// The library's `convert_addr` for a dotted string whose first four parts
/// are each empty (0) or decimal digits (at most nine, so `& 0xff` of the
/// number is exact); `None` for anything else, which the library handles.
fn convert_addr(text: &[u8]) -> Option<u32> {
    let mut parts = text.split(|&b| b == b'.');
    let mut addr = 0u32;
    for _ in 0..4 {
        let part = parts.next()?;
        if part.len() > 9 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = part.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        addr = (addr << 8) | (n & 0xff);
    }
    Some(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_as_the_regexp_would() {
        for (subject, pattern, expected) in [
            ("foo.jpg", "*.jpg", true),
            ("foo5.jpg", "*o?.jpg", true),
            ("foo.jpg", ".jpg", false),
            ("fooXjpg", "foo.jpg", false),
            ("fo.jpg", "fo?.jpg", false),
            ("", "*", true),
            ("", "", true),
            ("a", "", false),
            ("a.b", "*.*", true),
            ("abcabd", "*abd", true),
            ("abcab", "*ab*ab*", true),
            ("aaa", "a*a*a*a", false),
            ("http://x/api/v2/y", "*/api/v2/*", true),
        ] {
            assert_eq!(glob(subject.as_bytes(), pattern.as_bytes()), expected, "{subject} {pattern}");
        }
    }

    #[test]
    fn addresses_parse_as_the_library_would() {
        assert_eq!(quad(b"10.1.2.3"), Some([10, 1, 2, 3]));
        assert_eq!(quad(b"10.1.2.3.4"), None);
        assert_eq!(quad(b"10.1.2.1234"), None);
        assert_eq!(quad(b"010.1.2.999"), Some([10, 1, 2, 999]));
        assert_eq!(convert_addr(b"255.255.0.0"), Some(0xffff_0000));
        assert_eq!(convert_addr(b"1.2.3.4.whatever"), Some(0x0102_0304));
        assert_eq!(convert_addr(b"1..3.256"), Some(0x0100_0300));
        assert_eq!(convert_addr(b"1.2.3"), None);
        assert_eq!(convert_addr(b"0x1.2.3.4"), None);
    }
}
