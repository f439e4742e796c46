//! Pure readers for media headers: format sniffing by magic bytes, image dimensions
//! (PNG, JPEG, GIF, WebP) and ISO-BMFF (MP4/MOV) boxes. No pixels are decoded and no
//! browser types are used, so everything here is tested natively.
