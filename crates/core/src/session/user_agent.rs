//! Default user agent and Accept-Language, in Electron's and Chromium's format
//! (`shell/common/application_info.cc`, `net/http/http_util.cc`).

/// Electron's default user agent for an app called `name` at `version`:
/// `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)
/// <Name>/<version> Chrome/<v> Electron/<v> Safari/537.36`, spaces removed from
/// the name, and the `<Name>/<version>` part left out when the app is unnamed.
pub fn default_user_agent(name: &str, version: &str) -> String {
    let product = if name == crate::app::DEFAULT_APP_NAME {
        format!(
            "Chrome/{} Electron/{}",
            crate::CHROME_VERSION,
            crate::ELECTRON_VERSION
        )
    } else {
        let name: String = name.chars().filter(|c| *c != ' ').collect();
        format!(
            "{name}/{version} Chrome/{} Electron/{}",
            crate::CHROME_VERSION,
            crate::ELECTRON_VERSION
        )
    };
    format!(
        "Mozilla/5.0 ({}) AppleWebKit/537.36 (KHTML, like Gecko) {product} Safari/537.36",
        os_cpu()
    )
}

fn os_cpu() -> String {
    match std::env::consts::OS {
        "linux" => format!("X11; Linux {}", std::env::consts::ARCH),
        "macos" => "Macintosh; Intel Mac OS X 10_15_7".to_string(),
        "windows" => "Windows NT 10.0; Win64; x64".to_string(),
        other => other.to_string(),
    }
}

/// The accept-languages list from the process locale (`LC_ALL`, `LC_MESSAGES`,
/// `LANG`): `de_DE.UTF-8` gives `de-DE,de`; `C`/`POSIX`/unset give `en-US,en`.
pub fn default_accept_languages() -> String {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    languages_for_locale(locale.as_deref())
}

pub(crate) fn languages_for_locale(locale: Option<&str>) -> String {
    let tag = locale
        .map(|l| l.split(['.', '@']).next().unwrap_or("").replace('_', "-"))
        .filter(|t| !t.is_empty() && t != "C" && t != "POSIX")
        .unwrap_or_else(|| "en-US".to_string());
    match tag.split_once('-') {
        Some((lang, _)) => format!("{tag},{lang}"),
        None => tag,
    }
}

/// Chromium's `GenerateAcceptLanguageHeader`: the first language unweighted,
/// each next one with a q-value 0.1 lower, never below 0.1.
pub fn accept_language_header(languages: &str) -> String {
    let mut q10 = 10;
    let mut out = Vec::new();
    for lang in languages
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        if q10 == 10 {
            out.push(lang.to_string());
        } else {
            out.push(format!("{lang};q=0.{q10}"));
        }
        if q10 > 1 {
            q10 -= 1;
        }
    }
    out.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_has_electrons_shape() {
        let ua = default_user_agent("My App", "1.2.3");
        assert!(ua.starts_with("Mozilla/5.0 ("), "{ua}");
        assert!(
            ua.contains(") AppleWebKit/537.36 (KHTML, like Gecko) MyApp/1.2.3 Chrome/"),
            "{ua}"
        );
        assert!(
            ua.ends_with(&format!(
                "Electron/{} Safari/537.36",
                crate::ELECTRON_VERSION
            )),
            "{ua}"
        );
        let bare = default_user_agent("Electron", "45.0.0");
        assert!(bare.contains("(KHTML, like Gecko) Chrome/"), "{bare}");
    }

    #[test]
    fn locale_to_languages() {
        let rows: &[(Option<&str>, &str)] = &[
            (None, "en-US,en"),
            (Some("C"), "en-US,en"),
            (Some("POSIX"), "en-US,en"),
            (Some("C.UTF-8"), "en-US,en"),
            (Some("de_DE.UTF-8"), "de-DE,de"),
            (Some("fr_FR@euro"), "fr-FR,fr"),
            (Some("ja"), "ja"),
        ];
        for (locale, want) in rows {
            assert_eq!(languages_for_locale(*locale), *want, "locale {locale:?}");
        }
    }

    // Rows follow Chromium's net/http/http_util_unittest.cc GenerateAcceptLanguageHeader.
    #[test]
    fn accept_language_q_values() {
        let rows: &[(&str, &str)] = &[
            ("en-US", "en-US"),
            ("en-US,fr,de", "en-US,fr;q=0.9,de;q=0.8"),
            (" en-US , fr ,, de ", "en-US,fr;q=0.9,de;q=0.8"),
            ("a,b,c,d,e,f,g,h,i,j,k,l", "a,b;q=0.9,c;q=0.8,d;q=0.7,e;q=0.6,f;q=0.5,g;q=0.4,h;q=0.3,i;q=0.2,j;q=0.1,k;q=0.1,l;q=0.1"),
            ("", ""),
        ];
        for (input, want) in rows {
            assert_eq!(accept_language_header(input), *want, "input {input:?}");
        }
    }
}
