//! Every string a request carries, as a literal in the document or in its variables, is
//! checked before anything runs (`domain::validate::clean_text`): a NUL byte or another
//! control character is BAD_USER_INPUT naming the argument, on SQLite and PostgreSQL alike,
//! and nothing is written. So is a list of more than `MAX_LIST_ITEMS` items. Per-field
//! limits (characters, items) follow in the domain.

use crate::domain::validate::clean_text;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::registry::{MetaType, Registry};
use async_graphql::{
    ErrorExtensionValues, Name, OutputType, Positioned, ServerError, Value, Variables,
};

/// The check, with the schema's types (for the paths of decimals): built once, run by the HTTP
/// layer on every document after it is priced and before it runs (`http::admit`).
///
/// It is deliberately not a schema extension: with any extension installed, async-graphql
/// resolves every field of every answer through its slower path (a `ResolveInfo` with two
/// look-ups in the registry and a boxed future through the extension chain per field and per
/// list item), which cost a signed-in list of 20 calls about a quarter of its time.
pub struct InputGuard {
    registry: Registry,
}

impl Default for InputGuard {
    fn default() -> Self {
        use crate::graphql::{mutation::Mutation, query::Query};
        let mut registry = Registry {
            query_type: <Query as OutputType>::type_name().into_owned(),
            mutation_type: Some(<Mutation as OutputType>::type_name().into_owned()),
            ..Registry::default()
        };
        <Query as OutputType>::create_type_info(&mut registry);
        <Mutation as OutputType>::create_type_info(&mut registry);
        Self { registry }
    }
}

impl InputGuard {
    /// Every string and list of `document` and `variables` within bounds, and every decimal
    /// argument within the scalar's: otherwise BAD_USER_INPUT naming the argument.
    pub fn check(
        &self,
        document: &ExecutableDocument,
        variables: &Variables,
    ) -> Result<(), ServerError> {
        check_document(document, variables)
            .and_then(|()| check_decimals(&self.registry, document, variables))
            .map_err(|(field, rule)| {
                let mut e = ServerError::new(format!("{field}: {rule}"), None);
                let mut ext = ErrorExtensionValues::default();
                ext.set("code", "BAD_USER_INPUT");
                ext.set("field", field);
                crate::error::set_rule(&mut ext, Some(&rule));
                e.extensions = Some(ext);
                e
            })
    }
}

type Refusal = (String, String);

/// Every `Decimal` argument, in literals and variables, typed through the schema: at most
/// 12 integer digits and 10 decimals (`graphql::scalars`), refused here with the path of the
/// field (`lines[0].unitPrice`) before the scalar would refuse it without one.
pub fn check_decimals(
    registry: &Registry,
    doc: &ExecutableDocument,
    variables: &Variables,
) -> Result<(), Refusal> {
    let walk = TypedWalk {
        registry,
        variables,
    };
    for (_, op) in doc.operations.iter() {
        let root = match op.node.ty {
            OperationType::Query => Some(registry.query_type.as_str()),
            OperationType::Mutation => registry.mutation_type.as_deref(),
            OperationType::Subscription => registry.subscription_type.as_deref(),
        };
        if let Some(root) = root {
            walk.selection_set(root, &op.node.selection_set)?;
        }
    }
    for fragment in doc.fragments.values() {
        walk.selection_set(
            fragment.node.type_condition.node.on.node.as_str(),
            &fragment.node.selection_set,
        )?;
    }
    Ok(())
}

struct TypedWalk<'a> {
    registry: &'a Registry,
    variables: &'a Variables,
}

impl TypedWalk<'_> {
    fn selection_set(&self, ty: &str, set: &Positioned<SelectionSet>) -> Result<(), Refusal> {
        let Some(meta) = self.registry.types.get(ty) else {
            return Ok(());
        };
        for item in &set.node.items {
            match &item.node {
                Selection::Field(f) => {
                    let Some(field) = meta.field_by_name(f.node.name.node.as_str()) else {
                        continue;
                    };
                    for (name, value) in &f.node.arguments {
                        let Some(arg) = field.args.get(name.node.as_str()) else {
                            continue;
                        };
                        let root = if name.node.as_str() == "input" {
                            String::new()
                        } else {
                            name.node.to_string()
                        };
                        self.value(&root, &arg.ty, &value.node)?;
                    }
                    self.selection_set(named_type(&field.ty), &f.node.selection_set)?;
                }
                Selection::InlineFragment(f) => {
                    let on = f
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(ty, |c| c.node.on.node.as_str());
                    self.selection_set(on, &f.node.selection_set)?;
                }
                // Named fragments are walked once each, from their own type condition.
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }

    /// A value of GraphQL type `ty` (e.g. `[BidLineInput!]!`) at `path`.
    fn value(
        &self,
        path: &str,
        ty: &str,
        value: &async_graphql_value::Value,
    ) -> Result<(), Refusal> {
        use async_graphql_value::Value as V;
        let ty = ty.strip_suffix('!').unwrap_or(ty);
        match value {
            V::Variable(name) => {
                if let Some(v) = self.variables.get(name) {
                    let root = if path.is_empty() { "" } else { path };
                    self.const_value(root, ty, v)?;
                }
                Ok(())
            }
            V::List(items) => {
                let inner = list_item_type(ty);
                for (i, v) in items.iter().enumerate() {
                    self.value(&format!("{path}[{i}]"), inner.unwrap_or(ty), v)?;
                }
                Ok(())
            }
            V::Object(fields) => {
                for (k, v) in fields {
                    if let Some(fty) = self.input_field_type(ty, k.as_str()) {
                        self.value(&join(path, k.as_str()), fty, v)?;
                    }
                }
                Ok(())
            }
            V::String(s) if named_type(ty) == "Decimal" => decimal_text(path, s),
            V::Number(n) if named_type(ty) == "Decimal" => decimal_text(path, &n.to_string()),
            _ => Ok(()),
        }
    }

    fn const_value(&self, path: &str, ty: &str, value: &Value) -> Result<(), Refusal> {
        let ty = ty.strip_suffix('!').unwrap_or(ty);
        match value {
            Value::List(items) => {
                let inner = list_item_type(ty);
                for (i, v) in items.iter().enumerate() {
                    self.const_value(&format!("{path}[{i}]"), inner.unwrap_or(ty), v)?;
                }
                Ok(())
            }
            Value::Object(fields) => {
                for (k, v) in fields {
                    if let Some(fty) = self.input_field_type(ty, k.as_str()) {
                        self.const_value(&join(path, k.as_str()), fty, v)?;
                    }
                }
                Ok(())
            }
            Value::String(s) if named_type(ty) == "Decimal" => decimal_text(path, s),
            Value::Number(n) if named_type(ty) == "Decimal" => decimal_text(path, &n.to_string()),
            _ => Ok(()),
        }
    }

    fn input_field_type(&self, ty: &str, field: &str) -> Option<&str> {
        match self.registry.types.get(named_type(ty))? {
            MetaType::InputObject { input_fields, .. } => {
                input_fields.get(field).map(|f| f.ty.as_str())
            }
            _ => None,
        }
    }
}

/// `[X!]!` -> `X!`; not a list -> None.
fn list_item_type(ty: &str) -> Option<&str> {
    let ty = ty.strip_suffix('!').unwrap_or(ty);
    ty.strip_prefix('[').and_then(|t| t.strip_suffix(']'))
}

/// The named type inside list and non-null wrappers.
fn named_type(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A decimal's text within the bounds of `graphql::scalars::Dec` (text that is not a
/// decimal is left to the scalar, which names what it expected).
fn decimal_text(path: &str, text: &str) -> Result<(), Refusal> {
    use super::scalars::{MAX_DECIMAL_PLACES, MAX_INTEGER_DIGITS, within_bounds};
    match within_bounds(text.trim()) {
        Some(false) => Err((
            if path.is_empty() {
                "value".to_owned()
            } else {
                path.to_owned()
            },
            format!(
                "{text:?} is out of range: a decimal has at most {MAX_INTEGER_DIGITS} integer digits and {MAX_DECIMAL_PLACES} decimals"
            ),
        )),
        _ => Ok(()),
    }
}

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
