//! wca-html's integration tests, one binary: the extractor's events and page facts,
//! chunk invariance, fidelity against html5ever (through scraper), and hostile pages.

mod common;
mod html;
mod html5lib;
mod html_chunks;
mod html_fidelity;
mod html_hostile;
mod main_content;
