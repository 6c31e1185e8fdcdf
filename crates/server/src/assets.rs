//! The web page's files, read into memory once at start and served from there: no
//! file descriptor per request, no disk read under load, and nothing outside the
//! folder can ever be named (a request can only pick one of the files loaded).
//!
//! Each file has a strong ETag (a hash of its bytes) and `Cache-Control: no-cache`,
//! so browsers revalidate with `If-None-Match` and get 304 until the file changes.
//! Changes to the folder are seen at the next start.

use std::collections::HashMap;
use std::path::Path;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};

/// At most this many bytes of files are loaded.
const MAX_TOTAL: u64 = 64 << 20;
/// At most this many files.
const MAX_FILES: usize = 4096;

pub struct Assets {
    files: HashMap<String, Asset>,
}

struct Asset {
    body: web::Bytes,
    content_type: &'static str,
    etag: String,
}

impl Assets {
    /// Loads every regular file under `dir` (hidden ones skipped), keyed by its path
    /// from the folder, like `/index.html` or `/pkg/wca_wasm_bg.wasm`.
    pub fn load(dir: &Path) -> anyhow::Result<Assets> {
        let mut files = HashMap::new();
        let mut total = 0u64;
        let mut stack = vec![(dir.to_path_buf(), String::new())];
        while let Some((folder, prefix)) = stack.pop() {
            let entries = std::fs::read_dir(&folder)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", folder.display()))?;
            for entry in entries {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let path = entry.path();
                let kind = std::fs::metadata(&path)?;
                let url = format!("{prefix}/{name}");
                if kind.is_dir() {
                    stack.push((path, url));
                } else if kind.is_file() {
                    total += kind.len();
                    if total > MAX_TOTAL || files.len() >= MAX_FILES {
                        anyhow::bail!(
                            "{} holds more than {MAX_FILES} files or {} MiB: not a web page folder",
                            dir.display(),
                            MAX_TOTAL >> 20
                        );
                    }
                    let body = std::fs::read(&path)?;
                    let etag = format!("\"{:016x}\"", fnv1a(&body));
                    files.insert(
                        url,
                        Asset {
                            content_type: content_type(&name),
                            body: body.into(),
                            etag,
                        },
                    );
                }
            }
        }
        Ok(Assets { files })
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Answers a request for a file: GET or HEAD, `/` and folders by their
    /// `index.html`.
    pub fn serve(&self, req: &HttpRequest) -> HttpResponse {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, "GET, HEAD"))
                .finish();
        }
        let path = req.path();
        let found = if path.ends_with('/') {
            self.files.get(&format!("{path}index.html"))
        } else {
            self.files
                .get(path)
                .or_else(|| self.files.get(&format!("{path}/index.html")))
        };
        let Some(asset) = found else {
            return HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body("not found");
        };
        let fresh = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim() == asset.etag || t.trim() == "*")
            });
        let mut res = HttpResponse::build(if fresh {
            StatusCode::NOT_MODIFIED
        } else {
            StatusCode::OK
        });
        res.insert_header((header::ETAG, asset.etag.as_str()))
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")));
        if fresh {
            return res.finish();
        }
        // For HEAD, actix sends the head alone, with this body's length.
        res.insert_header((header::CONTENT_TYPE, asset.content_type))
            .body(crate::body::in_pieces(asset.body.clone()))
    }
}

fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" | "dic" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// FNV-1a, 64 bits: enough to tell versions of a file apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
