//! The image header reader on arbitrary bytes taken as a file.
//!
//! Checked: no panic; `NeedMore` always asks for more than it was given; a header found is
//! within the documented bounds; and reading the way the page does (a growing prefix, as far
//! as the reader asks) ends in a bounded number of rounds with the answer the whole file gives.
#![no_main]

use kling_omni::media::image::{read_header, HeaderError, MAX_DIMENSION};
use kling_omni::media::sniff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let whole = read_header(data);
    match whole {
        Ok(h) => {
            assert!((1..=MAX_DIMENSION).contains(&h.width) && (1..=MAX_DIMENSION).contains(&h.height), "{h:?}");
            assert!(h.format.is_image());
            assert_eq!(sniff(data), h.format);
            assert!(h.orientation.is_none_or(|o| (1..=8).contains(&o)));
            let f = h.facts(Some(data.len() as u64));
            let (w, hh) = h.displayed();
            assert_eq!((f.width, f.height), (Some(f64::from(w)), Some(f64::from(hh))));
        }
        Err(HeaderError::NeedMore { len }) => assert!(len > data.len() as u64, "NeedMore {len} for {} bytes", data.len()),
        Err(_) => {}
    }
    // The page's loop: start small, then read what the reader asks for (at least doubling).
    let mut have = data.len().min(16);
    for round in 0.. {
        assert!(round < 64, "the prefix loop does not end");
        match read_header(&data[..have]) {
            Err(HeaderError::NeedMore { len }) if have < data.len() => {
                assert!(len > have as u64);
                have = usize::try_from(len).unwrap_or(usize::MAX).max(have * 2).min(data.len());
            }
            // A header found in a prefix is the header of the whole file.
            Ok(h) => {
                assert_eq!(Ok(h), whole, "prefix of {have} bytes");
                break;
            }
            other => {
                if have == data.len() {
                    assert_eq!(other, whole);
                }
                break;
            }
        }
    }
});
