//! `wca-wasm` will bind [`wca_core`] to JavaScript with wasm-bindgen and ship it as the
//! `web-content-analyzer` npm package. Until the bindings land, it only re-exports the
//! core, so the workspace layout is in place.
#![deny(missing_docs)]

pub use wca_core;
