//! File names for downloads: Chromium's `GenerateFileName` and
//! uniquification, from [`crate::filename`].

pub use crate::filename::{generate_file_name, unique_path};
