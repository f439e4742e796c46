//! Pure readers for media headers: format sniffing by magic bytes, image dimensions
//! (PNG, JPEG, GIF, WebP) and ISO-BMFF (MP4/MOV) boxes. No pixels are decoded and no
//! browser types are used, so everything here is tested natively.
//!
//! - [`mod@sniff`]: [`Format`] from the leading bytes;
//! - [`image`]: [`read_header`] gives width, height and EXIF orientation from a prefix,
//!   asking for a longer prefix ([`HeaderError::NeedMore`]) when it needs one;
//! - [`bmff`]: [`MoovLocator`] finds `moov` through bounded reads of the top-level box
//!   headers, and [`parse_moov`] gives a [`VideoHeader`] (duration, size, rotation, frame
//!   rate, codec, audio) from the `moov` bytes alone.
//!
//! Every reader is total: any input gives a value or a typed error, never a panic, and
//! nothing is allocated from a size read in a file.

pub mod bmff;
pub mod image;
pub mod sniff;

pub use bmff::{parse_moov, read_video, BmffError, Fps, MoovLocator, Step, VideoHeader};
pub use image::{read_header, HeaderError, ImageHeader};
pub use sniff::{sniff, Format, SNIFF_LEN};
