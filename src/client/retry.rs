//! Retrying queries: which failed attempts are worth another try, how long to wait
//! (exponential backoff with full jitter, the random number passed in so it is testable),
//! and `Retry-After` in seconds or as an HTTP date.
//!
//! Creates follow stricter rules, in [`crate::client::create`].
//!
//! ```
//! use kling_omni::client::retry::{backoff_ms, query_should_retry};
//! use kling_omni::client::ClientError;
//! assert!(query_should_retry(&ClientError::api(429, "1302", None, None)));
//! assert!(!query_should_retry(&ClientError::api(401, "1004", None, None)));
//! assert_eq!(backoff_ms(2, 1000, 30_000, 0.5), 2000);
//! ```

use super::error::{code_info, status_retryable, ClientError, ErrorKind};

/// Whether a failed query (status, lookup) is worth another try. Queries are idempotent,
/// so network errors, timeouts and malformed answers are retried; API codes decide by
/// their documented meaning (1302, 1303, 5000–5002, 006001094/5 yes; authentication,
/// parameters, account, policy, 1304 no); an undocumented code or a bare status decides
/// by the status (408, 429, 5xx). Anything else (an abort, a bad argument) is not.
pub fn query_should_retry(e: &ClientError) -> bool {
    let status = e.status.unwrap_or(0);
    match e.kind {
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::InvalidResponse => true,
        ErrorKind::Api => match e.code.as_deref().and_then(code_info) {
            Some(info) => info.retryable,
            None => status_retryable(status),
        },
        ErrorKind::HttpStatus => status_retryable(status),
        _ => false,
    }
}

/// Exponential backoff with full jitter: a delay drawn uniformly from
/// `[0, min(max_ms, base_ms · 2^retry))`, where `random` is in `[0, 1)` (`Math.random()`).
/// `retry` counts from 0 for the first retry. Out-of-range `random` is clamped.
pub fn backoff_ms(retry: u32, base_ms: u64, max_ms: u64, random: f64) -> u64 {
    let exp = base_ms.saturating_mul(1u64.checked_shl(retry.min(63)).unwrap_or(u64::MAX));
    let ceiling = exp.min(max_ms);
    let r = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
    let d = (ceiling as f64 * r).floor() as u64;
    d.min(ceiling)
}

/// The longest `Retry-After` honoured; longer ones fall back to the backoff.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// The delay before retry number `retry` (from 0): the server's `Retry-After` when it gave
/// one of at most [`MAX_RETRY_AFTER_MS`], otherwise [`backoff_ms`].
pub fn retry_delay_ms(retry: u32, base_ms: u64, max_ms: u64, random: f64, retry_after_ms: Option<u64>) -> u64 {
    match retry_after_ms {
        Some(ra) if ra <= MAX_RETRY_AFTER_MS => ra,
        _ => backoff_ms(retry, base_ms, max_ms, random),
    }
}

/// Parses a `Retry-After` value into milliseconds from `now_ms` (ms since the epoch):
/// delay-seconds (`"120"`, fractions accepted) or an IMF-fixdate
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`; a date in the past is 0). Anything else is `None`.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs = decimal(v)?;
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        let ms = secs * 1000.0;
        return Some(if ms >= u64::MAX as f64 { u64::MAX } else { ms.round() as u64 });
    }
    let at = parse_http_date(v)?;
    Some(at.saturating_sub(now_ms))
}

/// A decimal number as Rust's `str::parse::<f64>` reads one (`"5"`, `"5.1"`, `"-.5"`,
/// `"1e3"`, `"inf"`), without core's float parser (its tables cost the package ~10 KB): most
/// decimals are read exactly by one division or multiplication (Clinger's fast path), the
/// rest by serde_json's number reader, which the package carries anyway (to within a unit
/// in the last place: a significand over 2^53 or a power of ten beyond 10^22). `None` for
/// anything else.
pub fn decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    match b.to_ascii_lowercase().as_slice() {
        b"inf" | b"infinity" => return Some(sign * f64::INFINITY),
        b"nan" => return Some(f64::NAN),
        _ => {}
    }
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(0);
    let mut at = int;
    let frac = if b.get(at) == Some(&b'.') {
        at += 1;
        let n = digits(at);
        at += n;
        n
    } else {
        0
    };
    if int + frac == 0 {
        return None;
    }
    let mut exp: i64 = 0;
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        let neg_exp = match b.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let n = digits(at);
        if n == 0 {
            return None;
        }
        for c in &b[at..at + n] {
            exp = (exp * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        at += n;
        if neg_exp {
            exp = -exp;
        }
    }
    if at != b.len() {
        return None;
    }
    let frac_start = if b.get(int) == Some(&b'.') { int + 1 } else { int };
    let all = b[..int].iter().chain(&b[frac_start..frac_start + frac]);
    let mut mantissa: u64 = 0;
    let mut exact = true;
    for c in all.clone() {
        match mantissa.checked_mul(10).and_then(|m| m.checked_add(u64::from(c - b'0'))) {
            Some(m) if m < 1 << 53 => mantissa = m,
            _ => exact = false,
        }
    }
    let e10 = exp - frac as i64;
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    if exact && e10.unsigned_abs() < POW10.len() as u64 {
        let m = mantissa as f64;
        let p = POW10[e10.unsigned_abs() as usize];
        return Some(sign * if e10 < 0 { m / p } else { m * p });
    }
    // JSON's form of the same number (`<digits>e<exponent>`, no leading zero).
    let digits: String = all.skip_while(|c| **c == b'0').map(|c| char::from(*c)).collect();
    if digits.is_empty() {
        return Some(sign * 0.0);
    }
    match serde_json::from_str::<serde_json::Value>(&format!("{digits}e{e10}")) {
        Ok(v) => v.as_f64().map(|x| sign * x),
        // Beyond f64's range serde_json refuses what Rust reads as infinity.
        Err(_) => Some(sign * if e10 > 0 { f64::INFINITY } else { 0.0 }),
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into ms since the epoch.
pub fn parse_http_date(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() != 6 || !parts[0].ends_with(',') || parts[5] != "GMT" {
        return None;
    }
    let day: u32 = digits(parts[1], 2)?;
    let month = match parts[2] {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u32 = digits(parts[3], 4)?;
    let hms: Vec<&str> = parts[4].split(':').collect();
    if hms.len() != 3 {
        return None;
    }
    let (h, m, sec): (u32, u32, u32) = (digits(hms[0], 2)?, digits(hms[1], 2)?, digits(hms[2], 2)?);
    if year < 1970 || day == 0 || day > days_in_month(year, month) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(year as i64, month, day);
    let secs = days as u64 * 86_400 + h as u64 * 3600 + m as u64 * 60 + sec as u64;
    Some(secs * 1000)
}

fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `decimal` reads what `str::parse::<f64>` reads, to the bit for up to 15 significant
    /// digits and no exponent (Retry-After, durations), within a unit in the last place
    /// beyond, and refuses what it refuses.
    #[test]
    fn decimal_reads_as_rust_parses() {
        let same = |s: &str| {
            let (got, want) = (decimal(s), s.parse::<f64>().ok());
            match (got, want) {
                (Some(g), Some(w)) if g.is_nan() => assert!(w.is_nan(), "{s:?}"),
                (Some(g), Some(w)) if s.bytes().filter(u8::is_ascii_digit).count() > 15 || s.contains(['e', 'E']) => {
                    assert!(g == w || ((g - w) / w).abs() < 3e-16, "{s:?}: {g} vs {w}")
                }
                _ => assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{s:?}"),
            }
        };
        let table = [
            "5",
            "5.1",
            "0.1",
            "120",
            "1.5",
            ".5",
            "5.",
            "-5.1",
            "+5.1",
            "-0",
            "0",
            "00.50",
            "1e3",
            "1E-3",
            "1.e5",
            "2.5e+2",
            "1e22",
            "1e23",
            "9007199254740993",
            "123456789012345678901234567890",
            "0.000001",
            "1e-400",
            "1e400",
            "-1e400",
            "4.9e-324",
            "1.7976931348623157e308",
            "inf",
            "-Infinity",
            "NaN",
            "",
            ".",
            "-",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1..2",
            "5s",
            " 5",
            "0x10",
            "1_000",
            "\u{661}",
            "0.30000000000000004",
            "3.141592653589793238462643383279",
        ];
        for s in table {
            same(s);
        }
        // Generated decimals: integer and fraction parts, exponents, as Retry-After and durations come.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (a, b, e) = (x % 100_000, (x >> 20) % 10_000_000, (x >> 50) as i64 % 40 - 20);
            same(&format!("{a}.{b}"));
            same(&format!("{a}.{b}e{e}"));
            same(&format!("{}", x >> 11));
        }
    }

    #[test]
    fn which_query_failures_are_retried() {
        let status = |s: u16| ClientError::http_status(s);
        let api = |s: u16, c: &str| ClientError::api(s, c, None, None);
        let table: &[(ClientError, bool)] = &[
            (ClientError::network(""), true),
            (ClientError::timeout(1), true),
            (ClientError::invalid_response(200, ""), true),
            (status(500), true),
            (status(502), true),
            (status(503), true),
            (status(504), true),
            (status(429), true),
            (status(408), true),
            (status(400), false),
            (status(401), false),
            (status(403), false),
            (status(404), false),
            (api(429, "1302"), true),
            (api(429, "1303"), true),
            (api(500, "5000"), true),
            (api(503, "5001"), true),
            (api(504, "5002"), true),
            (api(200, "1302"), true),
            (api(500, "006001094"), true),
            (api(500, "006001095"), true),
            (api(500, "006001099"), false),
            // never on authentication or parameter errors, whatever the status
            (api(401, "1000"), false),
            (api(401, "1004"), false),
            (api(500, "1001"), false),
            (api(400, "1200"), false),
            (api(400, "1201"), false),
            (api(404, "1203"), false),
            (api(400, "1301"), false),
            // 1304 and account codes come with 429 but are not worth retrying
            (api(429, "1304"), false),
            (api(429, "1101"), false),
            (api(403, "1103"), false),
            // undocumented codes: by status
            (api(503, "77"), true),
            (api(400, "77"), false),
            // the caller's own doing: never
            (ClientError::aborted(), false),
            (ClientError::argument("x"), false),
        ];
        for (f, want) in table {
            assert_eq!(query_should_retry(f), *want, "{f:?}");
        }
    }

    #[test]
    fn backoff_is_exponential_with_full_jitter() {
        // (retry, base, max, random, expected)
        let table: &[(u32, u64, u64, f64, u64)] = &[
            (0, 1000, 30_000, 0.0, 0),
            (0, 1000, 30_000, 0.5, 500),
            (0, 1000, 30_000, 0.999, 999),
            (1, 1000, 30_000, 0.5, 1000),
            (2, 1000, 30_000, 0.5, 2000),
            (3, 1000, 30_000, 0.25, 2000),
            (5, 1000, 30_000, 0.5, 15_000),
            (6, 1000, 30_000, 0.5, 15_000), // capped at max before the jitter
            (40, 1000, 30_000, 0.5, 15_000),
            (63, 1000, 30_000, 1.0, 30_000),
            (u32::MAX, u64::MAX, u64::MAX, 0.5, u64::MAX / 2 + 1),
            (1, 100, 10_000, 1.5, 200), // clamped to 1
            (1, 100, 10_000, -1.0, 0),  // clamped to 0
            (1, 100, 10_000, f64::NAN, 0),
            (0, 0, 10_000, 0.7, 0),
        ];
        for &(retry, base, max, r, want) in table {
            assert_eq!(backoff_ms(retry, base, max, r), want, "{retry} {base} {max} {r}");
        }
    }

    #[test]
    fn retry_after_wins_when_reasonable() {
        assert_eq!(retry_delay_ms(0, 1000, 30_000, 0.5, Some(3000)), 3000);
        assert_eq!(retry_delay_ms(0, 1000, 30_000, 0.5, Some(0)), 0);
        assert_eq!(retry_delay_ms(0, 1000, 30_000, 0.5, Some(60_000)), 60_000);
        assert_eq!(retry_delay_ms(0, 1000, 30_000, 0.5, Some(60_001)), 500);
        assert_eq!(retry_delay_ms(2, 1000, 30_000, 0.5, None), 2000);
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = 1_445_412_480_000; // Wed, 21 Oct 2015 07:28:00 GMT
        let table: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("1", Some(1000)),
            (" 120 ", Some(120_000)),
            ("1.5", Some(1500)),
            ("Wed, 21 Oct 2015 07:28:00 GMT", Some(0)),
            ("Wed, 21 Oct 2015 07:28:05 GMT", Some(5000)),
            ("Wed, 21 Oct 2015 07:27:00 GMT", Some(0)), // in the past
            ("Thu, 22 Oct 2015 07:28:00 GMT", Some(86_400_000)),
            ("", None),
            ("-1", None),
            ("soon", None),
            ("1.2.3", None),
            ("Wed, 21 Oct 2015 07:28:00 UTC", None),
            ("Wed, 32 Oct 2015 07:28:00 GMT", None),
            ("Wed, 29 Feb 2015 07:28:00 GMT", None),
            ("Wed, 21 Foo 2015 07:28:00 GMT", None),
            ("Wed, 21 Oct 2015 7:28:00 GMT", None),
            ("21 Oct 2015 07:28:00 GMT", None),
        ];
        for &(v, want) in table {
            assert_eq!(parse_retry_after(v, now), want, "{v:?}");
        }
    }

    #[test]
    fn http_dates_are_exact() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000));
        assert_eq!(parse_http_date("Tue, 29 Feb 2028 00:00:00 GMT"), Some(1_835_395_200_000));
        assert_eq!(parse_http_date("Mon, 01 Jan 1900 00:00:00 GMT"), None);
    }
}
