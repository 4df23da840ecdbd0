//! The GraphQL multipart request (operations, map, files) read with tight limits: the
//! operations at most [`MAX_BODY_BYTES`](crate::http::MAX_BODY_BYTES) like any JSON request,
//! the map at most 64 KiB with one path per file, at most 20 files of 25 MiB, no part that is
//! neither. Each file is written to an unnamed temporary file as it arrives (asynchronously,
//! in the pieces the client sends), so no file is held whole in memory.

use crate::domain::document::{MAX_FILE_BYTES, MAX_FILES_PER_OBJECT};
use async_graphql::{Request, UploadValue};
use std::collections::HashMap;
use tokio::io::AsyncWriteExt;

/// The largest map, in bytes.
const MAP_BYTES: u64 = 64 * 1024;

/// Why a multipart request was refused: too large (413), or malformed (400), with the field.
#[derive(Debug)]
pub enum Refused {
    TooLarge(&'static str, String),
    Malformed(&'static str, String),
}

fn malformed(field: &'static str, why: impl Into<String>) -> Refused {
    Refused::Malformed(field, why.into())
}

fn from_multer(e: multer::Error) -> Refused {
    match e {
        multer::Error::FieldSizeExceeded { field_name, .. } => match field_name.as_deref() {
            Some("operations") => Refused::TooLarge(
                "operations",
                format!("must be at most {} bytes", crate::http::MAX_BODY_BYTES),
            ),
            Some("map") => Refused::TooLarge("map", format!("must be at most {MAP_BYTES} bytes")),
            _ => Refused::TooLarge("file", format!("must be at most {MAX_FILE_BYTES} bytes")),
        },
        multer::Error::StreamSizeExceeded { .. } => Refused::TooLarge(
            "body",
            format!(
                "must be at most {} bytes",
                crate::http::MAX_UPLOAD_REQUEST_BYTES
            ),
        ),
        other => malformed(
            "body",
            format!("is not a GraphQL multipart request ({other})"),
        ),
    }
}

fn io(e: std::io::Error) -> Refused {
    tracing::error!(error = %e, "upload: temporary file");
    malformed("file", "could not be received")
}

/// Reads a multipart request whose `Content-Type` is `content_type`.
pub async fn read(content_type: &str, body: axum::body::Body) -> Result<Request, Refused> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| malformed("content-type", "must name the multipart boundary"))?;
    let limits = multer::SizeLimit::new()
        .whole_stream(crate::http::MAX_UPLOAD_REQUEST_BYTES)
        .per_field(MAX_FILE_BYTES)
        .for_field("operations", crate::http::MAX_BODY_BYTES as u64)
        .for_field("map", MAP_BYTES);
    let mut parts = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut request: Option<Request> = None;
    let mut map: Option<HashMap<String, Vec<String>>> = None;
    let mut files: Vec<(String, UploadValue)> = Vec::new();
    while let Some(mut part) = parts.next_field().await.map_err(from_multer)? {
        let name = part.name().unwrap_or_default().to_owned();
        match (name.as_str(), part.file_name().map(str::to_owned)) {
            ("operations", _) => {
                let bytes = part.bytes().await.map_err(from_multer)?;
                let r = crate::http::parse_request(&bytes).map_err(|why| {
                    malformed("operations", format!("is not a GraphQL request ({why})"))
                })?;
                request = Some(r);
            }
            ("map", _) => {
                let bytes = part.bytes().await.map_err(from_multer)?;
                let m: HashMap<String, Vec<String>> =
                    serde_json::from_slice(&bytes).map_err(|e| {
                        malformed("map", format!("is not a map of files to paths ({e})"))
                    })?;
                map = Some(m);
            }
            (_, Some(filename)) => {
                if files.len() >= MAX_FILES_PER_OBJECT {
                    return Err(Refused::TooLarge(
                        "file",
                        format!("at most {MAX_FILES_PER_OBJECT} files in one request"),
                    ));
                }
                let content_type = part.content_type().map(ToString::to_string);
                let temp = tempfile::tempfile().map_err(io)?;
                let mut file = tokio::fs::File::from_std(temp);
                while let Some(chunk) = part.chunk().await.map_err(from_multer)? {
                    file.write_all(&chunk).await.map_err(io)?;
                }
                file.flush().await.map_err(io)?;
                let content = file.into_std().await;
                files.push((
                    name,
                    UploadValue {
                        filename,
                        content_type,
                        content,
                    },
                ));
            }
            _ => return Err(malformed("body", format!("has an unknown part `{name}`"))),
        }
    }
    let mut request = request.ok_or_else(|| malformed("operations", "is missing"))?;
    let mut map = map.ok_or_else(|| malformed("map", "is missing"))?;
    for (name, upload) in files {
        let paths = map
            .remove(&name)
            .ok_or_else(|| malformed("map", format!("does not name the file part `{name}`")))?;
        let [path] = paths.as_slice() else {
            return Err(malformed("map", "must give each file exactly one path"));
        };
        request.set_upload(path, upload);
    }
    if !map.is_empty() {
        return Err(malformed("map", "names a file that was not sent"));
    }
    Ok(request)
}
