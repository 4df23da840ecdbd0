//! Documents: an upload is read from its temporary file (the multipart request wrote it
//! there, so a file is never held whole in memory), its type told from its content, and
//! stored by SHA-256 through a [`BlobStore`] (the database by default: chunked rows that
//! commit with the document and that every replica sees); the same content is stored once.
//! A document is its uploader organisation's alone until it is attached; attached, it is
//! read exactly as the object it belongs to.

use super::new_id;
use super::work::Work;
use crate::auth::Caller;
use crate::domain::call::can_see_call;
use crate::domain::document::{self as doc, CHUNK_BYTES, HEAD_BYTES, MAX_FILE_BYTES};
use crate::error::{AppError, AppResult};
use crate::service::Cx;
use entity::{bid, call, document, document_blob, document_chunk, service_contract};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// What a document is attached to.
pub const CALL: &str = "CALL";
pub const CONTRACT: &str = "CONTRACT";
pub const BID: &str = "BID";

/// Where contents are kept, by SHA-256. The database is the store by default; an object
/// store would implement the same two operations (see the README).
pub trait BlobStore {
    /// Stores `size` bytes read from `file` under `sha256` (nothing when already stored),
    /// inside the unit of work.
    fn put(
        &self,
        w: &Work<'_>,
        sha256: &str,
        size: u64,
        file: &mut tokio::fs::File,
    ) -> impl std::future::Future<Output = AppResult<()>> + Send;
    /// Bytes `start..=end` of the content stored under `sha256`, one chunk of the store at a
    /// time: the `n`th piece (from 0), or `None` after the last.
    fn piece(
        &self,
        sha256: &str,
        start: u64,
        end: u64,
        n: u64,
    ) -> impl std::future::Future<Output = AppResult<Option<Vec<u8>>>> + Send;
}

/// Contents in the database: `document_blob` and its `document_chunk` rows of 256 KiB.
#[derive(Clone)]
pub struct DatabaseBlobs(pub DatabaseConnection);

impl BlobStore for DatabaseBlobs {
    async fn put(
        &self,
        w: &Work<'_>,
        sha256: &str,
        size: u64,
        file: &mut tokio::fs::File,
    ) -> AppResult<()> {
        // Claim the content: on PostgreSQL a concurrent upload of the same bytes waits here for
        // the first to commit, then finds it stored (and writes again if the first rolled back).
        let claimed = document_blob::Entity::insert(document_blob::ActiveModel {
            sha256: Set(sha256.to_owned()),
            size: Set(i64::try_from(size).unwrap_or(i64::MAX)),
            stored_at: Set(w.now()),
        })
        .on_conflict(
            OnConflict::column(document_blob::Column::Sha256)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(w.conn())
        .await?;
        if claimed == 0 {
            return Ok(());
        }
        file.rewind().await.map_err(io)?;
        let mut seq = 0i32;
        loop {
            let mut buf = vec![0u8; CHUNK_BYTES];
            let mut filled = 0;
            while filled < CHUNK_BYTES {
                let n = file.read(&mut buf[filled..]).await.map_err(io)?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 {
                break;
            }
            buf.truncate(filled);
            document_chunk::ActiveModel {
                sha256: Set(sha256.to_owned()),
                seq: Set(seq),
                data: Set(buf),
            }
            .insert(w.conn())
            .await?;
            seq = seq.saturating_add(1);
            if filled < CHUNK_BYTES {
                break;
            }
        }
        Ok(())
    }

    async fn piece(
        &self,
        sha256: &str,
        start: u64,
        end: u64,
        n: u64,
    ) -> AppResult<Option<Vec<u8>>> {
        let chunk = CHUNK_BYTES as u64;
        let first = start / chunk;
        let seq = first.saturating_add(n);
        if seq > end / chunk {
            return Ok(None);
        }
        let Some(row) = document_chunk::Entity::find_by_id((
            sha256.to_owned(),
            i32::try_from(seq).unwrap_or(i32::MAX),
        ))
        .one(&self.0)
        .await?
        else {
            return Ok(None);
        };
        let at = seq * chunk;
        let from = usize::try_from(start.saturating_sub(at)).unwrap_or(0);
        let to = usize::try_from((end + 1).saturating_sub(at))
            .unwrap_or(usize::MAX)
            .min(row.data.len());
        Ok(Some(row.data.get(from..to).unwrap_or_default().to_vec()))
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("upload file: {e}"))
}

/// The size, SHA-256 and first bytes of an uploaded file.
async fn measure(file: &mut tokio::fs::File) -> AppResult<(u64, String, Vec<u8>)> {
    file.rewind().await.map_err(io)?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let mut size = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).await.map_err(io)?;
        if n == 0 {
            break;
        }
        let part = &buf[..n];
        hasher.update(part);
        if head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - head.len()).min(n);
            head.extend_from_slice(&part[..take]);
        }
        size = size.saturating_add(n as u64);
        if size > MAX_FILE_BYTES {
            break;
        }
    }
    Ok((size, hex(&hasher.finalize()), head))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Any signed-in user: stores an uploaded file as a document of the caller's organisation,
/// not attached to anything yet.
///
/// An upload appends no audit event of its own: until it is attached it changes nothing
/// anyone else can see, and an event in the main chain would tell, by its time and its
/// uploader, which providers are preparing bids while the bids are sealed. The upload is
/// recorded where it is attached, with its id, SHA-256 and name: in the event of the call's
/// creation or change, of the contract's attachment, or, for a bid, in the call's sealed log
/// (and in the bid's receipt).
pub async fn upload(
    Cx { state, caller }: Cx<'_>,
    filename: &str,
    file: std::fs::File,
) -> AppResult<document::Model> {
    let actor = caller.require()?.clone();
    let mut file = tokio::fs::File::from_std(file);
    let (size, sha256, head) = measure(&mut file).await?;
    if size > MAX_FILE_BYTES {
        return Err(AppError::bad_input(
            "file",
            "must be at most 26214400 bytes",
        ));
    }
    let complete = size as usize <= head.len();
    let content_type = doc::sniff(&head, complete).ok_or_else(|| {
        AppError::bad_input(
            "file",
            "is not a PDF, PNG, JPEG, ODF or OOXML office file, or plain text",
        )
    })?;
    let name = doc::safe_name(filename);
    let store = DatabaseBlobs(state.db.conn().clone());
    work!(state, |w| {
        let now = w.now();
        w.recorded_when_attached();
        store.put(w, &sha256, size, &mut file).await?;
        let d = document::ActiveModel {
            id: Set(new_id()),
            sha256: Set(sha256.clone()),
            name: Set(name.clone()),
            content_type: Set(content_type.clone()),
            size: Set(i64::try_from(size).unwrap_or(i64::MAX)),
            uploaded_by: Set(actor.user_id.clone()),
            organization_id: Set(actor.organization_id.clone()),
            uploaded_at: Set(now),
            owner_kind: Set(None),
            owner_id: Set(None),
        }
        .insert(w.conn())
        .await?;
        Ok(d)
    })
}

/// Attaches the organisation's unattached documents `ids` to the object `kind` `owner_id`; at
/// most 20 per object. NOT_FOUND naming `field[i]` for an id that is not such a document.
/// Returns the documents attached, in the order given.
pub async fn attach(
    w: &Work<'_>,
    kind: &'static str,
    owner_id: &str,
    organization_id: &str,
    ids: &[String],
    field: &str,
) -> AppResult<Vec<document::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let already = document::Entity::find()
        .filter(document::Column::OwnerKind.eq(kind))
        .filter(document::Column::OwnerId.eq(owner_id))
        .count(w.conn())
        .await?;
    let total = usize::try_from(already)
        .unwrap_or(usize::MAX)
        .saturating_add(ids.len());
    crate::domain::validate::list_len(field, total, doc::MAX_FILES_PER_OBJECT)?;
    let mut attached_ids = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let not_found = || {
            let at = if field.ends_with("Ids") {
                format!("{field}[{i}]")
            } else {
                field.to_owned()
            };
            AppError::not_found(format!("{at}: no such document"))
        };
        let id = super::parse_id(field, id).map_err(|_| not_found())?;
        let attached = document::Entity::update_many()
            .col_expr(document::Column::OwnerKind, Expr::value(kind))
            .col_expr(document::Column::OwnerId, Expr::value(owner_id))
            .filter(document::Column::Id.eq(id.as_str()))
            .filter(document::Column::OrganizationId.eq(organization_id))
            .filter(document::Column::OwnerKind.is_null())
            .exec(w.conn())
            .await?
            .rows_affected;
        if attached == 0 {
            return Err(not_found());
        }
        attached_ids.push(id);
    }
    let mut found = document::Entity::find()
        .filter(document::Column::Id.is_in(attached_ids.iter().cloned()))
        .all(w.conn())
        .await?;
    found.sort_by_key(|d| attached_ids.iter().position(|id| *id == d.id));
    Ok(found)
}

/// Gives the documents attached to the object `kind` `owner_id` back to their uploader
/// organisation, unattached (a replaced bid's attachments, to be attached again or not).
pub async fn release(w: &Work<'_>, kind: &'static str, owner_id: &str) -> AppResult<()> {
    release_all(w.conn(), kind, &[owner_id]).await
}

/// [`release`] for several objects of one kind in one statement.
pub async fn release_all<C: ConnectionTrait>(
    conn: &C,
    kind: &'static str,
    owner_ids: &[&str],
) -> AppResult<()> {
    document::Entity::update_many()
        .col_expr(
            document::Column::OwnerKind,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            document::Column::OwnerId,
            Expr::value(Option::<String>::None),
        )
        .filter(document::Column::OwnerKind.eq(kind))
        .filter(document::Column::OwnerId.is_in(owner_ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// An audit or sealed-log summary with the documents just attached (id, name, SHA-256 and
/// size of each) under `documents`; the summary as it was when none were.
pub fn with_documents(
    mut summary: serde_json::Value,
    docs: &[document::Model],
) -> serde_json::Value {
    if let (false, Some(map)) = (docs.is_empty(), summary.as_object_mut()) {
        let list = docs
            .iter()
            .map(|d| json!({ "id": d.id, "name": d.name, "sha256": d.sha256, "size": d.size }))
            .collect();
        map.insert("documents".to_owned(), serde_json::Value::Array(list));
    }
    summary
}

/// Whether the caller may read `d` at `now`: its uploader organisation while it is
/// unattached; as the call, bid (the seal) or contract it belongs to once attached to one.
pub async fn may_read<C: ConnectionTrait>(
    conn: &C,
    caller: &Caller,
    d: &document::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<bool> {
    match (d.owner_kind.as_deref(), d.owner_id.as_deref()) {
        (None, _) => {
            Ok(matches!(caller, Caller::User(a) if a.organization_id == d.organization_id))
        }
        (Some(CALL), Some(call_id)) => {
            let Some(c) = call::Entity::find_by_id(call_id.to_owned())
                .one(conn)
                .await?
            else {
                return Ok(false);
            };
            Ok(can_see_call(
                caller.viewer(),
                &c.orderer_id,
                c.published_at.is_some(),
            ))
        }
        (Some(BID), Some(bid_id)) => {
            let Some(b) = bid::Entity::find_by_id(bid_id.to_owned()).one(conn).await? else {
                return Ok(false);
            };
            let Some(c) = call::Entity::find_by_id(b.call_id.clone())
                .one(conn)
                .await?
            else {
                return Ok(false);
            };
            Ok(super::bids::may_see(caller.viewer(), &b, &c, now))
        }
        (Some(CONTRACT), Some(contract_id)) => {
            let found = service_contract::Entity::find_by_id(contract_id.to_owned())
                .one(conn)
                .await?;
            Ok(found.is_some_and(|k| super::contracts::may_see(caller.viewer(), &k)))
        }
        _ => Ok(false),
    }
}

/// A document the caller may read, or NOT_FOUND (whether it exists or not).
pub async fn readable(
    state: &crate::state::AppState,
    caller: &Caller,
    id: &str,
) -> AppResult<document::Model> {
    let not_found = || AppError::not_found("no such document");
    let id = super::parse_id("id", id).map_err(|_| not_found())?;
    let d = document::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or_else(not_found)?;
    if !may_read(state.db.conn(), caller, &d, state.now()).await? {
        return Err(not_found());
    }
    Ok(d)
}
