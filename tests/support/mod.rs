//! Helpers shared by the native test suites (and, by path, the fuzz targets).
pub mod invariants;
