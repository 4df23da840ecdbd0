//! Every string a request carries, as a literal in the document or in its variables, is
//! checked before anything runs (`domain::validate::clean_text`): a NUL byte or another
//! control character is BAD_USER_INPUT naming the argument, on SQLite and PostgreSQL alike,
//! and nothing is written. So is a list of more than `MAX_LIST_ITEMS` items. Per-field
//! limits (characters, items) follow in the domain.

use crate::domain::validate::clean_text;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensionValues, Name, Positioned, ServerError, ServerResult, Value, Variables,
};
use std::sync::Arc;

/// The schema extension that applies the check.
pub struct InputGuard;

impl ExtensionFactory for InputGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(InputGuardExtension)
    }
}

struct InputGuardExtension;

#[async_trait::async_trait]
impl Extension for InputGuardExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        check_document(&document, variables).map_err(|(field, rule)| {
            let mut e = ServerError::new(format!("{field}: {rule}"), None);
            let mut ext = ErrorExtensionValues::default();
            ext.set("code", "BAD_USER_INPUT");
            ext.set("field", field);
            e.extensions = Some(ext);
            e
        })?;
        Ok(document)
    }
}

type Refusal = (String, String);

/// The most items any list in a request may have (a call has at most 500 lines).
pub const MAX_LIST_ITEMS: usize = 1000;

/// Checks the variables and every literal of the document's operations and fragments.
pub fn check_document(doc: &ExecutableDocument, variables: &Variables) -> Result<(), Refusal> {
    // Paths name fields as the services do: the keys of an input object (`title`,
    // `lines[0].quantity`), or the variable or argument itself when it is not an object.
    for (name, value) in variables.iter() {
        check_value(&root(name.as_str(), value), value)?;
    }
    for (_, op) in doc.operations.iter() {
        for v in &op.node.variable_definitions {
            if let Some(default) = &v.node.default_value {
                check_value(v.node.name.node.as_str(), &default.node)?;
            }
        }
        check_selection_set(&op.node.selection_set)?;
    }
    for fragment in doc.fragments.values() {
        check_selection_set(&fragment.node.selection_set)?;
    }
    Ok(())
}

fn check_selection_set(set: &Positioned<SelectionSet>) -> Result<(), Refusal> {
    for item in &set.node.items {
        match &item.node {
            Selection::Field(f) => {
                check_arguments(f.node.arguments.as_slice())?;
                for d in &f.node.directives {
                    check_arguments(d.node.arguments.as_slice())?;
                }
                check_selection_set(&f.node.selection_set)?;
            }
            Selection::InlineFragment(f) => {
                for d in &f.node.directives {
                    check_arguments(d.node.arguments.as_slice())?;
                }
                check_selection_set(&f.node.selection_set)?;
            }
            Selection::FragmentSpread(s) => {
                for d in &s.node.directives {
                    check_arguments(d.node.arguments.as_slice())?;
                }
            }
        }
    }
    Ok(())
}

fn check_arguments(
    args: &[(Positioned<Name>, Positioned<async_graphql_value::Value>)],
) -> Result<(), Refusal> {
    for (name, value) in args {
        // Variables inside a literal are checked with the variables; here they read as null.
        let literal = value
            .node
            .clone()
            .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null))
            .unwrap_or(Value::Null);
        let name = name.node.as_str();
        check_value(if name == "input" { "" } else { name }, &literal)?;
    }
    Ok(())
}

/// A variable holding an input object contributes no name of its own to the path.
fn root(name: &str, value: &Value) -> String {
    match value {
        Value::Object(_) => String::new(),
        _ => name.to_owned(),
    }
}

fn check_value(path: &str, value: &Value) -> Result<(), Refusal> {
    match value {
        Value::String(s) => clean_text(path, s).map_err(|i| (i.field, i.rule)),
        Value::List(items) => {
            if items.len() > MAX_LIST_ITEMS {
                return Err((
                    path.to_owned(),
                    format!("may have at most {MAX_LIST_ITEMS} items"),
                ));
            }
            for (i, v) in items.iter().enumerate() {
                check_value(&format!("{path}[{i}]"), v)?;
            }
            Ok(())
        }
        Value::Object(fields) => {
            for (k, v) in fields {
                let key = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                clean_text(&key, k.as_str()).map_err(|i| (i.field, i.rule))?;
                check_value(&key, v)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, variables: serde_json::Value) -> Result<(), Refusal> {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        let vars = Variables::from_json(variables);
        check_document(&doc, &vars)
    }

    #[test]
    fn a_nul_in_a_variable_or_a_literal_is_refused_with_its_path() {
        let q = "mutation($i:CreateCallInput!){ createCall(input:$i){ id } }";
        let e = check(q, serde_json::json!({ "i": { "title": "a\u{0}b" } })).unwrap_err();
        assert_eq!(e.0, "title");
        let e = check(
            r#"{ calls(filter:{search:"x\u0000"}){ totalCount } }"#,
            serde_json::json!({}),
        )
        .unwrap_err();
        assert_eq!(e.0, "filter.search");
        let e = check(
            r#"fragment F on Query { products(category: "\u0007") { id } } { ...F }"#,
            serde_json::json!({}),
        )
        .unwrap_err();
        assert_eq!(e.0, "category");
        let e = check(q, serde_json::json!({ "i": { "lines": ["ok", "\u{1b}"] } })).unwrap_err();
        assert_eq!(e.0, "lines[1]");
    }

    #[test]
    fn a_list_past_the_limit_is_refused() {
        let lines: Vec<serde_json::Value> = (0..30_000)
            .map(|_| serde_json::json!({ "productId": "p", "quantity": "1" }))
            .collect();
        let q = "mutation($i:CreateCallInput!){ createCall(input:$i){ id } }";
        let e = check(q, serde_json::json!({ "i": { "lines": lines } })).unwrap_err();
        assert_eq!(e.0, "lines");
        assert!(e.1.contains("at most 1000 items"));
    }

    #[test]
    fn tabs_newlines_and_other_text_pass() {
        assert!(
            check(
                "{ products(category:\"koti\\thoito\\n\") { id } }",
                serde_json::json!({ "x": "Åbo – €\n" })
            )
            .is_ok()
        );
    }
}
