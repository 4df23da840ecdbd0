//! `api demo`: a small Kouvola-model municipality in a fresh database, seeded through the API
//! itself (the same GraphQL a client sends, through the router, so every rule, audit event,
//! OCDS release and e-mail is as in real use), on a clock that starts five months back and is
//! moved forward as the story goes: calls in every state, bids, an award with its standstill
//! running, a contract with monthly reports. The credentials are made at random and returned
//! for printing.

use crate::clock::{Clock, ManualClock};
use crate::config::{AdminBootstrap, Config};
use crate::db::DbOptions;
use anyhow::{Context, anyhow, bail};
use axum::body::Body;
use axum::http::{Request, header};
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

/// One user of the demo, to print.
#[derive(Debug, Clone)]
pub struct Credential {
    pub role: &'static str,
    pub organization: String,
    pub email: String,
    pub password: String,
}

fn password() -> String {
    format!("demo-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

struct Seeder {
    app: axum::Router,
    clock: ManualClock,
    credentials: Vec<Credential>,
}

impl Seeder {
    async fn gql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> anyhow::Result<Value> {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut req = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body))?)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let bytes = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await?;
        let v: Value = serde_json::from_slice(&bytes)?;
        if let Some(errors) = v.get("errors") {
            bail!("{query}: {errors}");
        }
        Ok(v["data"].clone())
    }

    async fn login(&self, email: &str) -> anyhow::Result<String> {
        let password = self
            .credentials
            .iter()
            .find(|c| c.email == email)
            .map(|c| c.password.clone())
            .context("no such demo user")?;
        let d = self
            .gql(
                None,
                "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }",
                json!({ "e": email, "p": password }),
            )
            .await?;
        str_of(&d["login"]["token"])
    }

    /// An organisation with one user; returns the organisation's id.
    async fn member(
        &mut self,
        admin: &str,
        kind: &str,
        name: &str,
        business_id: Option<&str>,
        user: (&str, &str, &'static str),
    ) -> anyhow::Result<String> {
        let org = self
            .gql(
                Some(admin),
                "mutation($i:CreateOrganizationInput!){ createOrganization(input:$i){ id } }",
                json!({ "i": { "name": name, "kind": kind, "businessId": business_id } }),
            )
            .await?;
        let org = str_of(&org["createOrganization"]["id"])?;
        let (email, person, language) = user;
        let role = match kind {
            "ORDERER" => "ORDERER",
            _ => "PRODUCER",
        };
        let password = password();
        self.gql(
            Some(admin),
            "mutation($i:CreateUserInput!){ createUser(input:$i){ id } }",
            json!({ "i": { "email": email, "password": password, "name": person, "role": role, "organizationId": org, "language": language } }),
        )
        .await?;
        self.credentials.push(Credential {
            role: if kind == "IN_HOUSE_PRODUCER" {
                "IN_HOUSE_PRODUCER"
            } else {
                role
            },
            organization: name.to_owned(),
            email: email.to_owned(),
            password,
        });
        Ok(org)
    }
}

fn str_of(v: &Value) -> anyhow::Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("expected a string, got {v}"))
}

/// A call's input in Finnish with its Swedish translation: home care by the hour and visits,
/// price 60 %, two quality criteria.
fn call_input(
    title: (&str, &str),
    description: (&str, &str),
    products: (&str, &str),
    now: DateTime<Utc>,
    bids_in_days: i64,
    period: (NaiveDate, NaiveDate),
    estimate: &str,
) -> Value {
    json!({
        "title": title.0,
        "titleSv": title.1,
        "description": description.0,
        "descriptionSv": description.1,
        "pricingModel": "UNIT_PRICE",
        "lines": [ { "productId": products.0, "quantity": "12000" }, { "productId": products.1, "quantity": "2500" } ],
        "contractStart": period.0.to_string(),
        "contractEnd": period.1.to_string(),
        "questionsDeadline": (now + TimeDelta::days(bids_in_days - 7)).to_rfc3339(),
        "submissionDeadline": (now + TimeDelta::days(bids_in_days)).to_rfc3339(),
        "priceWeight": 60,
        "qualityCriteria": [
            { "name": "Henkilöstön osaaminen / Personalens kompetens", "weight": 30, "maxPoints": 10 },
            { "name": "Laatusuunnitelma / Kvalitetsplan", "weight": 10, "maxPoints": 5 }
        ],
        "minTurnoverRatio": "1.5",
        "minEquityRatio": "0.2",
        "minCreditRating": "A",
        "capabilityRequirements": ["Jokaisessa vuorossa lähihoitaja / En närvårdare i varje skift"],
        "maxSubcontractingShare": "0.3",
        "estimatedValue": estimate
    })
}

/// A published call's ids: (call, lines, criteria, requirement).
struct Call {
    id: String,
    lines: Vec<String>,
    criteria: Vec<String>,
    requirement: String,
}

const CREATE: &str = "mutation($i:CreateCallInput!){ createCall(input:$i){ id lines{ id } criteria{ qualityCriteria{ id } capabilityRequirements{ id } } } }";

async fn create_call(s: &Seeder, token: &str, input: Value, publish: bool) -> anyhow::Result<Call> {
    let d = s.gql(Some(token), CREATE, json!({ "i": input })).await?;
    let c = &d["createCall"];
    let ids = |v: &Value| -> anyhow::Result<Vec<String>> {
        v.as_array()
            .context("ids")?
            .iter()
            .map(|x| str_of(&x["id"]))
            .collect()
    };
    let call = Call {
        id: str_of(&c["id"])?,
        lines: ids(&c["lines"])?,
        criteria: ids(&c["criteria"]["qualityCriteria"])?,
        requirement: ids(&c["criteria"]["capabilityRequirements"])?
            .into_iter()
            .next()
            .context("requirement")?,
    };
    if publish {
        s.gql(
            Some(token),
            "mutation($id:ID!){ publishCall(id:$id){ id } }",
            json!({ "id": call.id }),
        )
        .await?;
    }
    Ok(call)
}

async fn bid(
    s: &Seeder,
    token: &str,
    c: &Call,
    prices: [&str; 2],
    turnover: &str,
) -> anyhow::Result<String> {
    let d = s
        .gql(
            Some(token),
            "mutation($i:SubmitBidInput!){ submitBid(input:$i){ id } }",
            json!({ "i": {
                "callId": c.id,
                "lines": [ { "callLineId": c.lines[0], "unitPrice": prices[0] }, { "callLineId": c.lines[1], "unitPrice": prices[1] } ],
                "annualTurnover": turnover, "equityRatio": "0.35", "creditRating": "AA",
                "capabilityResponses": [ { "requirementId": c.requirement, "evidence": "Lähihoitajat jokaisessa vuorossa, 42 vakituista / 42 fast anställda närvårdare" } ],
                "qualityResponses": [
                    { "criterionId": c.criteria[0], "text": "Täydennyskoulutus 5 päivää vuodessa / Fortbildning 5 dagar per år" },
                    { "criterionId": c.criteria[1], "text": "Omavalvontasuunnitelma ja asiakaspalaute kuukausittain / Egenkontrollplan och kundrespons varje månad" }
                ],
                "subcontractingShare": "0.1"
            } }),
        )
        .await?;
    str_of(&d["submitBid"]["id"])
}

/// The orderer judges every bid's capability met and scores it as the assigned evaluator.
async fn evaluate(
    s: &Seeder,
    token: &str,
    user: &str,
    c: &Call,
    bids: &[(&str, [i32; 2])],
) -> anyhow::Result<()> {
    s.gql(
        Some(token),
        "mutation($c:ID!,$u:ID!){ assignEvaluator(callId:$c,userId:$u){ evaluators{ id } } }",
        json!({ "c": c.id, "u": user }),
    )
    .await?;
    for (b, points) in bids {
        s.gql(Some(token), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }",
            json!({ "b": b, "j": [{ "requirementId": c.requirement, "met": true }] })).await?;
        s.gql(Some(token), "mutation($b:ID!,$s:[ScoreInput!]!){ scoreBid(bidId:$b,scores:$s){ totalScore } }",
            json!({ "b": b, "s": [{ "criterionId": c.criteria[0], "points": points[0] }, { "criterionId": c.criteria[1], "points": points[1] }] })).await?;
    }
    Ok(())
}

/// Seeds an empty database with the demo municipality; returns its users' credentials. The
/// database must hold no product and no call.
pub async fn seed(mut config: Config, options: DbOptions) -> anyhow::Result<Vec<Credential>> {
    let now = Utc::now();
    let year = now.year() + 1;
    let next_year = (
        NaiveDate::from_ymd_opt(year, 1, 1).context("date")?,
        NaiveDate::from_ymd_opt(year, 12, 31).context("date")?,
    );
    // The story starts five months back, at 09:00 UTC.
    let start = (now - TimeDelta::days(150))
        .date_naive()
        .and_hms_opt(9, 0, 0)
        .context("time")?
        .and_utc();
    let admin_email = "admin@kouvola.example.fi".to_owned();
    let admin_password = password();
    config.admin = Some(AdminBootstrap {
        email: admin_email.clone(),
        password: admin_password.clone(),
    });
    let clock = ManualClock::new(start);
    let state = crate::prepare(config, Arc::new(clock.clone()), options).await?;
    {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let products = entity::product::Entity::find()
            .count(state.db.conn())
            .await?;
        let calls = entity::call::Entity::find().count(state.db.conn()).await?;
        if products > 0 || calls > 0 {
            bail!(
                "api demo seeds an empty database; this one already has {products} products and {calls} calls (set DATABASE_URL to a new file)"
            );
        }
    }
    let mut s = Seeder {
        app: crate::build_app(state),
        clock,
        credentials: vec![Credential {
            role: "ADMIN",
            organization: "Kouvolan kaupunki / Kouvola stad".into(),
            email: admin_email.clone(),
            password: admin_password,
        }],
    };
    let admin = s.login(&admin_email).await?;

    // Boards, producers and their users.
    let welfare = s
        .member(
            &admin,
            "ORDERER",
            "Hyvinvointilautakunta",
            None,
            ("tilaaja@kouvola.example.fi", "Tiina Tilaaja", "FI"),
        )
        .await?;
    // The board's address for its notices (the rest of the organisations use the authority's
    // details from the configuration).
    s.gql(
        Some(&admin),
        "mutation($o:ID!,$i:OrganizationDetailsInput!){ updateOrganizationDetails(organizationId:$o,input:$i){ id } }",
        json!({ "o": welfare, "i": { "streetAddress": "Torikatu 10", "postalCode": "45100", "city": "Kouvola", "nutsCode": "FI1C7", "phone": "+358 20 615 11" } }),
    )
    .await?;
    let education = s
        .member(
            &admin,
            "ORDERER",
            "Sivistyslautakunta",
            None,
            ("sivistys@kouvola.example.fi", "Sami Sivistys", "FI"),
        )
        .await?;
    s.member(
        &admin,
        "IN_HOUSE_PRODUCER",
        "Kouvolan kotihoidon liikelaitos",
        None,
        ("liikelaitos@kouvola.example.fi", "Liisa Liikelaitos", "FI"),
    )
    .await?;
    s.member(
        &admin,
        "EXTERNAL_PROVIDER",
        "Hoivapalvelu Kymi Oy",
        Some("2345678-0"),
        ("myynti@hoivakymi.example.fi", "Heikki Hoiva", "FI"),
    )
    .await?;
    s.member(
        &admin,
        "EXTERNAL_PROVIDER",
        "Hemvård Österberg Ab",
        Some("3456788-1"),
        ("anbud@osterberg.example.fi", "Anna Österberg", "SV"),
    )
    .await?;
    s.member(
        &admin,
        "EXTERNAL_PROVIDER",
        "Ateria- ja siivouspalvelu Karhula Oy",
        Some("1234567-1"),
        ("tarjoukset@karhula.example.fi", "Kari Karhula", "FI"),
    )
    .await?;

    // The catalogue, with CPV codes and service kinds.
    let product = |code: &str, name: &str, unit: &str, category: &str, cpv: &str, kind: &str| json!({ "i": { "code": code, "name": name, "unit": unit, "category": category, "cpvCode": cpv, "serviceKind": kind } });
    let mut ids = Vec::new();
    for p in [
        product(
            "KH-TUNTI",
            "Kotihoito, tunti / Hemvård, timme",
            "tunti",
            "kotihoito",
            "85312000-9",
            "SOCIAL_AND_HEALTH",
        ),
        product(
            "KH-KAYNTI",
            "Kotihoidon käynti / Hemvårdsbesök",
            "käynti",
            "kotihoito",
            "85320000-8",
            "SOCIAL_AND_HEALTH",
        ),
        product(
            "SII-M2",
            "Ylläpitosiivous / Underhållsstädning",
            "m²/kk",
            "siivous",
            "90919200-4",
            "GENERAL",
        ),
        product(
            "SII-ERIKOIS",
            "Erikoissiivous / Specialstädning",
            "tunti",
            "siivous",
            "90911200-8",
            "GENERAL",
        ),
        product(
            "ATERIA-KOULU",
            "Kouluateria / Skolmåltid",
            "ateria",
            "ateriapalvelut",
            "55524000-9",
            "OTHER_SPECIFIC",
        ),
        product(
            "ATERIA-VÄLI",
            "Välipala / Mellanmål",
            "annos",
            "ateriapalvelut",
            "55524000-9",
            "OTHER_SPECIFIC",
        ),
    ] {
        let d = s
            .gql(
                Some(&admin),
                "mutation($i:ProductInput!){ createProduct(input:$i){ id } }",
                p,
            )
            .await?;
        ids.push(str_of(&d["createProduct"]["id"])?);
    }
    let (care, visit, clean, special, meal, snack) = (
        ids[0].as_str(),
        ids[1].as_str(),
        ids[2].as_str(),
        ids[3].as_str(),
        ids[4].as_str(),
        ids[5].as_str(),
    );
    for (org, amount) in [(&welfare, "4500000"), (&education, "2200000")] {
        for fy in (year - 2)..=(year + 1) {
            s.gql(Some(&admin), "mutation($o:ID!,$y:Int!,$a:Decimal!){ setAppropriation(ordererId:$o,fiscalYear:$y,amount:$a){ amount } }",
                json!({ "o": org, "y": fy, "a": amount })).await?;
        }
    }
    let welfare_user = "tilaaja@kouvola.example.fi";
    let orderer = s.login(welfare_user).await?;
    let me = s.gql(Some(&orderer), "{ me { id } }", json!({})).await?;
    let orderer_user = str_of(&me["me"]["id"])?;
    let providers = [
        "myynti@hoivakymi.example.fi",
        "anbud@osterberg.example.fi",
        "tarjoukset@karhula.example.fi",
    ];
    for p in providers {
        let t = s.login(p).await?;
        for cat in ["kotihoito", "siivous"] {
            s.gql(
                Some(&t),
                "mutation($c:String!){ subscribeToCategory(category:$c) }",
                json!({ "c": cat }),
            )
            .await?;
        }
    }

    // 1. A call awarded and contracted months ago: its contract runs, with monthly reports.
    let t0 = s.clock.now();
    let contract_start = (t0 + TimeDelta::days(45))
        .date_naive()
        .with_day(1)
        .context("date")?
        .checked_add_months(Months::new(1))
        .context("date")?;
    let contract_end = contract_start
        .checked_add_months(Months::new(24))
        .and_then(|d| d.pred_opt())
        .context("date")?;
    let contracted = create_call(
        &s,
        &orderer,
        call_input(
            ("Kotihoito itäinen alue", "Hemvård östra området"),
            (
                "Kotihoidon käynnit ja tunnit itäisellä alueella.",
                "Hemvårdens besök och timmar i östra området.",
            ),
            (care, visit),
            t0,
            21,
            (contract_start, contract_end),
            "1650000",
        ),
        true,
    )
    .await?;
    let a = s.login(providers[0]).await?;
    let b = s.login(providers[1]).await?;
    let bid_a = bid(&s, &a, &contracted, ["41.50", "28.00"], "5200000").await?;
    let bid_b = bid(&s, &b, &contracted, ["43.90", "26.50"], "3900000").await?;
    s.clock.advance(TimeDelta::days(22));
    let orderer = s.login(welfare_user).await?;
    evaluate(
        &s,
        &orderer,
        &orderer_user,
        &contracted,
        &[(&bid_a, [8, 4]), (&bid_b, [9, 5])],
    )
    .await?;
    s.gql(Some(&orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Paras hinta-laatusuhde / Bästa förhållande mellan pris och kvalitet\"){ decidedAt } }",
        json!({ "c": contracted.id, "b": bid_a })).await?;
    s.clock.advance(TimeDelta::days(16));
    let orderer = s.login(welfare_user).await?;
    let k = s
        .gql(
            Some(&orderer),
            "mutation($c:ID!){ createContractFromAward(callId:$c){ id } }",
            json!({ "c": contracted.id }),
        )
        .await?;
    let k = str_of(&k["createContractFromAward"]["id"])?;
    s.gql(
        Some(&orderer),
        "mutation($id:ID!){ signContract(id:$id){ id } }",
        json!({ "id": k }),
    )
    .await?;
    let a = s.login(providers[0]).await?;
    s.gql(
        Some(&a),
        "mutation($id:ID!){ signContract(id:$id){ id } }",
        json!({ "id": k }),
    )
    .await?;
    s.gql(
        Some(&orderer),
        "mutation($id:ID!){ activateContract(id:$id){ id } }",
        json!({ "id": k }),
    )
    .await?;

    // 2. A cancelled call and one ended without an award.
    let cleaning = create_call(
        &s,
        &orderer,
        call_input(
            ("Siivous, palvelukeskukset", "Städning, servicecentraler"),
            (
                "Palvelukeskusten ylläpitosiivous.",
                "Underhållsstädning av servicecentralerna.",
            ),
            (clean, special),
            s.clock.now(),
            20,
            next_year,
            "240000",
        ),
        true,
    )
    .await?;
    s.gql(Some(&orderer), "mutation($id:ID!){ cancelCall(id:$id,reason:\"Tilat siirtyvät kiinteistöyhtiölle / Lokalerna övergår till fastighetsbolaget\"){ id } }",
        json!({ "id": cleaning.id })).await?;
    let unsuccessful = create_call(
        &s,
        &orderer,
        call_input(
            ("Erikoissiivous", "Specialstädning"),
            (
                "Erikoissiivous tarpeen mukaan.",
                "Specialstädning vid behov.",
            ),
            (special, clean),
            s.clock.now(),
            14,
            next_year,
            "55000",
        ),
        true,
    )
    .await?;
    let c3 = s.login(providers[2]).await?;
    let poor = bid(&s, &c3, &unsuccessful, ["39.00", "2.10"], "50000").await?;
    s.clock.advance(TimeDelta::days(15));
    let orderer = s.login(welfare_user).await?;
    s.gql(Some(&orderer), "mutation($b:ID!,$j:[CapabilityJudgementInput!]!){ judgeCapability(bidId:$b,judgements:$j){ qualified } }",
        json!({ "b": poor, "j": [{ "requirementId": unsuccessful.requirement, "met": false }] })).await?;
    s.gql(Some(&orderer), "mutation($c:ID!){ declareUnsuccessful(callId:$c,reason:\"Ainoa tarjous ei täyttänyt vaatimuksia / Det enda anbudet uppfyllde inte kraven\"){ id } }",
        json!({ "c": unsuccessful.id })).await?;

    // 3. Up to today: the contract's months reported; a call awarded days ago (standstill
    // running), one in evaluation, one open for bids, and a draft.
    let today = now - TimeDelta::hours(1);
    let award_at = today - TimeDelta::days(4);
    let evaluation_deadline = today - TimeDelta::days(2);
    let awarded = {
        s.clock.set(award_at - TimeDelta::days(30));
        let orderer = s.login(welfare_user).await?;
        let c = create_call(
            &s,
            &orderer,
            call_input(
                ("Kotihoito läntinen alue", "Hemvård västra området"),
                (
                    "Kotihoito läntisellä alueella.",
                    "Hemvård i västra området.",
                ),
                (care, visit),
                s.clock.now(),
                21,
                next_year,
                "820000",
            ),
            true,
        )
        .await?;
        let a = s.login(providers[0]).await?;
        let b = s.login(providers[1]).await?;
        let bid_a = bid(&s, &a, &c, ["42.10", "27.00"], "5200000").await?;
        let bid_b = bid(&s, &b, &c, ["40.80", "29.50"], "3900000").await?;
        s.clock.set(award_at);
        let orderer = s.login(welfare_user).await?;
        evaluate(
            &s,
            &orderer,
            &orderer_user,
            &c,
            &[(&bid_a, [8, 4]), (&bid_b, [9, 4])],
        )
        .await?;
        s.gql(Some(&orderer), "mutation($c:ID!,$b:ID!){ awardCall(callId:$c,bidId:$b,justification:\"Paras hinta-laatusuhde / Bästa förhållande mellan pris och kvalitet\"){ decidedAt } }",
            json!({ "c": c.id, "b": bid_b })).await?;
        c
    };
    let _ = awarded;
    {
        s.clock.set(evaluation_deadline - TimeDelta::days(20));
        let orderer = s.login(welfare_user).await?;
        let c = create_call(
            &s,
            &orderer,
            call_input(
                ("Kotihoito eteläinen alue", "Hemvård södra området"),
                (
                    "Kotihoito eteläisellä alueella.",
                    "Hemvård i södra området.",
                ),
                (care, visit),
                s.clock.now(),
                20,
                next_year,
                "560000",
            ),
            true,
        )
        .await?;
        for (p, prices) in [
            (providers[0], ["44.00", "27.90"]),
            (providers[1], ["42.60", "28.40"]),
        ] {
            let t = s.login(p).await?;
            bid(&s, &t, &c, prices, "4100000").await?;
        }
    }
    // The contract's months, each reported in the next.
    let mut month = contract_start;
    while month < today.date_naive().with_day(1).context("date")? {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .context("date")?;
        s.clock
            .set(next.and_hms_opt(10, 0, 0).context("time")?.and_utc());
        let a = s.login(providers[0]).await?;
        let hours = 950 + (month.month() * 17 % 120);
        s.gql(Some(&a), "mutation($i:PerformanceReportInput!){ reportPerformance(input:$i){ period } }",
            json!({ "i": { "contractId": k, "period": format!("{}-{:02}", month.year(), month.month()),
                "lines": [ { "productId": care, "quantity": hours.to_string(), "cost": format!("{}.00", hours * 39) },
                           { "productId": visit, "quantity": "205", "cost": "5330.00" } ],
                "feedbackCount": 31, "feedbackAverage": "4.3", "qualityMeasurements": [] } })).await?;
        month = next;
    }
    s.clock.set(today);
    let orderer = s.login(welfare_user).await?;
    let open = create_call(
        &s,
        &orderer,
        call_input(
            ("Kotihoito pohjoinen alue", "Hemvård norra området"),
            (
                "Kotihoito pohjoisella alueella.",
                "Hemvård i norra området.",
            ),
            (care, visit),
            today,
            16,
            next_year,
            "910000",
        ),
        true,
    )
    .await?;
    let a = s.login(providers[0]).await?;
    bid(&s, &a, &open, ["43.20", "27.10"], "5200000").await?;
    let education_token = s.login("sivistys@kouvola.example.fi").await?;
    create_call(
        &s,
        &education_token,
        call_input(
            ("Kouluateriat 2027", "Skolmåltider 2027"),
            (
                "Koulujen ateriat ja välipalat.",
                "Skolornas måltider och mellanmål.",
            ),
            (meal, snack),
            today,
            30,
            next_year,
            "1200000",
        ),
        false,
    )
    .await?;
    let q = s.login(providers[1]).await?;
    s.gql(Some(&q), "mutation($c:ID!,$t:String!){ askQuestion(callId:$c,text:$t){ id } }",
        json!({ "c": open.id, "t": "Ingår nattbesök i timpriset? / Sisältyvätkö yökäynnit tuntihintaan?" })).await?;
    Ok(s.credentials)
}
