//! Media measured without decoding: format sniffing, image headers, ISO-BMFF (MP4/MOV) and
//! the read loop that gets their bytes from a file, a URL or Base64 in bounded reads. No
//! browser types: everything here, the read loop included, is tested natively.
//!
//! - [`mod@sniff`]: [`Format`] from the leading bytes;
//! - [`image`]: [`read_header`] gives width, height and EXIF orientation from a prefix,
//!   asking for a longer prefix ([`HeaderError::NeedMore`]) when it needs one;
//! - [`bmff`]: [`MoovLocator`] finds `moov` through bounded reads of the top-level box
//!   headers, and [`parse_moov`] gives a [`VideoHeader`] (duration, size, rotation, frame
//!   rate, codec, audio) from the `moov` bytes alone;
//! - [`range`]: whether an answer to a `Range` request can be used, and how;
//! - [`inspect`]: the read loop of `inspectImage`/`inspectVideo` ([`inspect_image`],
//!   [`inspect_video`]) over the few browser operations of [`Io`];
//! - [`fit`]: what `prepareImage` changes to make an image pass (pure decisions);
//! - [`info`]: the results JavaScript receives ([`ImageInfo`], [`VideoInfo`]) and their
//!   typed errors ([`InspectError`]);
//! - [`request`]: which source measures each medium of a request ([`plan`]).
//!
//! Every reader is total: any input gives a value or a typed error, never a panic, and
//! nothing is allocated from a size read in a file.

pub mod bmff;
pub mod fit;
pub mod image;
pub mod info;
pub mod inspect;
pub mod range;
pub mod request;
pub mod sniff;

pub use bmff::{parse_moov, read_video, BmffError, Fps, MoovLocator, Step, VideoHeader};
pub use image::{read_header, HeaderError, ImageHeader};
pub use info::{Failure, ImageInfo, InspectError, MeasuredBy, VideoInfo};
pub use inspect::{inspect_image, inspect_video, Io, Source, Target};
pub use request::{plan, MediaPlan, Medium};
pub use sniff::{sniff, Format, SNIFF_LEN};
