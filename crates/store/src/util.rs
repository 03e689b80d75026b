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
    fn escaping() {
        assert_eq!(like_escape(r"a%b_c\d"), r"a\%b\_c\\d");
        assert_eq!(clean_field("a\tb\nc\r\nd"), "a b c  d");
    }
}
