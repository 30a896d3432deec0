use super::*;

fn cd_name(header: &[u8], charset: &str) -> String {
    HttpContentDisposition::parse(header, charset).filename
}

fn gen(url: &str, cd: &str, charset: &str, suggested: &str, mime: &str, default: &str) -> String {
    // Chromium's tests use an empty URL for some rows; any URL without a
    // path name or host stands in for it.
    let url = if url.is_empty() { "data:," } else { url };
    let url = url::Url::parse(url).unwrap();
    generate_file_name(&url, Some(cd), charset, suggested, mime, default)
}

// The filename parameter: token, quoted string, %-escapes, RFC 2047 words,
// raw UTF-8; `name=` is not a file name. Rows from Chromium's
// net/http/http_content_disposition_unittest.cc (Filename).
#[test]
fn content_disposition_filename_forms() {
    let cases: &[(&str, &str, &str)] = &[
        ("inline; filename=\"abcde.pdf\"", "", "abcde.pdf"),
        ("attachment; filename=abcde.pdf", "", "abcde.pdf"),
        ("attachment; filename=abc,de.pdf", "", "abc,de.pdf"),
        ("filename=abcde.pdf", "", "abcde.pdf"),
        ("filename= abcde.pdf", "", "abcde.pdf"),
        ("filename =abcde.pdf", "", "abcde.pdf"),
        ("filename = abcde.pdf", "", "abcde.pdf"),
        ("filename\t=abcde.pdf", "", "abcde.pdf"),
        ("filename \t\t  =abcde.pdf", "", "abcde.pdf"),
        ("inline; filename=\"abc%20de.pdf\"", "", "abc de.pdf"),
        ("inline; name=\"abcde.pdf\"", "", ""),
        ("attachment; name=abcde.pdf", "", ""),
        ("name=abcde.pdf", "", ""),
        // Unbalanced quote: the opening one is dropped.
        ("filename=\"abcdef.pdf", "", "abcdef.pdf"),
        // Each white-space byte becomes a space.
        ("inline; filename=\"abc  \t\nde.pdf\"", "", "abc    de.pdf"),
        ("attachment; filename=\"%EC%98%88%EC%88%A0%20%EC%98%88%EC%88%A0.jpg\"", "", "예술 예술.jpg"),
        ("attachment; filename=\"%F0%90%8C%B0%F0%90%8C%B1abc.jpg\"", "", "\u{10330}\u{10331}abc.jpg"),
        ("attachment; filename=\"%EC%98%88%EC%88%A0 \n%EC%98%88%EC%88%A0.jpg\"", "", "예술  예술.jpg"),
        ("attachment; filename=%E5%B2%A1%E3%80%80%E5%B2%A1.txt", "", "岡\u{3000}岡.txt"),
        // RFC 2047, several charsets, Q and B.
        ("attachment; filename=\"=?EUC-JP?Q?=B7=DD=BD=D13=2Epng?=\"", "", "芸術3.png"),
        ("attachment; filename==?eUc-Kr?b?v7m8+iAzLnBuZw==?=", "", "예술 3.png"),
        ("attachment; filename==?utf-8?Q?=E8=8A=B8=E8=A1=93_3=2Epng?=", "", "芸術 3.png"),
        ("attachment; filename==?utf-8?Q?=F0=90=8C=B0_3=2Epng?=", "", "\u{10330} 3.png"),
        ("inline; filename=\"=?iso88591?Q?caf=e9_=2epng?=\"", "", "café .png"),
        // White space after an encoded word is dropped.
        ("inline; filename=\"=?iso88591?Q?caf=E9_?= .png\"", "", "café .png"),
        ("inline; filename=\"=?euc-kr?b?v7m8+iAz?= =?ksc5601?q?=BF=B9=BC=FA=2Epng?=\"", "", "예술 3예술.png"),
        ("attachment; filename=\"=?windows-1252?Q?caf=E9?=  =?iso-8859-7?b?4eI=?= .png\"", "", "caféαβ.png"),
        // Raw UTF-8 is taken as is, whatever the referrer charset.
        ("attachment; filename=caf\u{e9}.png", "iso-8859-1", "café.png"),
        ("attachment; filename=caf\u{e9}.png", "", "café.png"),
        // Failures: bad hex, a truncated or over-long encoded word, bad
        // %-escapes, %-escaped non-UTF-8, two encoded words run together.
        ("attachment; filename==?iiso88591?Q?caf=EG?=", "", ""),
        ("attachment; filename==?iso88591?Q?caf=E3?", "", ""),
        ("attachment; filename==?iso88591?Q?caf=E3?==", "", ""),
        ("attachment; filename==?iso88591?Q?caf=E3?=?", "", ""),
        ("attachment; filename==?iso88591?Q?caf=E3?=?=", "", ""),
        ("attachment; filename==?windows-1252?Q?=63=61=E?=", "", ""),
        ("attachment; filename=%EC%98%88%EC%88%A", "", ""),
        ("attachment; filename=%B7%DD%BD%D1.png", "", ""),
        ("attachment; filename==?windows-1252?Q?caf=E3?==?iso-8859-7?b?4eIucG5nCg==?=", "", ""),
        // An unknown charset in an encoded word.
        ("attachment; filename==?bogus?Q?abc?=", "", ""),
    ];
    for &(header, charset, expected) in cases {
        assert_eq!(cd_name(header.as_bytes(), charset), expected, "header {header:?} charset {charset:?}");
    }
}

// filename* (RFC 5987): charset'language'value-chars, %-decoded in the
// charset; it wins over filename wherever it appears. Rows from Chromium's
// net/http/http_content_disposition_unittest.cc (Filename, tc2231).
#[test]
fn content_disposition_ext_value() {
    let cases: &[(&str, &str)] = &[
        ("attachment; filename*=foo.html", ""),
        ("attachment; filename*=foo'.html", ""),
        ("attachment; filename*=''foo'.html", ""),
        ("attachment; filename*=''foo.html'", ""),
        ("attachment; filename*=''f\"oo\".html'", ""),
        ("attachment; filename*=bogus_charset''foo.html'", ""),
        ("attachment; filename*='en'foo.html'", ""),
        ("attachment; filename*=iso-8859-1'en'foo.html", "foo.html"),
        ("attachment; filename*=utf-8'en'foo.html", "foo.html"),
        ("attachment; filename*=utf-8'en'%E5%B2%A1%E3%80%80%E5%B2%A1.txt", "岡\u{3000}岡.txt"),
        ("attachment; filename*=UTF-8''%e2%82%ac%20rates.txt", "€ rates.txt"),
        // Raw non-ASCII is not allowed in value-chars.
        ("attachment; filename*=utf-8'es'f\u{3ba}.html", ""),
        // Spaces are tolerated.
        ("inline; filename*=iso88591''cafe foo.png", "cafe foo.png"),
        ("attachment; filename*=EUC-JP''%B7%DD%BD%D13%2Epng", "芸術3.png"),
        ("attachment; filename*=utf-8''%E8%8A%B8%E8%A1%93%203%2Epng", "芸術 3.png"),
        ("attachment; filename*=utf-8''%F0%90%8C%B0 3.png", "\u{10330} 3.png"),
        ("inline; filename*=Euc-Kr'ko'%BF%B9%BC%FA%2Epng", "예술.png"),
        ("attachment; filename*=windows-1252''caf%E9.png", "café.png"),
        ("attachment; filename*=Shift_JIS''%93%FA%96%7B.txt", "日本.txt"),
        ("attachment; filename*=GB2312''%D6%D0%CE%C4.txt", "中文.txt"),
        ("attachment; name=\"foo\"; filename=\"bar\"", "bar"),
        ("attachment; filename=\"bar\"; name=\"foo\"", "bar"),
        ("attachment; filename=\"bar\"; filename*=utf-8''baz", "baz"),
        ("attachment; filename*=iso-8859-1''foo-%E4.html", "foo-ä.html"),
        ("attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html", "foo-ä-€.html"),
        // No charset.
        ("attachment; filename*=''foo-%c3%a4-%e2%82%ac.html", ""),
        // Composed to NFC.
        ("attachment; filename*=UTF-8''foo-a%cc%88.html", "foo-ä.html"),
        ("attachment; filename *=UTF-8''foo-%c3%a4.html", ""),
        ("attachment; filename*= UTF-8''foo-%c3%a4.html", "foo-ä.html"),
        ("attachment; filename* =UTF-8''foo-%c3%a4.html", "foo-ä.html"),
        // Quoting is not allowed.
        ("attachment; filename*=\"UTF-8''foo-%c3%a4.html\"", ""),
        ("attachment; filename=\"foo-ae.html\"; filename*=UTF-8''foo-%c3%a4.html", "foo-ä.html"),
        ("attachment; filename*=UTF-8''foo-%c3%a4.html; filename=\"foo-ae.html\"", "foo-ä.html"),
        // An invalid filename* falls back to filename.
        ("attachment; filename*=bogus''x.txt; filename=\"plain.txt\"", "plain.txt"),
        ("attachment; foobar=x; filename=\"foo.html\"", "foo.html"),
    ];
    for &(header, expected) in cases {
        assert_eq!(cd_name(header.as_bytes(), ""), expected, "header {header:?}");
    }
}

// Raw 8-bit names that are not UTF-8 are read in the referrer charset, and
// give no name without one (Chromium on a UTF-8 Linux system).
#[test]
fn content_disposition_raw_bytes() {
    let cases: &[(&[u8], &str, &str)] = &[
        (b"attachment; filename=caf\xe5.png", "windows-1253", "caf\u{3b5}.png"),
        (b"attachment; filename=caf\xe9.png", "iso-8859-1", "caf\u{e9}.png"),
        (b"attachment; filename=\x93\xfa\x96\x7b.txt", "Shift_JIS", "日本.txt"),
        (b"attachment; filename=caf\xe5.png", "", ""),
        (b"attachment; filename*=iso-8859-1'es'f\xfa.html", "", ""),
        (b"attachment; filename*='es'f\xfa.html'", "", ""),
    ];
    for &(header, charset, expected) in cases {
        assert_eq!(cd_name(header, charset), expected, "header {header:?} charset {charset:?}");
    }
}

// The disposition type: inline and attachment case-insensitively, an
// unknown token counts as attachment, and a missing or quoted type as
// inline. Rows from Chromium's http_content_disposition_unittest.cc (tc2231).
#[test]
fn content_disposition_type_and_tc2231() {
    use DispositionType::{Attachment, Inline};
    let cases: &[(&str, DispositionType, &str)] = &[
        ("inline", Inline, ""),
        ("\"inline\"", Inline, ""),
        ("inline; filename=\"foo.html\"", Inline, "foo.html"),
        ("inline; filename=\"Not an attachment!\"", Inline, "Not an attachment!"),
        ("attachment", Attachment, ""),
        ("\"attachment\"", Inline, ""),
        ("ATTACHMENT", Attachment, ""),
        ("attachment; filename=\"foo.html\"", Attachment, "foo.html"),
        ("attachment; filename=\"f\\oo.html\"", Attachment, "foo.html"),
        ("attachment; filename=\"\\\"quoting\\\" tested.html\"", Attachment, "\"quoting\" tested.html"),
        ("attachment; filename=\"Here's a semicolon;.html\"", Attachment, "Here's a semicolon;.html"),
        ("attachment; foo=\"bar\"; filename=\"foo.html\"", Attachment, "foo.html"),
        ("attachment; foo=\"\\\"\\\\\";filename=\"foo.html\"", Attachment, "foo.html"),
        ("attachment; FILENAME=\"foo.html\"", Attachment, "foo.html"),
        ("attachment; filename=foo.html", Attachment, "foo.html"),
        ("attachment; filename=foo.html ;", Attachment, "foo.html"),
        ("attachment; ;filename=foo", Attachment, "foo"),
        ("attachment; filename=foo bar.html", Attachment, "foo bar.html"),
        ("attachment; filename='foo.bar'", Attachment, "'foo.bar'"),
        ("attachment; filename=\"foo-\u{e4}.html\"", Attachment, "foo-ä.html"),
        ("attachment; filename=\"foo-%41.html\"", Attachment, "foo-A.html"),
        ("attachment; filename=\"50%.html\"", Attachment, "50%.html"),
        ("attachment; filename=\"foo-%\\41.html\"", Attachment, "foo-A.html"),
        ("attachment; name=\"foo-%41.html\"", Attachment, ""),
        ("attachment; filename=\"foo-%c3%a4-%e2%82%ac.html\"", Attachment, "foo-ä-€.html"),
        ("attachment; filename =\"foo.html\"", Attachment, "foo.html"),
        ("attachment; filename=\"foo.html\"; filename=\"bar.html\"", Attachment, "foo.html"),
        ("attachment; filename=foo[1](2).html", Attachment, "foo[1](2).html"),
        ("filename=foo.html", Inline, "foo.html"),
        ("x=y; filename=foo.html", Inline, "foo.html"),
        ("\"foo; filename=bar;baz\"; filename=qux", Inline, ""),
        ("filename=foo.html, filename=bar.html", Inline, "foo.html, filename=bar.html"),
        ("; filename=foo.html", Inline, "foo.html"),
        (": inline; attachment; filename=foo.html", Inline, ""),
        ("inline; attachment; filename=foo.html", Inline, ""),
        ("attachment; inline; filename=foo.html", Attachment, ""),
        ("attachment; filename=\"foo.html\".txt", Attachment, "foo.html\".txt"),
        ("attachment; filename=\"bar", Attachment, "bar"),
        ("attachment; filename=foo\"bar;baz\"qux", Attachment, "foo\"bar;baz\"qux"),
        ("attachment; filename=foo.html, attachment; filename=bar.html", Attachment, "foo.html, attachment"),
        ("attachment; foo=foo filename=bar", Attachment, ""),
        ("attachment; filename=bar foo=foo", Attachment, "bar foo=foo"),
        ("attachment filename=bar", Inline, ""),
        ("filename=foo.html; attachment", Inline, "foo.html"),
        ("attachment; xfilename=foo.html", Attachment, ""),
        ("attachment; filename=\"/foo.html\"", Attachment, "/foo.html"),
        ("attachment; filename=\"\\\\foo.html\"", Attachment, "\\foo.html"),
        ("attachment; creation-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"", Attachment, ""),
        ("foobar", Attachment, ""),
        ("attachment; example=\"filename=example.txt\"", Attachment, ""),
        ("attachment; filename=\"=?ISO-8859-1?Q?foo-=E4.html?=\"", Attachment, "foo-ä.html"),
        ("attachment; filename=\"=?utf-8?B?Zm9vLeQuaHRtbA==?=\"", Attachment, "foo-\u{fffd}.html"),
        ("attachment; filename=", Attachment, ""),
        ("", Inline, ""),
    ];
    for &(header, ty, expected) in cases {
        let cd = HttpContentDisposition::parse(header.as_bytes(), "");
        assert_eq!((cd.disposition_type, cd.filename.as_str()), (ty, expected), "header {header:?}");
    }
}

// content_disposition_file_name returns the decoded, unsanitized name, or
// None when the header gives none.
#[test]
fn content_disposition_file_name_api() {
    assert_eq!(content_disposition_file_name("attachment; filename=\"a b.txt\"", "").as_deref(), Some("a b.txt"));
    assert_eq!(content_disposition_file_name("attachment; filename=\"../x/y.txt\"", "").as_deref(), Some("../x/y.txt"));
    assert_eq!(content_disposition_file_name("attachment", ""), None);
    assert_eq!(content_disposition_file_name("inline; filename=", ""), None);
}

// Which source names the file: Content-Disposition, then the suggested
// name, then the URL's last path segment, then the host (only without a
// default), then the default. Rows from Chromium's
// net/base/filename_util_unittest.cc (GenerateFileName, selection_tests).
#[test]
fn generate_file_name_selection() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
        // (url, content-disposition, referrer charset, suggested, mime, default, expected)
        ("http://www.google.com/", "attachment; filename=test.html", "", "", "", "", "test.html"),
        ("http://www.google.com/", "attachment; filename=\"test.html\"", "", "", "", "", "test.html"),
        ("http://www.google.com/", "attachment; filename= \"test.html\"", "", "", "", "", "test.html"),
        ("http://www.google.com/", "attachment; filename   =   \"test.html\"", "", "", "", "", "test.html"),
        ("http://www.google.com/", "attachment; filename=  ", "", "", "", "", "www.google.com"),
        ("http://www.google.com/path/test.html", "attachment", "", "", "", "", "test.html"),
        ("http://www.google.com/path/test.html", "attachment;", "", "", "", "", "test.html"),
        ("http://www.google.com/", "", "", "", "", "", "www.google.com"),
        ("http://www.google.com/test.html", "", "", "", "", "", "test.html"),
        ("http://www.google.com/path/", "", "", "", "", "", "www.google.com"),
        ("http://www.google.com/path", "", "", "", "", "", "path"),
        ("file:///", "", "", "", "", "", "download"),
        ("file:///path/testfile", "", "", "", "", "", "testfile"),
        ("non-standard-scheme:", "", "", "", "", "", "download"),
        ("http://www.google.com/", "attachment; filename =\"test.html\"", "", "", "", "download", "test.html"),
        ("http://www.google.com/", "", "", "", "", "download", "download"),
        ("http://www.google.com/", "attachment; filename=\"%EC%98%88%EC%88%A0%20%EC%98%88%EC%88%A0.jpg\"", "", "", "", "", "예술 예술.jpg"),
        ("http://www.google.com/%EC%98%88%EC%88%A0%20%EC%98%88%EC%88%A0.jpg", "", "", "", "", "download", "예술 예술.jpg"),
        ("http://www.google.com/", "attachment;", "", "", "", "다운로드", "다운로드"),
        ("http://www.google.com/", "attachment; filename=\"=?EUC-JP?Q?=B7=DD=BD=D13=2Epng?=\"", "", "", "", "download", "芸術3.png"),
        ("http://www.example.com/images?id=3", "attachment; filename=caf\u{e9}.png", "iso-8859-1", "", "", "", "café.png"),
        ("http://www.example.com/file?id=3", "attachment; name=abc.zip", "GBK", "", "", "", "file"),
        ("http://www.google.com/test.html", "attachment; filename==?iiso88591?Q?caf=EG?=", "", "", "", "", "test.html"),
        ("about:chrome", "", "", "", "", "", "download"),
        ("data:,looks/like/a.path", "", "", "", "", "", "download"),
        ("data:text/plain;base64,VG8gYmUgb3Igbm90IHRvIGJlLg=", "", "", "", "", "", "download"),
        ("data:,looks/like/a.path", "", "", "", "", "default_filename_is_given", "default_filename_is_given"),
        ("data:,looks/like/a.path", "", "", "", "", "日本語", "日本語"),
        ("http://example.com/V%FDvojov%E1%20psychologie.doc", "", "iso-8859-1", "", "", "", "Vývojová psychologie.doc"),
        ("http://www.google.com/test", "", "", "suggested", "", "", "suggested"),
        ("http://www.google.com/test", "attachment; filename=test.html", "", "suggested", "", "", "test.html"),
        ("http://www.google.com/test", "attachment; filename=test", "utf-8", "", "image/png", "", "test"),
        ("http://www.evil.com/my_download.txt", "a_file_name.txt", "", "", "text/plain", "download", "my_download.txt"),
        ("http://www.frontpagehacker.com/a_download.exe", "filename=My Downloaded File.exe", "", "", "application/octet-stream", "download", "My Downloaded File.exe"),
        ("http://www.examples.com/", "attachment; filename=\"%EC%98%88%EC%88%A0%20%EC%98%88%EC%88%A0.jpg\"", "", "", "application/x-chrome-extension", "download", "예술 예술.jpg"),
        ("http://www.examples.com/q.cgi?id=abc", "attachment; name=abc de.pdf", "", "", "application/octet-stream", "download", "q.cgi"),
        ("http://www.example.com/path", "filename=\"=?EUC-JP?Q?=B7=DD=BD=D13=2Epng?=\"", "", "", "image/png", "download", "芸術3.png"),
        ("http://www.example.com/test%20123", "attachment; filename==?iiso88591?Q?caf=EG?=", "", "", "", "download", "test 123"),
        ("http://www.google.com/%EC%98%88%EC%88%A0%20%EC%98%88%EC%88%A0.jpg", "malformed_disposition", "", "", "", "download", "예술 예술.jpg"),
        ("http://www.google.com/path1/path2/", "attachment; filename==?iso88591?Q?caf=E3?", "", "", "", "download", "download"),
        // Ours: the basics the downloads module relies on.
        ("http://example.com/foo/bar.txt", "", "", "", "", "", "bar.txt"),
        ("http://example.com/foo/bar.txt?x=1#frag", "", "", "", "", "", "bar.txt"),
        ("http://example.com/foo/bar%20baz.txt", "", "", "", "", "", "bar baz.txt"),
        ("http://example.com/dir/a.txt;jsessionid=1", "", "", "", "", "", "a.txt"),
        ("http://example.com/", "", "", "", "", "fallback", "fallback"),
        ("http://[::1]:8080/", "", "", "", "", "", "[__1]"),
        ("http://example.com/x", "attachment; filename=\"\"", "", "", "", "", "x"),
        ("http://example.com/x", "attachment; filename=.", "", "", "", "", "download"),
    ];
    for &(url, cd, charset, suggested, mime, default, expected) in cases {
        assert_eq!(gen(url, cd, charset, suggested, mime, default), expected, "url {url:?} cd {cd:?}");
    }
}

// Sanitizing and extensions: dots trimmed, separators and illegal
// characters replaced, white space at the ends replaced, names of only
// '-'/'_' falling back, and an extension from the MIME type unless the name
// came from Content-Disposition. Rows from Chromium's
// net/base/filename_util_unittest.cc (GenerateFileName, generation_tests,
// the non-Windows results).
#[test]
fn generate_file_name_generation() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str, &str, &str)] = &[
        // (url, content-disposition, suggested, mime, default, expected)
        ("http://www.google.com/.test.html", "", "", "", "", "test.html"),
        ("http://www.google.com/.test", "", "", "", "", "test"),
        ("http://www.google.com/..test", "", "", "", "", "test"),
        ("", "filename=../../../../././../a_file_name.txt", "", "text/plain", "download", "_.._.._.._._._.._a_file_name.txt"),
        ("", "filename=dir1/dir2/a_file_name.txt", "", "text/plain", "download", "dir1_dir2_a_file_name.txt"),
        ("", "filename=..\\..\\..\\..\\.\\.\\..\\a_file_name.txt", "", "text/plain", "download", "_.._.._.._._._.._a_file_name.txt"),
        ("", "filename=dir1\\dir2\\a_file_name.txt", "", "text/plain", "download", "dir1_dir2_a_file_name.txt"),
        ("", "filename=\"<blink>Hello kitty</blink>\"", "", "text/plain", "default", "_blink_Hello kitty__blink_"),
        ("https://example.com/misc/2.avi", "", "", "video/x-msvideo", "download", "2.avi"),
        ("http://example.com/foo%2f..%2fbar.jpg", "", "", "text/plain", "download", "foo_.._bar.jpg"),
        ("http://example.com/download.py", "filename=foo%00bar.jpg", "", "text/plain", "download", "foo_bar.jpg"),
        ("", "filename=my-cat", "", "image/jpeg", "download", "my-cat"),
        ("", "filename=my-cat", "", "dance/party", "download", "my-cat"),
        ("", "filename=my-cat.jpg", "", "text/plain", "download", "my-cat.jpg"),
        ("", "filename=evil.exe ", "", "binary/octet-stream", "download", "evil.exe"),
        ("", "filename=evil.exe.", "", "binary/octet-stream", "download", "evil.exe"),
        ("", "filename=evil.exe.  .  .", "", "binary/octet-stream", "download", "evil.exe.  . _"),
        ("", "filename=evil.", "", "binary/octet-stream", "download", "evil"),
        ("", "filename=. . . . .", "", "binary/octet-stream", "download", "_. . ._"),
        ("", "attachment; filename=\"meh.exe\u{a0}\"", "", "binary/octet-stream", "", "meh.exe_"),
        ("", "filename=.", "", "dance/party", "download", "download"),
        ("", "filename=..", "", "dance/party", "download", "download"),
        ("", "filename=...", "", "dance/party", "download", "download"),
        // Windows reserved names are kept on Linux.
        ("", "filename=COM1", "", "application/foo-bar", "download", "COM1"),
        ("", "filename=COM4.txt", "", "text/plain", "download", "COM4.txt"),
        ("", "filename=clock$.txt", "", "text/plain", "download", "clock$.txt"),
        ("", "", "clock$.txt", "text/plain", "download", "clock$.txt"),
        ("", "filename=Setup.exe.local", "", "", "download", "Setup.exe.local"),
        ("", "filename=Desktop.ini", "", "", "download", "Desktop.ini"),
        ("http://www.example.com/foo.tar.gz", "", "", "application/x-tar", "download", "foo.tar.gz"),
        ("http://www.example.com/foo.tgz", "", "", "application/x-tar", "download", "foo.tgz"),
        ("http://maged.lordaeron.org/blank.reg", "", "", "text/x-registry", "download", "blank.reg"),
        ("http://www.example.com/bar.tar", "", "", "application/x-tar", "download", "bar.tar"),
        ("http://www.example.com/bar.bogus", "", "", "application/x-tar", "download", "bar.bogus"),
        ("http://www.example.com/.download.txt", "filename=.download.txt", "", "text/plain", "-download", "download.txt"),
        ("http://www.example.com/bar.sh", "", "", "application/x-sh", "download", "bar.sh"),
        // A query marks the URL's extension as unreliable.
        ("http://www.example.com/npdf.php?fn=foobar.pdf", "", "", "application/x-chrome-extension", "download", "npdf.crx"),
        ("http://www.example.com/npdf.php?fn=foobar.pdf", "filename=foobar.jpg", "", "text/plain", "download", "foobar.jpg"),
        ("http://www.example.com/image.aspx?id=blargh", "", "", "application/x-chrome-extension", "download", "image.crx"),
        ("http://www.example.com/image.aspx?id=blargh", "", " .foo", "", "download", "_.foo"),
        ("http://www.example.com/goat.tar.gz?wearing_hat=true", "", "", "application/gzip", "", "goat.tar.gz"),
        ("http://www.example.com/goat.tar.gz?wearing_hat=true", "", "", "application/x-gzip", "", "goat.tar.gz"),
        ("http://www.example.com/goat.tgz?wearing_hat=true", "", "", "application/gzip", "", "goat.tgz"),
        ("http://www.example.com/%E5%B2%A1%E3%80%80%E5%B2%A1.txt", "", "", "text/plain", "", "岡\u{3000}岡.txt"),
        ("http://www.example.com/download.py", "filename=%E5%B2%A1%E3%80%80%E5%B2%A1.txt", "", "text/plain", "", "岡\u{3000}岡.txt"),
        // Ours: extensions from the MIME type.
        ("http://example.com/report", "", "", "application/pdf", "", "report.pdf"),
        ("http://example.com/notes", "", "", "text/plain", "", "notes.txt"),
        ("http://example.com/notes", "", "", "Text/Plain; charset=utf-8", "", "notes.txt"),
        ("http://example.com/pic", "", "", "image/png", "", "pic.png"),
        ("http://example.com/pic.jpg", "", "", "image/jpeg", "", "pic.jpg"),
        ("http://example.com/pic.jpg?s=1", "", "", "image/jpeg", "", "pic.jpg"),
        ("http://example.com/pic.gif?s=1", "", "", "image/png", "", "pic.png"),
        ("http://example.com/", "", "", "text/html", "", "example.com"),
        ("http://example.com/", "", "", "text/html", "page", "page.html"),
        ("http://example.com/blob", "", "", "application/octet-stream", "", "blob"),
        ("", "", "", "text/plain", "", "download.txt"),
        ("", "filename=\"a\u{200b}b\u{7}c~d.txt\"", "", "", "", "a_b_c_d.txt"),
        ("", "filename=\"---\"", "", "", "", "download"),
        ("", "filename=\"/etc/passwd\"", "", "", "", "_etc_passwd"),
    ];
    for &(url, cd, suggested, mime, default, expected) in cases {
        assert_eq!(gen(url, cd, "", suggested, mime, default), expected, "url {url:?} cd {cd:?}");
        // Chromium runs these again with a GBK referrer charset: ASCII and
        // UTF-8 names must not change.
        assert_eq!(gen(url, cd, "GBK", suggested, mime, default), expected, "GBK url {url:?} cd {cd:?}");
    }
}

// The byte entry point reads raw legacy-charset names in the referrer
// charset (Chromium's filename_util_unittest.cc rows with raw 8-bit C-D).
#[test]
fn generate_file_name_raw_bytes() {
    let url = url::Url::parse("http://www.example.com/images?id=3").unwrap();
    let cases: &[(&[u8], &str, &str, &str)] = &[
        (b"attachment; filename=caf\xe5.png", "windows-1253", "", "caf\u{3b5}.png"),
        (b"attachment; filename=caf\xe5.png", "windows-1253", "image/png", "caf\u{3b5}.png"),
        (b"attachment; filename=caf\xc3\xa9.png", "iso-8859-1", "image/png", "caf\u{e9}.png"),
        (b"attachment; name=\xcf\xc2\xd4\xd8.zip", "GBK", "", "images"),
    ];
    for &(cd, charset, mime, expected) in cases {
        assert_eq!(generate_file_name_bytes(&url, Some(cd), charset, "", mime, ""), expected, "cd {cd:?}");
    }
}

// Extensions split where base::FilePath::Extension does, keeping common
// double extensions together.
#[test]
fn split_extension_forms() {
    let cases: &[(&str, (&str, &str))] = &[
        ("foo.txt", ("foo", ".txt")),
        ("foo", ("foo", "")),
        ("foo.tar.gz", ("foo", ".tar.gz")),
        ("foo.TAR.GZ", ("foo", ".TAR.GZ")),
        ("foo.tar.zst", ("foo", ".tar.zst")),
        ("foo.user.js", ("foo", ".user.js")),
        ("foo.toolong.gz", ("foo.toolong", ".gz")),
        ("foo..gz", ("foo.", ".gz")),
        ("a.b.c", ("a.b", ".c")),
        (".bashrc", ("", ".bashrc")),
        ("..", ("..", "")),
    ];
    for &(name, expected) in cases {
        assert_eq!(split_extension(name), expected, "name {name:?}");
    }
}

// unique_path: the path itself when free, else " (N)" before the
// (double) extension, counting symlinks, and None after 100 tries.
#[test]
fn unique_path_numbers_before_extension() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);

    assert_eq!(unique_path(&p("a.txt")), Some(p("a.txt")));
    std::fs::write(p("a.txt"), b"").unwrap();
    assert_eq!(unique_path(&p("a.txt")), Some(p("a (1).txt")));
    std::fs::write(p("a (1).txt"), b"").unwrap();
    assert_eq!(unique_path(&p("a.txt")), Some(p("a (2).txt")));

    std::fs::write(p("b.tar.gz"), b"").unwrap();
    assert_eq!(unique_path(&p("b.tar.gz")), Some(p("b (1).tar.gz")));

    std::fs::write(p("noext"), b"").unwrap();
    assert_eq!(unique_path(&p("noext")), Some(p("noext (1)")));

    // A directory is taken too.
    std::fs::create_dir(p("d.txt")).unwrap();
    assert_eq!(unique_path(&p("d.txt")), Some(p("d (1).txt")));

    // A dangling symlink counts as existing.
    std::os::unix::fs::symlink(p("missing"), p("link.txt")).unwrap();
    assert_eq!(unique_path(&p("link.txt")), Some(p("link (1).txt")));

    std::fs::write(p("full.txt"), b"").unwrap();
    for n in 1..=100 {
        std::fs::write(p(&format!("full ({n}).txt")), b"").unwrap();
    }
    assert_eq!(unique_path(&p("full.txt")), None);
    std::fs::remove_file(p("full (57).txt")).unwrap();
    assert_eq!(unique_path(&p("full.txt")), Some(p("full (57).txt")));
}

// Hostile headers return promptly and without panicking.
#[test]
fn hostile_headers_return() {
    let url = url::Url::parse("http://example.com/x").unwrap();
    let patterns: &[&str] = &["=?", "\"", "=?utf-8?Q?", "filename=", "%", "'", "\\\"", "; ", "=?a?B?=?="];
    let start = std::time::Instant::now();
    for pattern in patterns {
        let mut header = String::from("attachment; filename=");
        while header.len() < 100_000 {
            header.push_str(pattern);
        }
        let _ = content_disposition_file_name(&header, "utf-8");
        let _ = generate_file_name(&url, Some(&header), "utf-8", "", "text/plain", "");
        let star = format!("attachment; filename*=utf-8''{header}");
        let _ = content_disposition_file_name(&star, "");
    }
    let garbage: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let _ = HttpContentDisposition::parse(&garbage, "shift_jis");
    let _ = generate_file_name_bytes(&url, Some(&garbage), "gbk", "", "", "");
    let long_url = url::Url::parse(&format!("http://example.com/{}", "%ff.".repeat(30_000))).unwrap();
    let _ = generate_file_name(&long_url, None, "", "", "text/plain", "");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}
