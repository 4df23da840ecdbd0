//! The price of a query, computed before async-graphql validates or executes it.
//!
//! async-graphql expands fragment spreads while it validates, so a document whose fragments
//! each spread the previous one twice costs time doubling per level before its own limits
//! refuse it. Here the document is parsed once (linear) and its expanded cost computed with
//! each fragment priced once (a walk over the fragment graph, with cycle detection), so the
//! check is linear in the document's size and refuses a bomb before any work is done.
//!
//! The cost approximates the size of the answer: every field costs 1, and a list multiplies
//! the cost of what is selected under it by the number of items it may hold:
//!
//! * a paged field (one with a `first` argument) by its page size: `first` as given (a literal
//!   or a variable), capped at the service's maximum, or the service's default when absent;
//! * any other list field by [`ASSUMED_LIST_SIZE`];
//! * the fields of a `…Connection` type count once: the page size was counted on the field
//!   returning the connection;
//! * a text of up to 20,000 characters a public reader may list (a call's description, a
//!   question's answer) counts [`LONG_TEXT_COST`].
//!
//! A document costing more than [`MAX_COST`] in all its operations, or nested deeper than
//! [`super::MAX_DEPTH`] fields, is refused with BAD_USER_INPUT.

use crate::error::AppError;
use crate::service::{self, PageLimits};
use async_graphql::Name;
use async_graphql::Value as ConstValue;
use async_graphql::Variables;
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationType, Selection, SelectionSet, TypeKind,
};
use async_graphql_value::Value;
use std::collections::HashMap;

/// The largest cost a document may have: about as many values in the answer. The portal's
/// largest question (its producer's 100 latest bids with their calls' rankings) costs 6,400;
/// twenty aliases of a full page of calls, even with one field each, cost 8,000.
pub const MAX_COST: u64 = 7_500;
/// How many items a list without a `first` argument (a call's lines, bids or questions) is
/// assumed to hold.
pub const ASSUMED_LIST_SIZE: u64 = 10;
/// Texts a public reader may ask for in lists that may be 20,000 characters long (a call's
/// description, the answer to a question) cost this much each, not 1.
pub const LONG_TEXT_COST: u64 = 20;
const LONG_TEXTS: &[(&str, &str)] = &[("CallForTenders", "description"), ("Question", "answer")];
/// The deepest chain of fragments spreading fragments.
pub const MAX_FRAGMENT_NESTING: usize = 32;

/// Page sizes of the paged fields, from the services.
const PAGED: &[(&str, PageLimits)] = &[
    ("calls", service::calls::CALLS_PAGE),
    ("myBids", service::bids::MY_BIDS_PAGE),
    ("notifications", service::notifications::NOTIFICATIONS_PAGE),
    ("users", service::identity::USERS_PAGE),
    ("grants", service::budget::GRANTS_PAGE),
    ("auditEvents", service::audit::EVENTS_PAGE),
    ("sealedLog", service::audit::SEALED_EVENTS_PAGE),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A list of unknown length.
    List,
    /// A field with a `first` argument: its page size when absent, and at most.
    Paged { default: u64, max: u64 },
}

/// What a field of the schema answers with.
#[derive(Debug, Clone)]
struct FieldInfo {
    /// `None` for a single value.
    shape: Option<Shape>,
    /// What one value of it costs: 1, or [`LONG_TEXT_COST`].
    weight: u64,
    /// The named type under any list and non-null wrappers.
    ty: String,
}

/// The schema's types, as far as pricing needs them: which fields are lists, and what type
/// each field leads to.
#[derive(Debug, Default)]
pub struct CostModel {
    types: HashMap<String, HashMap<String, FieldInfo>>,
    /// By field name alone, for a field whose parent type is not known (a fragment on a type
    /// the schema lacks): a name that is a list in any type counts as a list, which can only
    /// overprice.
    by_name: HashMap<String, Shape>,
}

impl CostModel {
    /// The model of the schema printed as `sdl`.
    pub fn from_sdl(sdl: &str) -> Result<Self, async_graphql::parser::Error> {
        use async_graphql::parser::types::TypeSystemDefinition;
        let doc = async_graphql::parser::parse_schema(sdl)?;
        let mut model = CostModel::default();
        for def in doc.definitions {
            let TypeSystemDefinition::Type(ty) = def else {
                continue;
            };
            let fields = match &ty.node.kind {
                TypeKind::Object(o) => &o.fields,
                TypeKind::Interface(i) => &i.fields,
                _ => continue,
            };
            let type_name = ty.node.name.node.to_string();
            // A connection's edges count once: the page size is counted on its field.
            let connection = type_name.ends_with("Connection");
            let mut infos = HashMap::new();
            for field in fields {
                let name = field.node.name.node.to_string();
                let paged = field
                    .node
                    .arguments
                    .iter()
                    .any(|a| a.node.name.node == "first");
                let mut base = &field.node.ty.node.base;
                let list = matches!(base, BaseType::List(_));
                while let BaseType::List(inner) = base {
                    base = &inner.base;
                }
                let BaseType::Named(named) = base else {
                    continue;
                };
                let shape = if paged {
                    let (default, max) = PAGED
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, p)| (p.default, p.max))
                        .unwrap_or((ASSUMED_LIST_SIZE, u64::from(u32::MAX)));
                    Some(Shape::Paged { default, max })
                } else if list && !connection {
                    Some(Shape::List)
                } else {
                    None
                };
                if let Some(shape) = shape {
                    let known = model.by_name.entry(name.clone()).or_insert(shape);
                    if paged {
                        *known = shape;
                    }
                }
                let weight = match LONG_TEXTS.contains(&(type_name.as_str(), name.as_str())) {
                    true => LONG_TEXT_COST,
                    false => 1,
                };
                let ty = named.to_string();
                infos.insert(name, FieldInfo { shape, weight, ty });
            }
            model.types.insert(type_name, infos);
        }
        Ok(model)
    }

    /// The shape of `parent.field`, the type it leads to and the cost of one of its values.
    fn field(&self, parent: Option<&str>, field: &str) -> (Option<Shape>, Option<&str>, u64) {
        match parent.and_then(|p| self.types.get(p)) {
            Some(fields) => match fields.get(field) {
                Some(info) => (info.shape, Some(info.ty.as_str()), info.weight),
                None => (None, None, 1),
            },
            None => (self.by_name.get(field).copied(), None, 1),
        }
    }
}

/// What the check learnt of an admitted document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Admitted {
    pub cost: u64,
    pub depth: usize,
    /// Whether every operation is a query (mutations are never cached).
    pub only_queries: bool,
}

/// Parses `query` and prices it. A document that does not parse is left to async-graphql,
/// which answers with the parse error (`None`).
pub fn check(
    model: &CostModel,
    query: &str,
    variables: &Variables,
) -> Result<Option<Admitted>, AppError> {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return Ok(None);
    };
    price(model, &doc, variables).map(Some)
}

/// The cost of every operation of `doc`, together.
pub fn price(
    model: &CostModel,
    doc: &ExecutableDocument,
    variables: &Variables,
) -> Result<Admitted, AppError> {
    // A variable the request leaves out takes its declared default; with several operations,
    // the largest declared (the memo of fragment prices is shared by all operations).
    let mut defaults: HashMap<&Name, u64> = HashMap::new();
    for (_, op) in doc.operations.iter() {
        for var in &op.node.variable_definitions {
            if let Some(n) = var.node.default_value.as_ref().and_then(|v| count(&v.node)) {
                let d = defaults.entry(&var.node.name.node).or_insert(0);
                *d = (*d).max(n);
            }
        }
    }
    let mut walk = Walk {
        model,
        doc,
        variables,
        defaults,
        fragments: HashMap::new(),
        nesting: 0,
    };
    let mut total = Admitted {
        cost: 0,
        depth: 0,
        only_queries: true,
    };
    for (_, op) in doc.operations.iter() {
        let root = match op.node.ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => "Subscription",
        };
        let (cost, depth) = walk.selection_set(&op.node.selection_set.node, Some(root), 0)?;
        total.cost = total.cost.saturating_add(cost);
        total.depth = total.depth.max(depth);
        total.only_queries &= op.node.ty == OperationType::Query;
        over_budget(total.cost)?;
    }
    // A fragment no operation spreads is still read and validated: each counts with what it
    // spreads (the document is invalid anyway; this only bounds the work on it).
    let unused: Vec<&str> = (doc.fragments.keys())
        .map(|name| name.as_str())
        .filter(|name| !walk.fragments.contains_key(name))
        .collect();
    for name in unused {
        let (cost, _) = walk.fragment(name, 0)?;
        total.cost = total.cost.saturating_add(cost);
        over_budget(total.cost)?;
    }
    Ok(total)
}

fn over_budget(cost: u64) -> Result<(), AppError> {
    if cost > MAX_COST {
        return Err(AppError::bad_input(
            "query",
            format!(
                "too complex: it may answer with more than {MAX_COST} fields \
                 (lists count their page size); ask for fewer items or fields"
            ),
        ));
    }
    Ok(())
}

fn too_deep() -> AppError {
    AppError::bad_input(
        "query",
        format!(
            "nested too deep: at most {} levels of fields",
            super::MAX_DEPTH
        ),
    )
}

/// A non-negative integer, as a page size.
fn count(v: &ConstValue) -> Option<u64> {
    match v {
        ConstValue::Number(n) => Some(n.as_u64().unwrap_or(0)),
        _ => None,
    }
}

enum Priced {
    InProgress,
    Done(u64, usize),
}

struct Walk<'a> {
    model: &'a CostModel,
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    defaults: HashMap<&'a Name, u64>,
    /// Each fragment priced once: (cost, depth of its selection).
    fragments: HashMap<&'a str, Priced>,
    /// How many fragment spreads lead here.
    nesting: usize,
}

impl<'a> Walk<'a> {
    /// The cost and depth of `set`, selected on type `parent`, `depth` fields below the
    /// operation.
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        parent: Option<&'a str>,
        depth: usize,
    ) -> Result<(u64, usize), AppError> {
        let mut cost = 0u64;
        let mut deepest = 0usize;
        for item in &set.items {
            let (c, d) = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if depth + 1 > super::MAX_DEPTH {
                        return Err(too_deep());
                    }
                    let (shape, ty, weight) = self.model.field(parent, field.name.node.as_str());
                    let (sub, d) = self.selection_set(&field.selection_set.node, ty, depth + 1)?;
                    let items = self.items(shape, field);
                    (items.saturating_mul(sub.saturating_add(weight)), d + 1)
                }
                Selection::InlineFragment(inline) => {
                    let on = inline.node.type_condition.as_ref();
                    let ty = on.map_or(parent, |t| Some(t.node.on.node.as_str()));
                    self.selection_set(&inline.node.selection_set.node, ty, depth)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str(), depth)?
                }
            };
            cost = cost.saturating_add(c);
            deepest = deepest.max(d);
            // Abort as soon as the budget is spent: nothing is walked twice, and nothing
            // after the point the document is known to be too expensive.
            over_budget(cost)?;
            if depth + deepest > super::MAX_DEPTH {
                return Err(too_deep());
            }
        }
        Ok((cost, deepest))
    }

    fn fragment(&mut self, name: &'a str, depth: usize) -> Result<(u64, usize), AppError> {
        match self.fragments.get(name) {
            Some(Priced::Done(c, d)) => return Ok((*c, *d)),
            Some(Priced::InProgress) => {
                return Err(AppError::bad_input(
                    "query",
                    format!("fragment {name} spreads itself"),
                ));
            }
            None => {}
        }
        // An unknown fragment is async-graphql's to report.
        let Some(def) = self.doc.fragments.get(name) else {
            return Ok((0, 0));
        };
        if self.nesting >= MAX_FRAGMENT_NESTING {
            return Err(AppError::bad_input(
                "query",
                format!("fragments nested too deep: at most {MAX_FRAGMENT_NESTING} levels"),
            ));
        }
        self.fragments.insert(name, Priced::InProgress);
        self.nesting += 1;
        // The price is that of the fragment's own selection; the depth is relative, so the
        // memo holds wherever it is spread (the caller checks the sum).
        let on = def.node.type_condition.node.on.node.as_str();
        let priced = self.selection_set(&def.node.selection_set.node, Some(on), 0);
        self.nesting -= 1;
        let (c, d) = priced?;
        self.fragments.insert(name, Priced::Done(c, d));
        if depth + d > super::MAX_DEPTH {
            return Err(too_deep());
        }
        Ok((c, d))
    }

    /// How many items a field may answer with.
    fn items(&self, shape: Option<Shape>, field: &async_graphql::parser::types::Field) -> u64 {
        match shape {
            None => 1,
            Some(Shape::List) => ASSUMED_LIST_SIZE,
            Some(Shape::Paged { default, max }) => {
                let first = field
                    .arguments
                    .iter()
                    .find(|(n, _)| n.node == "first")
                    .and_then(|(_, v)| match &v.node {
                        Value::Variable(var) => match self.variables.get(var) {
                            Some(v) => count(v),
                            None => self.defaults.get(var).copied(),
                        },
                        other => other.clone().into_const().as_ref().and_then(count),
                    });
                first.unwrap_or(default).min(max)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "
        type Query { products: [Product!]! calls(first: Int): CallConnection!
                     call(id: ID!): Call notifications(first: Int): [Note!]! n: Int }
        type CallConnection { edges: [CallEdge!]! totalCount: Int! }
        type CallEdge { node: Call! }
        type Call { id: ID! title: String! lines: [Line!]! call: Call criteria: Criteria! }
        type CallForTenders { id: ID! description: String! }
        type Criteria { id: ID! }
        type Line { id: ID! criteria: [Criteria!]! }
        type Product { id: ID! }
        type Note { id: ID! }
    ";

    fn model() -> CostModel {
        CostModel::from_sdl(SDL).unwrap()
    }

    fn cost(query: &str, variables: serde_json::Value) -> Result<u64, AppError> {
        let vars = Variables::from_json(variables);
        check(&model(), query, &vars).map(|a| a.unwrap().cost)
    }

    fn refusal(query: &str) -> String {
        match cost(query, serde_json::json!({})) {
            Err(e) => e.to_string(),
            Ok(c) => panic!("admitted at cost {c}: {query}"),
        }
    }

    #[test]
    fn a_field_costs_one_and_a_list_its_assumed_size() {
        assert_eq!(cost("{ n }", serde_json::json!({})).unwrap(), 1);
        // products: 10 × (1 + id)
        assert_eq!(
            cost("{ products { id } }", serde_json::json!({})).unwrap(),
            20
        );
        // call (1 + id + lines 10 × 2)
        assert_eq!(
            cost("{ call(id: 1) { id lines { id } } }", serde_json::json!({})).unwrap(),
            22
        );
    }

    #[test]
    fn a_page_counts_first_or_the_service_default_capped_at_the_maximum() {
        let q = "{ calls { edges { node { id } } } }";
        // the connection's edges count once: 20 × (1 + edges (1 + node (1 + id)))
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 20 * 4);
        let q = "{ calls(first: 100) { totalCount } }";
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 200);
        let q = "{ notifications(first: 100000) { id } }";
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 500 * 2);
        let q = "query($n: Int) { notifications(first: $n) { id } }";
        assert_eq!(cost(q, serde_json::json!({ "n": 3 })).unwrap(), 6);
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 50 * 2);
        let q = "query($n: Int = 7) { notifications(first: $n) { id } }";
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 14);
    }

    #[test]
    fn a_field_is_priced_by_its_own_type() {
        // `criteria` is a single object on a call and a list on a line.
        let q = "{ call(id: 1) { criteria { id } lines { criteria { id } } } }";
        // call (1 + criteria 2 + lines 10 × (1 + 10 × 2))
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 1 + 2 + 210);
        let q =
            "fragment C on Call { criteria { id } } { call(id: 1) { ...C ... on Call { id } } }";
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 4);
        // On a type the schema lacks, by name: a list anywhere counts as a list.
        let q = "fragment C on Nothing { criteria { id } } { ...C }";
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 20);
    }

    #[test]
    fn a_long_text_costs_more_than_a_field() {
        let m = model();
        let q = "fragment D on CallForTenders { id description } { ...D }";
        let a = check(&m, q, &Variables::default()).unwrap().unwrap();
        assert_eq!(a.cost, 1 + LONG_TEXT_COST);
    }

    #[test]
    fn fragments_cost_what_they_expand_to() {
        let q = "fragment A on Query { products { id } } { ...A ...A ... on Query { n } }";
        assert_eq!(cost(q, serde_json::json!({})).unwrap(), 41);
    }

    #[test]
    fn a_fragment_bomb_is_refused_at_once() {
        let mut q = String::from("fragment F0 on Query { products { id } } ");
        for i in 1..=26 {
            q.push_str(&format!(
                "fragment F{i} on Query {{ ...F{p} ...F{p} }} ",
                p = i - 1
            ));
        }
        q.push_str("query { ...F26 }");
        let started = std::time::Instant::now();
        let message = refusal(&q);
        assert!(message.contains("too complex"), "{message}");
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
    }

    #[test]
    fn a_long_chain_of_fragments_is_refused_without_deep_recursion() {
        let mut q = String::from("fragment F0 on Query { n } ");
        for i in 1..=5000 {
            q.push_str(&format!("fragment F{i} on Query {{ ...F{p} }} ", p = i - 1));
        }
        q.push_str("{ ...F5000 }");
        assert!(refusal(&q).contains("fragments nested too deep"));
    }

    #[test]
    fn a_fragment_no_operation_spreads_still_counts() {
        let big: String = (0..800).map(|i| format!("a{i}: n ")).collect();
        let q = format!("fragment Unused on Query {{ {big} }} {{ n }}");
        assert_eq!(cost(&q, serde_json::json!({})).unwrap(), 801);
        let q =
            format!("fragment U1 on Query {{ {big} }} fragment U2 on Query {{ ...U1 }} {{ n }}");
        assert_eq!(cost(&q, serde_json::json!({})).unwrap(), 1601);
        let huge: String = (0..8000).map(|i| format!("a{i}: n ")).collect();
        let q = format!("fragment Unused on Query {{ {huge} }} {{ n }}");
        assert!(refusal(&q).contains("too complex"));
    }

    #[test]
    fn a_fragment_cycle_is_refused() {
        let q = "fragment A on Query { ...B } fragment B on Query { ...A } { ...A }";
        assert!(refusal(q).contains("spreads itself"));
    }

    #[test]
    fn aliases_of_a_big_page_add_up() {
        let one = "calls(first: 100) { edges { node { id title lines { id } } } }";
        let q: String = (0..20).map(|i| format!("a{i}: {one} ")).collect();
        let q = format!("{{ {q} }}");
        assert!(q.len() < 1500);
        assert!(refusal(&q).contains("too complex"));
        let q: String = (0..20)
            .map(|i| format!("a{i}: calls(first: 100) {{ edges {{ node {{ id }} }} }} "))
            .collect();
        assert!(refusal(&format!("{{ {q} }}")).contains("too complex"));
    }

    #[test]
    fn depth_counts_fields_through_fragments() {
        let mut q = String::from("id");
        for _ in 0..15 {
            q = format!("call {{ {q} }}");
        }
        // 16 levels: call × 15 + id, under `call(id:)`: 17
        assert_eq!(
            cost(&format!("{{ {q} }}"), serde_json::json!({})).unwrap(),
            16
        );
        let deep = format!("{{ call(id: 1) {{ {q} }} }}");
        assert!(refusal(&deep).contains("nested too deep"));
        let via = format!("fragment D on Call {{ {q} }} {{ call(id: 1) {{ ...D }} }}");
        assert!(refusal(&via).contains("nested too deep"));
    }

    #[test]
    fn mutations_are_told_apart() {
        let vars = Variables::default();
        let m = CostModel::from_sdl(SDL).unwrap();
        assert!(check(&m, "{ n }", &vars).unwrap().unwrap().only_queries);
        assert!(
            !check(&m, "mutation { n }", &vars)
                .unwrap()
                .unwrap()
                .only_queries
        );
        assert_eq!(
            check(&m, "{ n ", &vars).unwrap(),
            None,
            "left to async-graphql"
        );
    }

    #[test]
    fn every_paged_field_of_the_schema_has_its_page_sizes() {
        use async_graphql::parser::types::TypeSystemDefinition;
        let doc = async_graphql::parser::parse_schema(crate::graphql::sdl()).unwrap();
        let mut paged = Vec::new();
        for def in doc.definitions {
            let TypeSystemDefinition::Type(ty) = def else {
                continue;
            };
            let TypeKind::Object(o) = &ty.node.kind else {
                continue;
            };
            for f in &o.fields {
                if f.node.arguments.iter().any(|a| a.node.name.node == "first") {
                    paged.push(f.node.name.node.to_string());
                }
            }
        }
        assert!(paged.contains(&"users".to_owned()), "{paged:?}");
        for name in paged {
            assert!(
                PAGED.iter().any(|(n, _)| *n == name),
                "{name} takes `first` but has no page sizes in PAGED"
            );
        }
        // An organisation's users: `first` capped at the service's maximum.
        let real = CostModel::from_sdl(&crate::graphql::sdl()).unwrap();
        let q = "{ users(organizationId: \"x\", first: 100000) { edges { node { id } } } }";
        let a = check(&real, q, &Variables::default()).unwrap().unwrap();
        assert_eq!(a.cost, crate::service::identity::USERS_PAGE.max * 4);
    }
}
