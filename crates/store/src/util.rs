//! Small text helpers: site hosts, dates, field cleaning.

/// The site an article came from: the host of its URL, lower-cased and without a
/// leading `www.`, or its `source` name when it has no URL with a host.
/// This is what `num_sources` counts, so two pages of one site count once.
pub(crate) fn site_of(url: Option<&str>, source: &str) -> String {
    url.and_then(host_of).unwrap_or_else(|| source.to_string())
}

/// The host part of a URL (`https://user@www.Example.org:8080/a?b` → `example.org`).
fn host_of(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url.strip_prefix("//")?,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        // IPv6 literal: keep up to the closing bracket.
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() {
        None
    } else {
        Some(host.to_string())
    }
}

/// Parses `YYYY-MM-DD` into (year, month, day), checking the day exists.
pub(crate) fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let y: i32 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day of the year, 1 for January 1st.
pub(crate) fn day_of_year(y: i32, m: u32, d: u32) -> u32 {
    (1..m).map(|mm| days_in_month(y, mm)).sum::<u32>() + d
}

/// Whether `s` is a date bound a filter accepts: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
/// (digits only in each part).
pub(crate) fn is_date_bound(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens_ok = match parts.as_slice() {
        [y] => y.len() == 4,
        [y, m] => y.len() == 4 && m.len() == 2,
        [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
        _ => false,
    };
    lens_ok && parts.iter().all(|p| p.bytes().all(|c| c.is_ascii_digit()))
}

/// The digits of an RFC 3339 timestamp up to the seconds
/// (`2024-03-05T12:34:56.789Z` → `20240305123456`), or empty if it is too short.
pub(crate) fn compact_timestamp(ts: &str) -> String {
    let digits: String = ts.chars().take(19).filter(char::is_ascii_digit).collect();
    if digits.len() == 14 {
        digits
    } else {
        String::new()
    }
}

/// A text field made safe for a tab-separated line: tabs and line breaks become spaces.
pub(crate) fn clean_field(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect()
}

/// Escapes `%`, `_` and `\` for an SQL `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A connection string with its password replaced by `***`, for messages;
/// anything else (a file path) as given.
pub(crate) fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ if !url.contains("password=") => url.to_string(),
        _ => url
            .split_whitespace()
            .map(|kv| match kv.split_once('=') {
                Some(("password", _)) => "password=***".to_string(),
                _ => kv.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form every
/// timestamp column holds (computed here, not by the database, so that both
/// backends write the same text).
pub(crate) fn utc_now() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format_utc(since.as_millis())
}

/// Milliseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn format_utc(millis: u128) -> String {
    let secs = millis / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    // civil date from days since 1970-01-01 (Gregorian, proleptic)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        millis % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            site_of(Some("https://www.Example.org/a"), "x"),
            "example.org"
        );
        assert_eq!(
            site_of(Some("http://u:p@news.example.com:8080?q"), "x"),
            "news.example.com"
        );
        assert_eq!(site_of(Some("http://[::1]:80/"), "x"), "::1");
        assert_eq!(site_of(Some("not a url"), "feed.jsonl:3"), "feed.jsonl:3");
        assert_eq!(site_of(None, "a.txt"), "a.txt");
        assert_eq!(site_of(Some("https:///path"), "s"), "s");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-2-29"), None);
        assert_eq!(parse_date("２０２４-02-01"), None);
        assert_eq!(day_of_year(2024, 3, 1), 61);
        assert_eq!(day_of_year(2023, 12, 31), 365);
        assert!(is_date_bound("2024"));
        assert!(is_date_bound("2024-03"));
        assert!(is_date_bound("2024-03-05"));
        assert!(!is_date_bound("' OR 1=1 --"));
        assert!(!is_date_bound("2024-3-5"));
        assert_eq!(
            compact_timestamp("2024-03-05T12:34:56.789Z"),
            "20240305123456"
        );
        assert_eq!(compact_timestamp("bad"), "");
    }

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            redact_password("postgres://pulse:s3cret@db.example:5432/events"),
            "postgres://pulse:***@db.example:5432/events"
        );
        assert_eq!(
            redact_password("postgres://pulse@localhost/events"),
            "postgres://pulse@localhost/events"
        );
        assert_eq!(redact_password("data/pulse.db"), "data/pulse.db");
        assert_eq!(
            redact_password("host=localhost user=pulse password=s3cret"),
            "host=localhost user=pulse password=***"
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(951_827_696_789), "2000-02-29T12:34:56.789Z");
        assert_eq!(format_utc(1_565_136_000_000), "2019-08-07T00:00:00.000Z");
        assert_eq!(utc_now().len(), 24);
    }

    #[test]
    fn escaping() {
        assert_eq!(like_escape(r"a%b_c\d"), r"a\%b\_c\\d");
        assert_eq!(clean_field("a\tb\nc\r\nd"), "a b c  d");
    }
}
