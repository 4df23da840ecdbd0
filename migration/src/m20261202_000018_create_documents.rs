//! Documents: each upload (its name, type, uploader and the object it is attached to, if any)
//! and the stored content, once per SHA-256, in chunks (BLOB on SQLite, bytea on PostgreSQL),
//! so that a document commits with what it belongs to and every replica sees it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_create_identity::{AppUser, Organization};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DocumentBlob::Table)
                    .col(string(DocumentBlob::Sha256).primary_key())
                    .col(big_integer(DocumentBlob::Size))
                    .col(timestamp_with_time_zone(DocumentBlob::StoredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentChunk::Table)
                    .col(string(DocumentChunk::Sha256))
                    .col(integer(DocumentChunk::Seq))
                    .col(binary(DocumentChunk::Data))
                    .primary_key(
                        Index::create()
                            .col(DocumentChunk::Sha256)
                            .col(DocumentChunk::Seq),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentChunk::Table, DocumentChunk::Sha256)
                            .to(DocumentBlob::Table, DocumentBlob::Sha256),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Document::Table)
                    .col(string(Document::Id).primary_key())
                    .col(string(Document::Sha256))
                    .col(string(Document::Name))
                    .col(string(Document::ContentType))
                    .col(big_integer(Document::Size))
                    .col(string(Document::UploadedBy))
                    .col(string(Document::OrganizationId))
                    .col(timestamp_with_time_zone(Document::UploadedAt))
                    .col(string_null(Document::OwnerKind))
                    .col(string_null(Document::OwnerId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Document::Table, Document::Sha256)
                            .to(DocumentBlob::Table, DocumentBlob::Sha256),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Document::Table, Document::UploadedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Document::Table, Document::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_owner")
                    .table(Document::Table)
                    .col(Document::OwnerKind)
                    .col(Document::OwnerId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum DocumentBlob {
    Table,
    Sha256,
    Size,
    StoredAt,
}

#[derive(DeriveIden)]
enum DocumentChunk {
    Table,
    Sha256,
    Seq,
    Data,
}

#[derive(DeriveIden)]
enum Document {
    Table,
    Id,
    Sha256,
    Name,
    ContentType,
    Size,
    UploadedBy,
    OrganizationId,
    UploadedAt,
    OwnerKind,
    OwnerId,
}
