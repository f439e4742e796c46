//! Format detection from magic bytes only: never from a file name, an extension or a MIME
//! type, which a user or a server can get wrong.
//!
//! ```
//! use kling_omni::media::sniff::{sniff, Format};
//! assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Format::Png);
//! assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "), Format::Mov);
//! assert_eq!(Format::Mov.name(), "mov");
//! ```

/// How many leading bytes [`sniff`] may look at: a prefix this long always suffices.
pub const SNIFF_LEN: usize = 64;

/// A media container or image format, as its leading bytes tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG (`89 'PNG' 0D 0A 1A 0A`).
    Png,
    /// GIF 87a or 89a.
    Gif,
    /// WebP (`RIFF…WEBP`).
    Webp,
    /// Windows bitmap (`BM`).
    Bmp,
    /// TIFF, either byte order.
    Tiff,
    /// HEIF/HEIC still images (ISO-BMFF brands `heic`, `heix`, `mif1`, …).
    Heic,
    /// AVIF (ISO-BMFF brands `avif`, `avis`).
    Avif,
    /// ISO-BMFF video other than QuickTime (`isom`, `mp41`, `mp42`, `avc1`, `M4V `, `3gp*`, …).
    Mp4,
    /// QuickTime (`ftyp` brand `qt  `, or a legacy file opening with a QuickTime atom).
    Mov,
    /// WebM (EBML DocType `webm`).
    WebM,
    /// Matroska (EBML DocType `matroska`, or EBML with no DocType).
    Mkv,
    /// AVI (`RIFF…AVI `).
    Avi,
    /// None of the above.
    Unknown,
}

impl Format {
    /// The lower-case name used in facts and messages: `"jpeg"`, `"mp4"`, `"unknown"`, …
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Bmp => "bmp",
            Format::Tiff => "tiff",
            Format::Heic => "heic",
            Format::Avif => "avif",
            Format::Mp4 => "mp4",
            Format::Mov => "mov",
            Format::WebM => "webm",
            Format::Mkv => "mkv",
            Format::Avi => "avi",
            Format::Unknown => "unknown",
        }
    }

    /// True for still-image formats.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            Format::Jpeg
                | Format::Png
                | Format::Gif
                | Format::Webp
                | Format::Bmp
                | Format::Tiff
                | Format::Heic
                | Format::Avif
        )
    }

    /// True for video containers.
    pub fn is_video(self) -> bool {
        matches!(self, Format::Mp4 | Format::Mov | Format::WebM | Format::Mkv | Format::Avi)
    }

    /// True for the ISO-BMFF videos that [`crate::media::bmff`] reads (MP4 and MOV).
    pub fn is_bmff_video(self) -> bool {
        matches!(self, Format::Mp4 | Format::Mov)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Detects the format from the leading bytes (at most [`SNIFF_LEN`] are looked at).
/// A prefix too short to recognise gives [`Format::Unknown`].
pub fn sniff(bytes: &[u8]) -> Format {
    let b = bytes.get(..SNIFF_LEN.min(bytes.len())).unwrap_or(&[]);
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Format::Jpeg;
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Format::Png;
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Format::Gif;
    }
    if b.starts_with(b"RIFF") {
        return match b.get(8..12) {
            Some(b"WEBP") => Format::Webp,
            Some(b"AVI ") => Format::Avi,
            _ => Format::Unknown,
        };
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Format::Tiff;
    }
    if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return ebml_doctype(b);
    }
    if let Some(kind) = b.get(4..8) {
        if kind == b"ftyp" {
            return ftyp_format(b);
        }
        // QuickTime files written before `ftyp` existed open with one of these atoms.
        if matches!(kind, b"moov" | b"mdat" | b"wide" | b"pnot" | b"skip" | b"free") {
            return Format::Mov;
        }
    }
    // `BM`, then a little-endian file size and two reserved zero words; the size check
    // keeps plain text that happens to start with "BM" out.
    if b.starts_with(b"BM") && b.get(6..10) == Some(&[0, 0, 0, 0]) {
        return Format::Bmp;
    }
    Format::Unknown
}

/// An ISO-BMFF file: the major brand decides, then the compatible brands.
fn ftyp_format(b: &[u8]) -> Format {
    let size = match b.get(0..4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize,
        None => return Format::Unknown,
    };
    let major = match b.get(8..12) {
        Some(m) => m,
        None => return Format::Mp4,
    };
    // Compatible brands start after major brand and minor version.
    let end = size.clamp(16, b.len().max(16)).min(b.len());
    let compat: Vec<&[u8]> = b.get(16..end).unwrap_or(&[]).chunks_exact(4).collect();
    let brand = |m: &[u8]| -> Option<Format> {
        match m {
            b"qt  " => Some(Format::Mov),
            b"avif" | b"avis" => Some(Format::Avif),
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" => Some(Format::Heic),
            _ => None,
        }
    };
    if let Some(f) = brand(major) {
        return f;
    }
    if matches!(major, b"mif1" | b"msf1") {
        // Generic HEIF: an AVIF says so among its compatible brands.
        if compat.iter().any(|c| matches!(*c, b"avif" | b"avis")) {
            return Format::Avif;
        }
        return Format::Heic;
    }
    Format::Mp4
}

/// Reads an EBML variable-length integer; returns (value, length). `keep_marker` keeps the
/// length marker bit (as element IDs are written).
fn vint(b: &[u8], keep_marker: bool) -> Option<(u64, usize)> {
    let first = *b.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut v = if keep_marker { first as u64 } else { (first as u64) & (0xFF >> len) };
    for i in 1..len {
        v = (v << 8) | *b.get(i)? as u64;
    }
    Some((v, len))
}

/// Finds `DocType` among the EBML header's children: `webm` or else Matroska.
fn ebml_doctype(b: &[u8]) -> Format {
    let rest = b.get(4..).unwrap_or(&[]);
    let Some((hsize, hlen)) = vint(rest, false) else {
        return Format::Mkv;
    };
    let body = rest.get(hlen..).unwrap_or(&[]);
    let body = body.get(..(hsize.min(body.len() as u64) as usize)).unwrap_or(body);
    let mut pos = 0usize;
    // Each step moves at least two bytes forward within at most SNIFF_LEN bytes.
    while pos < body.len() {
        let Some((id, idlen)) = vint(&body[pos..], true) else {
            break;
        };
        let Some((size, slen)) = body.get(pos + idlen..).and_then(|r| vint(r, false)) else {
            break;
        };
        let start = pos + idlen + slen;
        if id == 0x4282 {
            let end = start.saturating_add(size.min(64) as usize);
            return match body.get(start..end) {
                Some(b"webm") => Format::WebM,
                _ => Format::Mkv,
            };
        }
        if size > body.len() as u64 {
            break;
        }
        pos = start + size as usize;
    }
    Format::Mkv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compat: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compat.len() as u32;
        let mut v = size.to_be_bytes().to_vec();
        v.extend_from_slice(b"ftyp");
        v.extend_from_slice(major);
        v.extend_from_slice(&[0, 0, 2, 0]);
        for c in compat {
            v.extend_from_slice(*c);
        }
        v
    }

    #[test]
    fn images() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Format::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Format::Png);
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Format::Gif);
        assert_eq!(sniff(b"GIF87a"), Format::Gif);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Format::Webp);
        assert_eq!(sniff(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0"), Format::Bmp);
        assert_eq!(sniff(b"BMW is a car"), Format::Unknown);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Format::Tiff);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Format::Tiff);
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1", b"heic"])), Format::Heic);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"heic"])), Format::Heic);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"avif"])), Format::Avif);
        assert_eq!(sniff(&ftyp(b"avif", &[b"mif1"])), Format::Avif);
        assert_eq!(sniff(&ftyp(b"heix", &[])), Format::Heic);
    }

    #[test]
    fn videos() {
        assert_eq!(sniff(&ftyp(b"isom", &[b"isom", b"iso2", b"avc1", b"mp41"])), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"mp42", &[b"mp42"])), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), Format::Mov);
        assert_eq!(sniff(b"\0\0\0\x08wide\0\0\0\x10mdat"), Format::Mov);
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI LIST"), Format::Avi);
        // ffmpeg's WebM and Matroska EBML headers.
        let webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x02\x42\x85\x81\x02";
        assert_eq!(sniff(webm), Format::WebM);
        let mkv = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02";
        assert_eq!(sniff(mkv), Format::Mkv);
        // An 8-byte header size vint.
        let long = b"\x1a\x45\xdf\xa3\x01\0\0\0\0\0\0\x13\x42\x86\x81\x01\x42\x82\x84webm";
        assert_eq!(sniff(long), Format::WebM);
    }

    #[test]
    fn short_and_hostile() {
        assert_eq!(sniff(b""), Format::Unknown);
        assert_eq!(sniff(&[0xFF, 0xD8]), Format::Unknown);
        assert_eq!(sniff(b"RIFF"), Format::Unknown);
        assert_eq!(sniff(b"\0\0\0\x08ftyp"), Format::Mp4);
        assert_eq!(sniff(b"\xff\xff\xff\xffftypqt  "), Format::Mov);
        // EBML with a lying header size, an invalid vint, and a huge DocType size.
        assert_eq!(sniff(b"\x1a\x45\xdf\xa3\x00"), Format::Mkv);
        assert_eq!(sniff(b"\x1a\x45\xdf\xa3\x81\x42\x82\xff"), Format::Mkv);
        assert_eq!(sniff(b"\x1a\x45\xdf\xa3\x90\x42\x82\x01\xff\xff\xff\xff\xff\xff\xffwebm"), Format::Mkv);
        for n in 0..=255u8 {
            let v = vec![n; 100];
            let _ = sniff(&v);
        }
    }

    #[test]
    fn names() {
        let all = [
            Format::Jpeg,
            Format::Png,
            Format::Gif,
            Format::Webp,
            Format::Bmp,
            Format::Tiff,
            Format::Heic,
            Format::Avif,
            Format::Mp4,
            Format::Mov,
            Format::WebM,
            Format::Mkv,
            Format::Avi,
            Format::Unknown,
        ];
        let names: Vec<&str> = all.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "jpeg", "png", "gif", "webp", "bmp", "tiff", "heic", "avif", "mp4", "mov", "webm", "mkv", "avi",
                "unknown"
            ]
        );
        assert!(Format::Png.is_image() && !Format::Png.is_video());
        assert!(Format::Mov.is_bmff_video() && !Format::WebM.is_bmff_video());
    }
}
