//! `data:` URLs, decoded as the Fetch standard's data URL processor says
//! (Electron's `net.fetch` has no `data:` support; ours does).

use super::NetError;

/// The MIME type and bytes of a `data:` URL.
///
/// # Errors
/// `ERR_INVALID_URL` for a URL the processor rejects (no comma, bad base64).
pub fn load(url: &str) -> Result<(String, Vec<u8>), NetError> {
    let parsed = data_url::DataUrl::process(url).map_err(|_| NetError::InvalidUrl)?;
    let (body, _fragment) = parsed.decode_to_vec().map_err(|_| NetError::InvalidUrl)?;
    Ok((parsed.mime_type().to_string(), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows follow the Fetch standard's data URL examples.
    #[test]
    fn data_urls() {
        let rows: &[(&str, Result<(&str, &[u8]), NetError>)] = &[
            (
                "data:,Hello%2C%20World%21",
                Ok(("text/plain;charset=US-ASCII", b"Hello, World!")),
            ),
            (
                "data:text/plain;base64,SGVsbG8=",
                Ok(("text/plain", b"Hello")),
            ),
            (
                "data:text/html;charset=utf-8,%3Cb%3Ehi%3C%2Fb%3E",
                Ok(("text/html;charset=utf-8", b"<b>hi</b>")),
            ),
            (
                "data:application/octet-stream;base64,AAEC",
                Ok(("application/octet-stream", &[0, 1, 2])),
            ),
            (
                "data:;base64,SGk",
                Ok(("text/plain;charset=US-ASCII", b"Hi")),
            ),
            ("data:text/plain;base64,%%%", Err(NetError::InvalidUrl)),
            ("data:no-comma", Err(NetError::InvalidUrl)),
        ];
        for (url, want) in rows {
            let got = load(url);
            let got = got
                .as_ref()
                .map(|(m, b)| (m.as_str(), b.as_slice()))
                .map_err(|e| *e);
            assert_eq!(got, *want, "url {url}");
        }
    }
}
