//! The public contract (`tests/contract.graphql`, a copy of `shared/contract.graphql`) against
//! the running schema. Every type, field, argument, input field and enum value of the contract
//! must be in the schema with the same type, unless `tests/contract_pending.txt` lists it as
//! not built yet; and nothing built may stay listed there. The list only shrinks.

use async_graphql_parser::parse_schema;
use async_graphql_parser::types::{TypeKind, TypeSystemDefinition};
use std::collections::BTreeSet;

/// One line per contract item, e.g. `field Query.me: User` or `enum Role.ADMIN`.
fn items(sdl: &str) -> BTreeSet<String> {
    let doc = parse_schema(sdl).expect("SDL parses");
    let mut out = BTreeSet::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let name = t.name.node.as_str();
        match t.kind {
            TypeKind::Scalar => {
                out.insert(format!("scalar {name}"));
            }
            TypeKind::Object(o) => {
                for f in o.fields {
                    let f = f.node;
                    out.insert(format!("field {name}.{}: {}", f.name.node, f.ty.node));
                    for a in f.arguments {
                        let a = a.node;
                        out.insert(format!(
                            "arg {name}.{}({}): {}",
                            f.name.node, a.name.node, a.ty.node
                        ));
                    }
                }
            }
            TypeKind::InputObject(i) => {
                for f in i.fields {
                    out.insert(format!(
                        "input {name}.{}: {}",
                        f.node.name.node, f.node.ty.node
                    ));
                }
            }
            TypeKind::Enum(e) => {
                for v in e.values {
                    out.insert(format!("enum {name}.{}", v.node.value.node));
                }
            }
            TypeKind::Interface(_) | TypeKind::Union(_) => {
                out.insert(format!("type {name}"));
            }
        }
    }
    out
}

#[test]
fn the_schema_holds_the_contract_except_what_is_listed_as_pending() {
    let root = env!("CARGO_MANIFEST_DIR");
    let contract = items(
        &std::fs::read_to_string(format!("{root}/tests/contract.graphql")).expect("contract"),
    );
    let ours = items(&api::sdl());
    let pending: BTreeSet<String> =
        std::fs::read_to_string(format!("{root}/tests/contract_pending.txt"))
            .expect("pending list")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
    let missing: BTreeSet<String> = contract.difference(&ours).cloned().collect();
    let unexpected: Vec<_> = missing.difference(&pending).collect();
    assert!(
        unexpected.is_empty(),
        "in the contract but not in the schema (wrong name or type?):\n{unexpected:#?}"
    );
    let done: Vec<_> = pending.difference(&missing).collect();
    assert!(
        done.is_empty(),
        "built now: remove these from tests/contract_pending.txt:\n{done:#?}"
    );
}
