//! The documents clients send again and again, kept parsed.
//!
//! A portal page sends the same few documents all day with different variables; parsing one
//! (async-graphql's pest grammar) cost a signed-in list of 20 calls about 8 % of its time,
//! while cloning the parsed document costs a fraction of that (its names are shared `Arc`s).
//! A parsed document depends on its text alone, never on the caller or the variables: every
//! check that does (the price, the input guard, async-graphql's validation) still runs on each
//! request.
//!
//! Bounded: only documents of at most [`MAX_KEPT_BYTES`] are kept, at most [`MAX_KEPT`] of
//! them; when the table is full it is emptied and fills again with what is asked next, so a
//! client sending ever new documents costs the others their parse, never memory.

use async_graphql::parser::types::ExecutableDocument;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The longest document kept.
pub const MAX_KEPT_BYTES: usize = 4 * 1024;
/// How many documents are kept at most.
pub const MAX_KEPT: usize = 256;

#[derive(Default)]
pub struct ParsedDocuments {
    kept: Mutex<HashMap<Arc<str>, Arc<ExecutableDocument>>>,
}

impl ParsedDocuments {
    /// `query` parsed: a copy of the kept document, or parsed now (and kept when it parses and
    /// is short enough).
    pub fn parse(&self, query: &str) -> async_graphql::parser::Result<ExecutableDocument> {
        let keep = query.len() <= MAX_KEPT_BYTES;
        if keep && let Some(doc) = self.lock().get(query).cloned() {
            return Ok(doc.as_ref().clone());
        }
        let doc = async_graphql::parser::parse_query(query)?;
        if keep {
            let mut kept = self.lock();
            if kept.len() >= MAX_KEPT {
                kept.clear();
            }
            kept.insert(Arc::from(query), Arc::new(doc.clone()));
        }
        Ok(doc)
    }

    /// How many documents are kept now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The table, even after a panic elsewhere while it was held (it holds only whole
    /// entries: an insert either happened or did not).
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Arc<ExecutableDocument>>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(doc: &ExecutableDocument) -> String {
        format!("{:?}", doc.operations)
    }

    #[test]
    fn a_kept_document_is_the_one_parsed() {
        let docs = ParsedDocuments::default();
        let q = "query($id: ID!) { call(id: $id) { id title lines { quantity } } }";
        let first = docs.parse(q).expect("parses");
        assert_eq!(docs.len(), 1);
        let again = docs.parse(q).expect("parses");
        assert_eq!(shape(&first), shape(&again));
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn errors_and_long_documents_are_not_kept() {
        let docs = ParsedDocuments::default();
        assert!(docs.parse("{ calls( }").is_err());
        assert!(docs.is_empty());
        let long = format!("{{ {} }}", "me { id } ".repeat(MAX_KEPT_BYTES / 8));
        assert!(long.len() > MAX_KEPT_BYTES);
        docs.parse(&long).expect("parses");
        assert!(docs.is_empty());
    }

    #[test]
    fn the_table_never_holds_more_than_its_bound() {
        let docs = ParsedDocuments::default();
        for i in 0..(MAX_KEPT * 2 + 7) {
            docs.parse(&format!("{{ a{i}: me {{ id }} }}"))
                .expect("parses");
            assert!(docs.len() <= MAX_KEPT);
        }
        assert_eq!(docs.len(), 7, "emptied when full, then filled again");
    }
}
