//! Documents (issue 18, first part): uploads as GraphQL multipart requests, only with an
//! Authorization header; the type read from the content; 25 MiB per file; stored once per
//! SHA-256; read at their `url` with the Bearer token by exactly those who may (the
//! uploader's organisation while unattached, as the call once attached to one), 404 for
//! everyone else; ranges and ETags; attached to calls by `createCall` and `changeCall`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kilpailutus_tests::{Market, TestApp};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const UPLOAD: &str = "mutation($f:Upload!){ uploadDocument(file:$f){ id name contentType size sha256 url uploadedAt } }";
pub(crate) const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "kilpailutus-test-boundary-7d1";
    let mut body = Vec::new();
    let ops = json!({ "query": UPLOAD, "variables": { "f": null } }).to_string();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{ops}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\":[\"variables.f\"]}}\r\n").as_bytes());
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A multipart body of `parts` (name, file name, content), with a Bearer token.
async fn send_parts(
    app: &TestApp,
    token: &str,
    parts: &[(&str, Option<&str>, Vec<u8>)],
) -> (StatusCode, Value) {
    let boundary = "kilpailutus-test-boundary-7d1";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        let disposition = match file {
            Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\""),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let req = Request::post("/graphql")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let (status, text) = app.send(req).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Sends an upload; returns the HTTP status and the JSON answer.
async fn send_upload(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let (content_type, body) = multipart(name, bytes);
    let mut req = Request::post("/graphql")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let (status, text) = app.send(req.body(Body::from(body)).unwrap()).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) async fn upload(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> Value {
    let (status, v) = send_upload(app, Some(token), name, bytes).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v.get("errors").is_none(), "{v}");
    v["data"]["uploadDocument"].clone()
}

/// GET a document's url path with headers; the status, headers and body.
async fn download(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    extra: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(format!("/documents/{id}"));
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(k, *v);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn an_upload_is_typed_by_its_content_and_read_by_its_organisation_only() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let d = upload(&app, &m.a, "../../Tarjouskirje.pdf", PDF).await;
    assert_eq!(d["name"], "Tarjouskirje.pdf", "no path");
    assert_eq!(d["contentType"], "application/pdf");
    assert_eq!(d["size"], PDF.len());
    assert_eq!(d["sha256"], hex(PDF));
    assert!(
        d["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/documents/{}", d["id"].as_str().unwrap()))
    );
    let id = d["id"].as_str().unwrap();
    let (status, headers, body) = download(&app, Some(&m.a), id, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PDF);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert_eq!(headers[header::ETAG], format!("\"{}\"", hex(PDF)).as_str());
    // Nobody else: another provider, an orderer, the admin, no token.
    for token in [Some(m.b.as_str()), Some(&m.orderer), Some(&m.admin), None] {
        assert_eq!(
            download(&app, token, id, &[]).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        download(&app, Some(&m.a), "no-such-id", &[]).await.0,
        StatusCode::NOT_FOUND
    );
    // The same content again: a second document, one stored content.
    let again = upload(&app, &m.b, "copy.pdf", PDF).await;
    assert_ne!(again["id"], d["id"]);
    assert_eq!(again["sha256"], d["sha256"]);
    assert_eq!(app.count("document_blob").await, 1);
    assert_eq!(app.count("document").await, 2);
}

#[tokio::test]
async fn ranges_and_etags() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    // Three chunks and a bit: a range across a chunk boundary.
    let mut text = Vec::new();
    while text.len() < 3 * 256 * 1024 + 100 {
        text.extend_from_slice(b"Palvelukuvaus: kotihoito, 1000 tuntia.\n");
    }
    let d = upload(&app, &m.a, "kuvaus.txt", &text).await;
    assert_eq!(d["contentType"], "text/plain; charset=utf-8");
    let id = d["id"].as_str().unwrap();
    let (status, _, whole) = download(&app, Some(&m.a), id, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(whole, text);
    let from = 256 * 1024 - 10;
    let to = 256 * 1024 + 9;
    let (status, headers, part) = download(
        &app,
        Some(&m.a),
        id,
        &[(header::RANGE, &format!("bytes={from}-{to}"))],
    )
    .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part, text[from..=to]);
    assert_eq!(
        headers[header::CONTENT_RANGE],
        format!("bytes {from}-{to}/{}", text.len()).as_str()
    );
    let (status, _, tail) = download(&app, Some(&m.a), id, &[(header::RANGE, "bytes=-5")]).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail, text[text.len() - 5..]);
    let past = format!("bytes={}-", text.len());
    assert_eq!(
        download(&app, Some(&m.a), id, &[(header::RANGE, &past)])
            .await
            .0,
        StatusCode::RANGE_NOT_SATISFIABLE
    );
    let etag = format!("\"{}\"", hex(&text));
    let (status, _, body) = download(&app, Some(&m.a), id, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

#[tokio::test]
async fn refused_uploads_write_nothing() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    // Without an Authorization header: a cross-site form cannot send one.
    let (status, v) = send_upload(&app, None, "a.pdf", PDF).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // With a header that is no valid token: not taken either.
    let (content_type, body) = multipart("a.pdf", PDF);
    let req = Request::post("/graphql")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, "Bearer forged")
        .body(Body::from(body))
        .unwrap();
    let (_, text) = app.send(req).await;
    assert!(text.contains("UNAUTHENTICATED"), "{text}");
    // Content that is no allowed type, whatever its name says.
    for (name, bytes) in [
        ("tarjous.pdf", b"MZ\x90\x00\x03 an executable".as_slice()),
        ("kuva.png", b"GIF89a\x01\x00"),
        ("teksti.txt", b"binary\x00\x01\x02"),
    ] {
        let (status, v) = send_upload(&app, Some(&m.a), name, bytes).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{name}: {v}"
        );
        assert_eq!(v["errors"][0]["extensions"]["field"], "file", "{v}");
    }
    // One byte over 25 MiB.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(25 * 1024 * 1024 + 1, b'a');
    let (status, v) = send_upload(&app, Some(&m.a), "iso.pdf", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{v}"
    );
    assert_eq!(app.count("document").await, 0);
    assert_eq!(app.count("document_blob").await, 0);
    // The multipart request itself is bounded: its operations like any JSON request, one
    // path per file, no parts that are neither, at most 20 files.
    let ops = |query: String| {
        json!({ "query": query, "variables": { "f": null } })
            .to_string()
            .into_bytes()
    };
    let map = |m: Value| m.to_string().into_bytes();
    let (status, v) = send_parts(
        &app,
        &m.a,
        &[
            (
                "operations",
                None,
                ops(format!("{UPLOAD} #{}", "x".repeat(3 * 1024 * 1024))),
            ),
            ("map", None, map(json!({ "0": ["variables.f"] }))),
            ("0", Some("a.pdf"), PDF.to_vec()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["errors"][0]["extensions"]["field"], "operations", "{v}");
    let (status, v) = send_parts(
        &app,
        &m.a,
        &[
            ("operations", None, ops(UPLOAD.to_owned())),
            (
                "map",
                None,
                map(json!({ "0": ["variables.f", "variables.g"] })),
            ),
            ("0", Some("a.pdf"), PDF.to_vec()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["errors"][0]["extensions"]["field"], "map", "{v}");
    let (status, v) = send_parts(
        &app,
        &m.a,
        &[
            ("operations", None, ops(UPLOAD.to_owned())),
            ("map", None, map(json!({ "0": ["variables.f"] }))),
            ("0", Some("a.pdf"), PDF.to_vec()),
            ("extra", None, b"?".to_vec()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let mut many = vec![
        ("operations", None, ops(UPLOAD.to_owned())),
        ("map", None, map(json!({ "0": ["variables.f"] }))),
    ];
    let names: Vec<String> = (0..21).map(|i| i.to_string()).collect();
    for n in &names {
        many.push((n.as_str(), Some("a.pdf"), PDF.to_vec()));
    }
    let (status, v) = send_parts(&app, &m.a, &many).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(app.count("document").await, 0);
    // Exactly 25 MiB is taken.
    big.truncate(25 * 1024 * 1024);
    let d = upload(&app, &m.a, "iso.pdf", &big).await;
    assert_eq!(d["size"], 25 * 1024 * 1024);
    // A JSON body past 2 MiB is still refused.
    let q =
        json!({ "query": format!("{{ products {{ code }} }} #{}", "x".repeat(3 * 1024 * 1024)) })
            .to_string();
    let req = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, q.len())
        .body(Body::from(q))
        .unwrap();
    assert_eq!(app.send(req).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_calls_documents_are_seen_as_the_call() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let mine = upload(&app, &m.orderer, "Tarjouspyyntö.pdf", PDF).await;
    let theirs = upload(&app, &m.other_orderer, "Muu.pdf", PDF).await;
    let mut input = app.call_input(&m.product_refs());
    input["documentIds"] = json!([theirs["id"]]);
    assert_eq!(
        app.code(
            Some(&m.orderer),
            kilpailutus_tests::CREATE_CALL,
            json!({ "i": input.clone() })
        )
        .await,
        "NOT_FOUND",
        "another organisation's upload"
    );
    input["documentIds"] = json!([mine["id"]]);
    let call = app.make_call(&m.orderer, input, false).await;
    let q = "query($id:ID!){ call(id:$id){ documents{ id name sha256 } } }";
    let docs = app.ok(Some(&m.orderer), q, json!({ "id": call.id })).await;
    assert_eq!(docs["call"]["documents"][0]["id"], mine["id"]);
    let id = mine["id"].as_str().unwrap();
    // A draft's documents: its orderer only.
    assert_eq!(
        download(&app, Some(&m.orderer), id, &[]).await.0,
        StatusCode::OK
    );
    for token in [Some(m.a.as_str()), Some(&m.other_orderer), None] {
        assert_eq!(
            download(&app, token, id, &[]).await.0,
            StatusCode::NOT_FOUND
        );
    }
    // Attached once: not again.
    let mut again = app.call_input(&m.product_refs());
    again["documentIds"] = json!([mine["id"]]);
    assert_eq!(
        app.code(
            Some(&m.orderer),
            kilpailutus_tests::CREATE_CALL,
            json!({ "i": again })
        )
        .await,
        "NOT_FOUND"
    );
    // Published: everyone, without a token too.
    app.ok(
        Some(&m.orderer),
        "mutation($id:ID!){ publishCall(id:$id){ id } }",
        json!({ "id": call.id }),
    )
    .await;
    for token in [Some(m.a.as_str()), Some(&m.other_orderer), None] {
        let (status, _, body) = download(&app, token, id, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, PDF);
    }
    let public = app.ok(None, q, json!({ "id": call.id })).await;
    assert_eq!(public["call"]["documents"][0]["sha256"], hex(PDF));
    // A document added to the published call is a change of its own.
    let price_form = upload(&app, &m.orderer, "Hintalomake.txt", b"Tuote;Hinta\nKH-H;\n").await;
    let c = app
        .ok(
            Some(&m.orderer),
            "mutation($id:ID!,$c:CallChangeInput!,$r:String!){ changeCall(id:$id,change:$c,reason:$r){ version changes{ fields } documents{ name } } }",
            json!({ "id": call.id, "r": "Price form added", "c": { "documentIds": [price_form["id"]] } }),
        )
        .await;
    assert_eq!(c["changeCall"]["version"], 2);
    assert_eq!(
        c["changeCall"]["changes"][0]["fields"],
        json!(["documentIds"])
    );
    assert_eq!(c["changeCall"]["documents"].as_array().unwrap().len(), 2);
    // OCDS: the tender's documents with their hashes, in the release of each version.
    let prefix = if kilpailutus_tests::on_postgres() {
        "pg"
    } else {
        "sqlite"
    };
    for name in ["releases", "record"] {
        let (status, body) = app
            .get(&format!("/ocds/calls/{}/{name}.json", call.id))
            .await;
        assert_eq!(status, StatusCode::OK);
        let path = crate::ocds::out_dir().join(format!("{prefix}-documents-{name}.json"));
        std::fs::write(path, &body).unwrap();
        if name == "releases" {
            let package: Value = serde_json::from_str(&body).unwrap();
            let releases = package["releases"].as_array().unwrap();
            let published = &releases[0]["tender"]["documents"];
            assert_eq!(published.as_array().unwrap().len(), 1, "as published");
            assert_eq!(published[0]["x_sha256"], hex(PDF));
            assert_eq!(published[0]["format"], "application/pdf");
            let amended = &releases[1]["tender"]["documents"];
            assert_eq!(amended.as_array().unwrap().len(), 2);
            assert_eq!(amended[1]["title"], "Hintalomake.txt");
            assert_eq!(amended[1]["format"], "text/plain");
        }
    }
}

/// A contract's documents: attached by a user of either party, read by both parties and
/// admins, nobody else.
#[tokio::test]
async fn a_contracts_documents_are_its_parties() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let k = m.direct_contract(&app).await;
    let annex = upload(&app, &m.in_house, "Liite 1.pdf", PDF).await;
    let attach = "mutation($k:ID!,$d:ID!){ attachContractDocument(contractId:$k,documentId:$d){ id documents{ id name } } }";
    // Not another party's upload, and not someone else's contract.
    let e = app
        .error(
            Some(&m.orderer),
            attach,
            json!({ "k": k, "d": annex["id"] }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "NOT_FOUND", "{e}");
    assert!(
        e["message"].as_str().unwrap().starts_with("documentId"),
        "{e}"
    );
    let b_doc = upload(&app, &m.b, "b.pdf", PDF).await;
    assert_eq!(
        app.code(Some(&m.b), attach, json!({ "k": k, "d": b_doc["id"] }))
            .await,
        "NOT_FOUND"
    );
    let done = app
        .ok(
            Some(&m.in_house),
            attach,
            json!({ "k": k, "d": annex["id"] }),
        )
        .await;
    assert_eq!(
        done["attachContractDocument"]["documents"][0]["name"],
        "Liite 1.pdf"
    );
    let id = annex["id"].as_str().unwrap();
    for token in [Some(m.orderer.as_str()), Some(&m.in_house), Some(&m.admin)] {
        assert_eq!(download(&app, token, id, &[]).await.0, StatusCode::OK);
    }
    for token in [Some(m.b.as_str()), Some(&m.other_orderer), None] {
        assert_eq!(
            download(&app, token, id, &[]).await.0,
            StatusCode::NOT_FOUND
        );
    }
    let seen = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ contract(id:$id){ documents{ sha256 } } }",
            json!({ "id": k }),
        )
        .await;
    assert_eq!(seen["contract"]["documents"][0]["sha256"], hex(PDF));
}

/// A bid's documents are sealed with it: its bidder reads them, the orderer once the bids are
/// open (never a withdrawn bid's), nobody else ever; their hashes are in the receipt; neither
/// the uploads nor the bid move the main audit chain before the opening.
#[tokio::test]
async fn a_bids_documents_are_sealed_with_it() {
    let app = TestApp::new().await;
    let m = Market::new(&app).await;
    let call = app
        .make_call(&m.orderer, app.call_input(&m.product_refs()), true)
        .await;
    let chain_before = app.audit_chain().await.len();
    let offer = upload(&app, &m.a, "Tarjouskirje.pdf", PDF).await;
    let refs = upload(&app, &m.a, "Referenssit.txt", b"Kotihoito 2019-2026\n").await;
    let submit = |token: &str, input: Value| {
        let q = kilpailutus_tests::SUBMIT_BID;
        let token = token.to_owned();
        let app = &app;
        async move { app.gql(Some(&token), q, json!({ "i": input })).await }
    };
    // Another organisation's upload is not the bidder's to attach.
    let mut input = app.bid_input(&call, &["45.50", "8.1234"]);
    input["documentIds"] = json!([offer["id"]]);
    let e = submit(&m.b, input.clone()).await;
    assert_eq!(e["errors"][0]["extensions"]["code"], "NOT_FOUND", "{e}");
    assert!(
        e["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("documentIds[0]")
    );
    // The same one twice, or more than 20: refused at the input.
    input["documentIds"] = json!([offer["id"], offer["id"]]);
    let e = app
        .error(
            Some(&m.a),
            kilpailutus_tests::SUBMIT_BID,
            json!({ "i": input.clone() }),
        )
        .await;
    assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(e["extensions"]["field"], "documentIds[1]");
    input["documentIds"] = json!((0..21).map(|i| format!("{i}")).collect::<Vec<_>>());
    let e = app
        .error(
            Some(&m.a),
            kilpailutus_tests::SUBMIT_BID,
            json!({ "i": input.clone() }),
        )
        .await;
    assert_eq!(e["extensions"]["field"], "documentIds");
    input["documentIds"] = json!([offer["id"], refs["id"]]);
    let a_bid = submit(&m.a, input.clone()).await["data"]["submitBid"].clone();
    let full = app
        .ok(
            Some(&m.a),
            crate::bids::FULL_BID,
            json!({ "id": a_bid["id"] }),
        )
        .await;
    let docs = full["bid"]["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        crate::bids::recompute_receipt(&full["bid"]),
        a_bid["receipt"].as_str().unwrap(),
        "the receipt covers the documents' hashes"
    );
    let offer_id = offer["id"].as_str().unwrap();
    let refs_id = refs["id"].as_str().unwrap();
    // Attached to a bid: not attachable elsewhere, and sealed from everyone but the bidder.
    assert_eq!(
        app.code(
            Some(&m.a),
            "mutation($k:ID!,$d:ID!){ attachContractDocument(contractId:$k,documentId:$d){ id } }",
            json!({ "k": call.id, "d": offer_id })
        )
        .await,
        "NOT_FOUND"
    );
    let sealed_from = [
        Some(m.orderer.as_str()),
        Some(&m.b),
        Some(&m.admin),
        Some(&m.other_orderer),
        Some(&m.in_house),
        None,
    ];
    for id in [offer_id, refs_id] {
        assert_eq!(download(&app, Some(&m.a), id, &[]).await.0, StatusCode::OK);
        for token in sealed_from {
            assert_eq!(
                download(&app, token, id, &[]).await.0,
                StatusCode::NOT_FOUND
            );
        }
    }
    // B bids without documents and withdraws with one attached.
    let b_doc = upload(&app, &m.b, "Todistus.pdf", PDF).await;
    let mut b_input = app.bid_input(&call, &["46", "9"]);
    b_input["documentIds"] = json!([b_doc["id"]]);
    submit(&m.b, b_input).await;
    app.ok(
        Some(&m.b),
        "mutation($c:ID!){ withdrawBid(callId:$c){ id } }",
        json!({ "c": call.id }),
    )
    .await;
    // A replaces its bid with the offer letter only: the references go back to A, unattached.
    input["documentIds"] = json!([offer["id"]]);
    let replaced = submit(&m.a, input).await["data"]["submitBid"].clone();
    let full = app
        .ok(
            Some(&m.a),
            crate::bids::FULL_BID,
            json!({ "id": replaced["id"] }),
        )
        .await;
    assert_eq!(full["bid"]["version"], 2);
    assert_eq!(full["bid"]["documents"][0]["id"], offer["id"]);
    assert_eq!(full["bid"]["documents"].as_array().unwrap().len(), 1);
    assert_eq!(
        crate::bids::recompute_receipt(&full["bid"]),
        replaced["receipt"].as_str().unwrap()
    );
    // Nothing of this reached the main chain while the bids are sealed.
    assert_eq!(app.audit_chain().await.len(), chain_before);
    // Opened: the orderer reads A's documents through the bid and its url; never the
    // withdrawn bid's, nor the released upload; other bidders and admins never.
    app.clock.set(call.submission_deadline);
    let seen = app
        .ok(
            Some(&m.orderer),
            "query($id:ID!){ call(id:$id){ bids{ bidder{ id } documents{ id sha256 name } } } }",
            json!({ "id": call.id }),
        )
        .await;
    let bids = seen["call"]["bids"].as_array().unwrap();
    assert_eq!(bids.len(), 1);
    assert_eq!(bids[0]["documents"][0]["sha256"], hex(PDF));
    assert_eq!(
        download(&app, Some(&m.orderer), offer_id, &[]).await.0,
        StatusCode::OK
    );
    for token in [
        Some(m.b.as_str()),
        Some(&m.admin),
        Some(&m.other_orderer),
        None,
    ] {
        assert_eq!(
            download(&app, token, offer_id, &[]).await.0,
            StatusCode::NOT_FOUND
        );
    }
    let b_id = b_doc["id"].as_str().unwrap();
    assert_eq!(
        download(&app, Some(&m.b), b_id, &[]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        download(&app, Some(&m.orderer), b_id, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, Some(&m.a), refs_id, &[]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        download(&app, Some(&m.orderer), refs_id, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    // The sealed log, anchored at the opening, records each version's documents.
    let chain = app.audit_chain().await;
    assert_eq!(chain.last().unwrap().action, "call.bids_opened");
    let log = app
        .ok(
            Some(&m.admin),
            "query($c:ID!){ sealedLog(callId:$c){ seq action summary } }",
            json!({ "c": call.id }),
        )
        .await;
    let summaries: Vec<Value> = log["sealedLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].clone())
        .collect();
    // The hashes the receipts cover, sorted; no names, ids or sizes (the log is read by admins
    // and by the orderer, who may not read a withdrawn bid's documents).
    let mut both = vec![hex(PDF), hex(b"Kotihoito 2019-2026\n")];
    both.sort();
    assert_eq!(summaries[0]["documents"], json!(both));
    assert_eq!(summaries[1]["documents"], json!([hex(PDF)]));
    assert!(!log.to_string().contains("Todistus.pdf"), "{log}");
    assert!(
        summaries[2].get("documents").is_none(),
        "a withdrawal attaches nothing"
    );
    assert_eq!(summaries[3]["documents"], json!([hex(PDF)]));
    assert_eq!(summaries[3]["receipt"], replaced["receipt"]);
}
