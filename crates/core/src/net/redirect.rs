//! What a redirect response asks for: the next URL and method, by the Fetch
//! standard's rules as Chromium applies them (`net/url_request/redirect_info.cc`).

use url::Url;

use super::NetError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectInfo {
    pub status: u16,
    pub new_url: Url,
    pub new_method: String,
    /// The body (and its headers) is dropped when the method changes to GET.
    pub drops_body: bool,
}

/// Redirection limit, as in Chromium (`kMaxRedirects`).
pub const MAX_REDIRECTS: usize = 20;

/// The redirect `status` + `location` asks for, if any. A 3xx without a
/// `Location` is not a redirect: its response is the final one.
///
/// # Errors
/// `ERR_INVALID_REDIRECT` for a `Location` that is not a URL;
/// `ERR_UNSAFE_REDIRECT` for one leading off http(s).
pub fn redirect_for(
    status: u16,
    location: Option<&str>,
    current: &Url,
    method: &str,
) -> Result<Option<RedirectInfo>, NetError> {
    redirect_to_schemes(status, location, current, method, |s| {
        matches!(s, "http" | "https")
    })
}

/// [`redirect_for`], with `allowed` saying which schemes a redirect may lead
/// to (the pipeline adds those the session's protocol handlers answer).
///
/// # Errors
/// As [`redirect_for`]; `ERR_UNSAFE_REDIRECT` for a scheme `allowed` refuses.
pub fn redirect_to_schemes(
    status: u16,
    location: Option<&str>,
    current: &Url,
    method: &str,
    allowed: impl Fn(&str) -> bool,
) -> Result<Option<RedirectInfo>, NetError> {
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(location) = location else {
        return Ok(None);
    };
    let mut new_url = current
        .join(location.trim())
        .map_err(|_| NetError::InvalidRedirect)?;
    if !allowed(new_url.scheme()) {
        return Err(NetError::UnsafeRedirect);
    }
    if new_url.fragment().is_none() {
        new_url.set_fragment(current.fragment());
    }
    let to_get =
        (status == 303 && method != "HEAD") || (matches!(status, 301 | 302) && method == "POST");
    let new_method = if to_get {
        "GET".to_string()
    } else {
        method.to_string()
    };
    Ok(Some(RedirectInfo {
        status,
        new_url,
        new_method,
        drops_body: to_get,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: 303 turns everything but HEAD into GET; 301/302 turn POST into
    // GET; 307/308 keep method and body.
    #[test]
    fn methods_after_redirect() {
        let base = Url::parse("http://a.test/p/q?x#frag").unwrap();
        let rows: &[(u16, &str, &str, bool)] = &[
            (301, "POST", "GET", true),
            (302, "POST", "GET", true),
            (302, "PUT", "PUT", false),
            (303, "POST", "GET", true),
            (303, "PUT", "GET", true),
            (303, "HEAD", "HEAD", false),
            (307, "POST", "POST", false),
            (308, "DELETE", "DELETE", false),
            (301, "GET", "GET", false),
        ];
        for (status, method, want, drops) in rows {
            let r = redirect_for(*status, Some("/next"), &base, method)
                .unwrap()
                .unwrap();
            assert_eq!(
                (r.new_method.as_str(), r.drops_body),
                (*want, *drops),
                "{status} {method}"
            );
        }
    }

    #[test]
    fn locations() {
        let base = Url::parse("http://a.test/p/q#frag").unwrap();
        let ok: &[(&str, &str)] = &[
            ("/abs", "http://a.test/abs#frag"),
            ("rel", "http://a.test/p/rel#frag"),
            ("https://b.test/x#own", "https://b.test/x#own"),
            ("//c.test/", "http://c.test/#frag"),
        ];
        for (loc, want) in ok {
            assert_eq!(
                redirect_for(302, Some(loc), &base, "GET")
                    .unwrap()
                    .unwrap()
                    .new_url
                    .as_str(),
                *want,
                "{loc}"
            );
        }
        assert_eq!(
            redirect_for(302, Some("http://[bad"), &base, "GET"),
            Err(NetError::InvalidRedirect)
        );
        assert_eq!(
            redirect_for(302, Some("file:///etc/passwd"), &base, "GET"),
            Err(NetError::UnsafeRedirect)
        );
        assert_eq!(
            redirect_for(302, Some("data:,x"), &base, "GET"),
            Err(NetError::UnsafeRedirect)
        );
        assert_eq!(
            redirect_for(302, None, &base, "GET"),
            Ok(None),
            "no Location: final response"
        );
        assert_eq!(redirect_for(300, Some("/x"), &base, "GET"), Ok(None));
        assert_eq!(redirect_for(304, Some("/x"), &base, "GET"), Ok(None));
    }
}
