//! Long `image_url`s handed over as a summary instead of whole: a picked 10 MB image is 13 MB
//! of Base64, and the rules read only its length, its alphabet and the first kilobytes. The
//! wasm layer summarises such strings on the JavaScript side (once per string) and gives the
//! rules a [`LongStrings`] that finds the summary behind the marker it put in the request;
//! the report is the one the whole string gives. Natively nothing is summarised.

/// What the rules need of a long `image_url`.
pub struct LongImage<'a> {
    /// For `data:…,` text, the part before the first comma (then the Base64 is what follows it).
    pub data_prefix: Option<String>,
    /// The Base64 is `[A-Za-z0-9+/]*={0,2}`: its length in characters and its padding (`=`s).
    /// `None`: it is not, and is no acceptable Base64 (the wasm layer summarises only Base64
    /// from the alphabet, with or without a prefix: the fix of anything else needs all of it).
    pub base64: Option<(u64, u64)>,
    /// The first `n` characters of the Base64 (fewer where it ends); all of them for the fix
    /// of a `data:` image.
    pub head: &'a dyn Fn(usize) -> String,
}

/// Finds the summary of a long `image_url` behind the text the request holds in its place.
pub trait LongStrings {
    /// The summary `s` stands for, if it is such a marker.
    fn image_url(&self, s: &str) -> Option<LongImage<'_>>;
}

/// The decoded length [`super::base64::check`] gives Base64 of `chars` characters from the
/// alphabet, `pad` of them `=` at the end; `None` where it refuses it (as `Invalid`).
pub fn checked_len(chars: u64, pad: u64) -> Option<u64> {
    let data = chars.checked_sub(pad)?;
    let bad = data == 0 || pad > 2 || data % 4 == 1 || (pad > 0 && (data + pad) % 4 != 0);
    (!bad).then_some(data * 3 / 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::base64::check;

    #[test]
    fn checked_len_is_check_on_the_alphabet() {
        for s in ["TWFu", "TWE=", "TWE", "TQ==", "TQ", "T", "TQ=", "TWFuT", "TWFuTQ=", "====", "=", "A==", "AAAAA=="] {
            let pad = s.bytes().rev().take_while(|&b| b == b'=').count() as u64;
            assert_eq!(checked_len(s.len() as u64, pad), check(s).ok(), "{s}");
        }
    }
}
