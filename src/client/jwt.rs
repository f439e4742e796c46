//! The JWT Kling's own API takes (HS256 over `{"alg":"HS256","typ":"JWT"}` and the claims
//! `iss` = access key, `exp` = now + ttl, `nbf` = now − 5 s): everything but the HMAC, which
//! the caller computes (Web Crypto in the browser, Node and Workers), and when a cached token
//! must be replaced.
//!
//! ```
//! use kling_omni::client::jwt;
//! let input = jwt::signing_input("ak", 1_700_000_000, 1800).unwrap();
//! assert_eq!(input.split('.').count(), 2);
//! let token = jwt::assemble(&input, &[0u8; 32]);
//! assert_eq!(token.split('.').count(), 3);
//! ```

use std::fmt;

/// The default lifetime, in seconds (Kling's examples: 30 minutes).
pub const DEFAULT_TTL_S: u64 = 1800;
/// `nbf` is this many seconds before now, for clocks a little ahead of Kling's.
pub const NOT_BEFORE_SKEW_S: u64 = 5;
/// The shortest lifetime accepted (a token must outlive a request).
pub const MIN_TTL_S: u64 = 60;
/// The longest lifetime accepted (a day: a longer-lived token is a standing secret).
pub const MAX_TTL_S: u64 = 86_400;
/// A cached token is replaced when less than this is left (or a tenth of its lifetime,
/// whichever is less).
pub const REFRESH_MARGIN_S: u64 = 60;

/// A malformed argument to token minting. It never holds the secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// The access key is empty or blank.
    EmptyAccessKey,
    /// The secret key is empty.
    EmptySecretKey,
    /// The lifetime is outside [`MIN_TTL_S`]…[`MAX_TTL_S`].
    Ttl(u64),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::EmptyAccessKey => f.write_str("accessKey must be a non-empty string"),
            TokenError::EmptySecretKey => f.write_str("secretKey must be a non-empty string"),
            TokenError::Ttl(t) => {
                write!(f, "ttlSeconds must be a whole number from {MIN_TTL_S} to {MAX_TTL_S}, got {t}")
            }
        }
    }
}

impl std::error::Error for TokenError {}

/// Checks a lifetime in seconds.
pub fn check_ttl(ttl_s: u64) -> Result<u64, TokenError> {
    if (MIN_TTL_S..=MAX_TTL_S).contains(&ttl_s) {
        Ok(ttl_s)
    } else {
        Err(TokenError::Ttl(ttl_s))
    }
}

/// Base64url without padding (RFC 7515 §2).
pub fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The part of the token that is signed: `base64url(header).base64url(claims)`, for a token
/// issued at `now_s` (Unix seconds) that lives `ttl_s` seconds.
pub fn signing_input(access_key: &str, now_s: u64, ttl_s: u64) -> Result<String, TokenError> {
    if access_key.trim().is_empty() {
        return Err(TokenError::EmptyAccessKey);
    }
    let ttl_s = check_ttl(ttl_s)?;
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    // The claims as `json!` wrote them (keys sorted), by the package's own JSON writer.
    let mut claims = String::from("{\"exp\":");
    crate::write::push_u64(&mut claims, now_s.saturating_add(ttl_s));
    claims.push_str(",\"iss\":");
    crate::write::push_quoted(&mut claims, access_key);
    claims.push_str(",\"nbf\":");
    crate::write::push_u64(&mut claims, now_s.saturating_sub(NOT_BEFORE_SKEW_S));
    claims.push('}');
    Ok(format!("{}.{}", base64url(header.as_bytes()), base64url(claims.as_bytes())))
}

/// The token: the signing input and the HMAC-SHA256 of it under the secret key.
pub fn assemble(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", base64url(signature))
}

/// Whether a token that expires at `exp_s` must be replaced at `now_s`: when less than
/// [`REFRESH_MARGIN_S`] (or a tenth of `ttl_s`, whichever is less) is left.
pub fn needs_refresh(now_s: u64, exp_s: u64, ttl_s: u64) -> bool {
    let margin = REFRESH_MARGIN_S.min(ttl_s / 10);
    exp_s.saturating_sub(now_s) < margin.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64url_decode(s: &str) -> Vec<u8> {
        let val = |c: u8| match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        };
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u32, 0);
        for c in s.bytes() {
            acc = (acc << 6) | u32::from(val(c));
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        out
    }

    #[test]
    fn base64url_rows() {
        // RFC 4648 §10 vectors, in the URL alphabet without padding.
        for (input, want) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(input.as_bytes()), want);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn claims_as_kling_describes_them() {
        let input = signing_input("ak\"1", 1_700_000_000, 1800).unwrap();
        let (h, c) = input.split_once('.').unwrap();
        assert_eq!(String::from_utf8(b64url_decode(h)).unwrap(), r#"{"alg":"HS256","typ":"JWT"}"#);
        let claims: serde_json::Value = serde_json::from_slice(&b64url_decode(c)).unwrap();
        assert_eq!(claims, serde_json::json!({"iss": "ak\"1", "exp": 1_700_001_800u64, "nbf": 1_699_999_995u64}));
    }

    #[test]
    fn bad_arguments() {
        assert_eq!(signing_input(" ", 0, 1800), Err(TokenError::EmptyAccessKey));
        assert_eq!(signing_input("ak", 0, 59), Err(TokenError::Ttl(59)));
        assert_eq!(signing_input("ak", 0, 86_401), Err(TokenError::Ttl(86_401)));
        assert!(signing_input("ak", 0, 60).is_ok());
        assert!(signing_input("ak", u64::MAX, 86_400).is_ok(), "saturates, never overflows");
    }

    #[test]
    fn refresh_rows() {
        // (now, exp, ttl, refresh?)
        for (now, exp, ttl, want) in [
            (0, 1800, 1800, false),
            (1740, 1800, 1800, false), // exactly a minute left: kept
            (1741, 1800, 1800, true),  // less than a minute: replaced
            (0, 120, 120, false),
            (108, 120, 120, false), // a tenth of 120 s is 12 s: 12 left is kept
            (109, 120, 120, true),
            (2000, 1800, 1800, true), // expired
        ] {
            assert_eq!(needs_refresh(now, exp, ttl), want, "now {now} exp {exp} ttl {ttl}");
        }
    }
}
