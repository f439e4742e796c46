//! The ISO-BMFF reader: its "read N at X" state machine driven over arbitrary bytes taken as
//! a file, `parse_moov` on the same bytes taken as a `moov` payload, and `moov_at_end` on
//! them taken as a file's last bytes.
//!
//! Checked: no panic; every read asked is a box header (at most 16 bytes) inside the file and
//! past the previous one; the walk ends within `MAX_TOP_BOXES` steps; `moov` is within the
//! file and under `MAX_MOOV`; `bytes_planned` adds up what was asked; the header read is sane.
#![no_main]

use kling_omni::media::bmff::{moov_at_end, parse_moov, read_video, BmffError, MoovLocator, Step, HEADER_READ, MAX_MOOV, MAX_TOP_BOXES};
use kling_omni::media::{Format, VideoHeader};
use libfuzzer_sys::fuzz_target;

fn sane(h: &VideoHeader) {
    assert!(matches!(h.rotation, 0 | 90 | 180 | 270), "{h:?}");
    if let Some(d) = h.duration {
        assert!(d.is_finite() && d >= 0.0, "{h:?}");
    }
    if let Some(f) = h.fps {
        assert!(f.avg.is_finite() && f.min.is_finite() && f.max.is_finite() && f.avg > 0.0, "{h:?}");
        assert!(f.min <= f.max, "{h:?}");
    }
    let _ = h.facts(Some(1));
}

/// Walks a file of `file_len` bytes whose first bytes are `data` (zeros after them).
fn walk(data: &[u8], file_len: u64) -> Result<(u64, u64), BmffError> {
    let mut loc = MoovLocator::new(file_len);
    let mut step = loc.start();
    let mut asked = 0u64;
    let mut last: Option<u64> = None;
    for _ in 0..=MAX_TOP_BOXES {
        match step {
            Step::Read { offset, len } => {
                assert!(len <= HEADER_READ && offset.saturating_add(len) <= file_len, "{step:?} in {file_len}");
                assert!(last.is_none_or(|l| offset > l), "{step:?} after {last:?}");
                last = Some(offset);
                asked += len;
                let mut bytes: Vec<u8> = data.get(offset.min(data.len() as u64) as usize..).unwrap_or(&[]).to_vec();
                bytes.resize(len as usize, 0);
                step = loc.feed(&bytes)?;
            }
            Step::Moov { offset, len } => {
                assert!(len <= MAX_MOOV && offset.checked_add(len).is_some_and(|e| e <= file_len), "{step:?} in {file_len}");
                assert_eq!(loc.bytes_planned(), asked + len);
                assert_eq!(loc.feed(&[]), Err(BmffError::Finished));
                return Ok((offset, len));
            }
        }
    }
    panic!("the walk did not end");
}

fuzz_target!(|data: &[u8]| {
    if let Ok((h, read)) = read_video(data) {
        sane(&h);
        // Header reads are 16 bytes for boxes of at least 8: at most twice the file.
        assert!(read <= 2 * data.len() as u64, "{read} planned for {} bytes", data.len());
    }
    let _ = walk(data, data.len() as u64);
    // The same bytes at the start of a much larger file: sizes near 2^64 must not overflow.
    let _ = walk(data, u64::MAX - data.len() as u64);
    let _ = walk(data, u64::MAX);
    for format in [Format::Mp4, Format::Mov] {
        if let Ok(h) = parse_moov(format, data) {
            sane(&h);
        }
    }
    // The same bytes as a file's tail: a `moov` found there is a box that ends with them.
    if let Some(moov) = moov_at_end(data) {
        let start = data.len() - moov.len() - 8;
        assert_eq!(&data[start + 4..start + 8], b"moov");
        assert_eq!(u32::from_be_bytes(data[start..start + 4].try_into().unwrap()) as usize, moov.len() + 8);
        let _ = parse_moov(Format::Mp4, moov).map(|h| sane(&h));
    }
});
