//! `cargo xtask bench`: being written.

pub fn run(_args: &[String]) -> crate::util::Result {
    Err("`cargo xtask bench` is not written yet".into())
}
