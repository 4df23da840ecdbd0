//! Identity and access through GraphQL: login, tokens, self-registration, organisations,
//! users and declared ties, with the authorisation matrix and bad inputs.

use kilpailutus_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, TestApp};
use serde_json::json;

const CREATE_ORG: &str = "mutation($i:CreateOrganizationInput!){ createOrganization(input:$i){ id name kind businessId email } }";
const CREATE_USER: &str = "mutation($i:CreateUserInput!){ createUser(input:$i){ id email name role organization{ id kind } } }";
const REGISTER: &str = "mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token user{ id email role organization{ id name kind businessId email } } } }";
const ME: &str = "{ me { id email name role organization{ name kind } declaredTies{ id name } } }";
const DECLARE_TIE: &str =
    "mutation($o:ID!){ declareTie(organizationId:$o){ id declaredTies{ id name } } }";

fn provider(business_id: &str, email: &str) -> serde_json::Value {
    json!({ "i": { "organizationName": "Hoivapalvelu Oy", "businessId": business_id, "email": email, "password": PASSWORD, "name": "Maija Meikäläinen" } })
}

#[tokio::test]
async fn the_bootstrap_admin_logs_in_and_sees_itself() {
    let app = TestApp::new().await;
    let token = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let me = app.ok(Some(&token), ME, json!({})).await;
    assert_eq!(me["me"]["email"], ADMIN_EMAIL);
    assert_eq!(me["me"]["role"], "ADMIN");
    assert_eq!(me["me"]["organization"]["kind"], "ADMINISTRATION");
}

#[tokio::test]
async fn login_email_ignores_case() {
    let app = TestApp::new().await;
    app.login(&ADMIN_EMAIL.to_uppercase(), ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_unauthenticated() {
    let app = TestApp::new().await;
    let q = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";
    assert_eq!(
        app.code(None, q, json!({"e": ADMIN_EMAIL, "p": "not-the-password"}))
            .await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(
            None,
            q,
            json!({"e": "nobody@example.fi", "p": ADMIN_PASSWORD})
        )
        .await,
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn anonymous_me_is_null_but_an_invalid_token_is_refused() {
    let app = TestApp::new().await;
    assert!(app.ok(None, ME, json!({})).await["me"].is_null());
    assert_eq!(
        app.code(Some("not-a-token"), ME, json!({})).await,
        "UNAUTHENTICATED"
    );
    // A public query with a bad token is refused too: a bad token never becomes anonymous.
    assert_eq!(
        app.code(Some("x.y.z"), "{ products { id } }", json!({}))
            .await,
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn a_token_expires_on_the_application_clock() {
    let app = TestApp::new().await;
    let token = app.admin().await;
    app.ok(Some(&token), ME, json!({})).await;
    app.clock.advance(
        chrono::TimeDelta::from_std(kilpailutus_tests::TOKEN_TTL).unwrap()
            + chrono::TimeDelta::seconds(1),
    );
    assert_eq!(
        app.code(Some(&token), ME, json!({})).await,
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn a_provider_registers_itself_and_can_log_in() {
    let app = TestApp::new().await;
    let data = app
        .ok(
            None,
            REGISTER,
            provider("0112038-9", "Maija@Hoiva.example.fi"),
        )
        .await;
    let reg = &data["registerProvider"];
    assert_eq!(reg["user"]["role"], "PRODUCER");
    assert_eq!(reg["user"]["email"], "maija@hoiva.example.fi");
    assert_eq!(reg["user"]["organization"]["kind"], "EXTERNAL_PROVIDER");
    assert_eq!(reg["user"]["organization"]["businessId"], "0112038-9");
    let token = reg["token"].as_str().unwrap();
    let me = app.ok(Some(token), ME, json!({})).await;
    assert_eq!(me["me"]["organization"]["name"], "Hoivapalvelu Oy");
    app.login("maija@hoiva.example.fi", PASSWORD).await;
}

#[tokio::test]
async fn registration_refuses_bad_input_and_writes_nothing() {
    let app = TestApp::new().await;
    let orgs_before = app.count("organization").await;
    let users_before = app.count("app_user").await;
    let chain_before = app.audit_chain().await.len();
    for (vars, field) in [
        (provider("0112038-8", "a@hoiva.example.fi"), "businessId"),
        (provider("112038-9", "a@hoiva.example.fi"), "businessId"),
        (provider("0112038-9", "not-an-email"), "email"),
        (
            json!({ "i": { "organizationName": "  ", "businessId": "0112038-9", "email": "a@hoiva.example.fi", "password": PASSWORD, "name": "M" } }),
            "organizationName",
        ),
        (
            json!({ "i": { "organizationName": "Oy", "businessId": "0112038-9", "email": "a@hoiva.example.fi", "password": PASSWORD, "name": "" } }),
            "name",
        ),
        (
            json!({ "i": { "organizationName": "Oy", "businessId": "0112038-9", "email": "a@hoiva.example.fi", "password": "short", "name": "M" } }),
            "password",
        ),
    ] {
        let err = app.error(None, REGISTER, vars).await;
        assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
        assert!(err["message"].as_str().unwrap().starts_with(field), "{err}");
    }
    assert_eq!(app.count("organization").await, orgs_before);
    assert_eq!(app.count("app_user").await, users_before);
    assert_eq!(app.audit_chain().await.len(), chain_before);
}

#[tokio::test]
async fn a_business_id_or_email_registers_once() {
    let app = TestApp::new().await;
    app.ok(
        None,
        REGISTER,
        provider("0112038-9", "first@hoiva.example.fi"),
    )
    .await;
    assert_eq!(
        app.code(
            None,
            REGISTER,
            provider("0112038-9", "second@hoiva.example.fi")
        )
        .await,
        "CONFLICT"
    );
    assert_eq!(
        app.code(
            None,
            REGISTER,
            provider("1572860-0", "FIRST@hoiva.example.fi")
        )
        .await,
        "CONFLICT"
    );
    assert_eq!(
        app.count("organization").await,
        2,
        "the administration and one provider"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_registrations_with_one_email_leave_one_provider() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let ids = [
        "0112038-9",
        "1572860-0",
        "0201256-6",
        "2617416-4",
        "0000000-0",
    ];
    let mut tasks = Vec::new();
    for id in ids {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            app.gql(None, REGISTER, provider(id, "same@hoiva.example.fi"))
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let resp = t.await.unwrap();
        match resp.get("errors") {
            None => ok += 1,
            Some(errs) => assert_eq!(errs[0]["extensions"]["code"], "CONFLICT", "{resp}"),
        }
    }
    assert_eq!(ok, 1);
    // The losers' organisations were rolled back with their users.
    assert_eq!(app.count("organization").await, 2);
    assert_eq!(app.count("app_user").await, 2);
    let chain = app.audit_chain().await;
    assert_eq!(
        api::domain::audit::verify_chain(&chain).first_broken_seq,
        None
    );
    assert_eq!(chain.len(), 4, "bootstrap (2) + one registration (2)");
}

#[tokio::test]
async fn only_an_admin_creates_organizations() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, _, orderer) = app.member(&admin, "ORDERER", "Hyvinvointilautakunta").await;
    let (_, _, producer) = app.member(&admin, "IN_HOUSE_PRODUCER", "Kotihoito").await;
    let vars = json!({ "i": { "name": "Sivistyslautakunta", "kind": "ORDERER" } });
    assert_eq!(
        app.code(None, CREATE_ORG, vars.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&orderer), CREATE_ORG, vars.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&producer), CREATE_ORG, vars.clone()).await,
        "FORBIDDEN"
    );
    let data = app.ok(Some(&admin), CREATE_ORG, vars).await;
    assert_eq!(data["createOrganization"]["kind"], "ORDERER");
    assert_eq!(data["createOrganization"]["name"], "Sivistyslautakunta");
}

#[tokio::test]
async fn organization_input_is_checked() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let bad = |name: &str, bid: Option<&str>, email: Option<&str>| json!({ "i": { "name": name, "kind": "EXTERNAL_PROVIDER", "businessId": bid, "email": email } });
    for (vars, code) in [
        (bad("", None, None), "BAD_USER_INPUT"),
        (bad("Oy", Some("1234567-8"), None), "BAD_USER_INPUT"),
        (bad("Oy", None, Some("nope")), "BAD_USER_INPUT"),
    ] {
        assert_eq!(app.code(Some(&admin), CREATE_ORG, vars).await, code);
    }
    let kind_typo = json!({ "i": { "name": "Oy", "kind": "SUPPLIER" } });
    assert_eq!(
        app.code(Some(&admin), CREATE_ORG, kind_typo).await,
        "BAD_USER_INPUT"
    );
    let ok = app
        .ok(
            Some(&admin),
            CREATE_ORG,
            bad(
                "Siivous Oy",
                Some("0201256-6"),
                Some("info@siivous.example.fi"),
            ),
        )
        .await;
    assert_eq!(ok["createOrganization"]["businessId"], "0201256-6");
    assert_eq!(
        app.code(
            Some(&admin),
            CREATE_ORG,
            bad("Toinen Oy", Some("0201256-6"), None)
        )
        .await,
        "CONFLICT"
    );
}

#[tokio::test]
async fn only_an_admin_creates_users() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (org, _, orderer) = app.member(&admin, "ORDERER", "Tilaajalautakunta").await;
    let (_, _, producer) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    let vars = json!({ "i": { "email": "new@kunta.example.fi", "password": PASSWORD, "name": "Uusi", "role": "ORDERER", "organizationId": org } });
    assert_eq!(
        app.code(None, CREATE_USER, vars.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(Some(&orderer), CREATE_USER, vars.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(Some(&producer), CREATE_USER, vars.clone()).await,
        "FORBIDDEN"
    );
    let data = app.ok(Some(&admin), CREATE_USER, vars.clone()).await;
    assert_eq!(data["createUser"]["role"], "ORDERER");
    assert_eq!(data["createUser"]["organization"]["id"], org.as_str());
    // The same email again, in any case, is a conflict.
    let again = json!({ "i": { "email": "NEW@kunta.example.fi", "password": PASSWORD, "name": "Uusi", "role": "ORDERER", "organizationId": org } });
    assert_eq!(app.code(Some(&admin), CREATE_USER, again).await, "CONFLICT");
}

#[tokio::test]
async fn a_user_role_must_fit_the_organization_and_the_organization_must_exist() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let org = app
        .create_org(&admin, "Kotihoito", "IN_HOUSE_PRODUCER")
        .await;
    let user = |role: &str, org: &str, email: &str| json!({ "i": { "email": email, "password": PASSWORD, "name": "N", "role": role, "organizationId": org } });
    let err = app
        .error(
            Some(&admin),
            CREATE_USER,
            user("ORDERER", &org, "a@b.example.fi"),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(err["extensions"]["field"], "role");
    let missing = "00000000-0000-7000-8000-000000000000";
    assert_eq!(
        app.code(
            Some(&admin),
            CREATE_USER,
            user("PRODUCER", missing, "a@b.example.fi")
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.code(
            Some(&admin),
            CREATE_USER,
            user("PRODUCER", "42", "a@b.example.fi")
        )
        .await,
        "NOT_FOUND"
    );
    let short = json!({ "i": { "email": "a@b.example.fi", "password": "short", "name": "N", "role": "PRODUCER", "organizationId": org } });
    assert_eq!(
        app.error(Some(&admin), CREATE_USER, short).await["extensions"]["field"],
        "password"
    );
    let blank = json!({ "i": { "email": "a@b.example.fi", "password": PASSWORD, "name": " ", "role": "PRODUCER", "organizationId": org } });
    assert_eq!(
        app.error(Some(&admin), CREATE_USER, blank).await["extensions"]["field"],
        "name"
    );
    let ok = app
        .ok(
            Some(&admin),
            CREATE_USER,
            user("PRODUCER", &org, "a@b.example.fi"),
        )
        .await;
    assert_eq!(
        ok["createUser"]["organization"]["kind"],
        "IN_HOUSE_PRODUCER"
    );
}

#[tokio::test]
async fn a_user_declares_ties_once_each() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, _, orderer) = app.member(&admin, "ORDERER", "Tilaaja").await;
    let board = app
        .create_org(&admin, "Kotihoidon johtokunta", "IN_HOUSE_PRODUCER")
        .await;
    assert_eq!(
        app.code(None, DECLARE_TIE, json!({ "o": board })).await,
        "UNAUTHENTICATED"
    );
    let first = app
        .ok(Some(&orderer), DECLARE_TIE, json!({ "o": board }))
        .await;
    assert_eq!(
        first["declareTie"]["declaredTies"],
        json!([{ "id": board, "name": "Kotihoidon johtokunta" }])
    );
    let chain = app.audit_chain().await.len();
    let again = app
        .ok(Some(&orderer), DECLARE_TIE, json!({ "o": board }))
        .await;
    assert_eq!(
        again["declareTie"]["declaredTies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.audit_chain().await.len(),
        chain,
        "a repeated declaration changes nothing"
    );
    let me = app.ok(Some(&orderer), ME, json!({})).await;
    assert_eq!(me["me"]["declaredTies"][0]["id"], board.as_str());
    let missing = "00000000-0000-7000-8000-000000000000";
    assert_eq!(
        app.code(Some(&orderer), DECLARE_TIE, json!({ "o": missing }))
            .await,
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn organizations_are_listed_to_logged_in_users_by_kind() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, _, producer) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    app.create_org(&admin, "Tilaaja", "ORDERER").await;
    let q = "query($k:OrganizationKind){ organizations(kind:$k){ name kind } }";
    assert_eq!(app.code(None, q, json!({})).await, "UNAUTHENTICATED");
    let all = app.ok(Some(&producer), q, json!({})).await;
    assert_eq!(all["organizations"].as_array().unwrap().len(), 3);
    let orderers = app.ok(Some(&producer), q, json!({ "k": "ORDERER" })).await;
    assert_eq!(
        orderers["organizations"],
        json!([{ "name": "Tilaaja", "kind": "ORDERER" }])
    );
}

#[tokio::test]
async fn a_user_lists_the_colleagues_of_its_own_organisation_only() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (org, first, token) = app.member(&admin, "ORDERER", "Hyvinvointilautakunta").await;
    let (second, _) = app
        .create_user(&admin, &org, "ORDERER", "arvioija@kunta.example.fi")
        .await;
    let (_, outsider, outsider_token) = app.member(&admin, "ORDERER", "Sivistyslautakunta").await;
    let q = "{ myColleagues { id role organization { id } } }";
    let d = app.ok(Some(&token), q, json!({})).await;
    let ids: Vec<&str> = d["myColleagues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()));
    assert!(!ids.contains(&outsider.as_str()));
    let other = app.ok(Some(&outsider_token), q, json!({})).await;
    assert_eq!(other["myColleagues"].as_array().unwrap().len(), 1);
    assert_eq!(app.code(None, q, json!({})).await, "UNAUTHENTICATED");
}

const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";
const LOGOUT: &str = "mutation{ logout }";
const CHANGE_PASSWORD: &str = "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c,newPassword:$n){ token user{ id email } } }";
const SET_DISABLED: &str =
    "mutation($u:ID!,$d:Boolean!){ setUserDisabled(userId:$u,disabled:$d){ id disabled } }";
const ME_ID: &str = "{ me { id } }";

/// An orderer user: (admin token, user id, email, user token).
async fn orderer(app: &TestApp) -> (String, String, String, String) {
    let admin = app.admin().await;
    let org = app.create_org(&admin, "Lautakunta", "ORDERER").await;
    let email = "tilaaja@kunta.example.fi".to_owned();
    let (id, token) = app.create_user(&admin, &org, "ORDERER", &email).await;
    (admin, id, email, token)
}

#[tokio::test]
async fn after_logout_the_old_token_is_refused() {
    let app = TestApp::new().await;
    let (_, _, email, token) = orderer(&app).await;
    let other_session = app.login(&email, PASSWORD).await;
    app.ok(Some(&token), ME_ID, json!({})).await;
    assert_eq!(
        app.ok(Some(&token), LOGOUT, json!({})).await["logout"],
        true
    );
    assert_eq!(
        app.code(Some(&token), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
    // Logout ends every session of the user.
    assert_eq!(
        app.code(Some(&other_session), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
    // Logging in again gives a working token; the audit trail has the event.
    let fresh = app.login(&email, PASSWORD).await;
    app.ok(Some(&fresh), ME_ID, json!({})).await;
    assert!(
        app.audit_chain()
            .await
            .iter()
            .any(|e| e.action == "user.logout")
    );
}

#[tokio::test]
async fn a_password_change_revokes_old_tokens_and_the_old_password() {
    let app = TestApp::new().await;
    let (_, _, email, token) = orderer(&app).await;
    let new_password = "a-new-password-2";
    let data = app
        .ok(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "c": PASSWORD, "n": new_password }),
        )
        .await;
    let fresh = data["changePassword"]["token"].as_str().unwrap().to_owned();
    assert_eq!(data["changePassword"]["user"]["email"], email.as_str());
    assert_eq!(
        app.code(Some(&token), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
    app.ok(Some(&fresh), ME_ID, json!({})).await;
    assert_eq!(
        app.code(None, LOGIN, json!({ "e": email, "p": PASSWORD }))
            .await,
        "UNAUTHENTICATED"
    );
    app.login(&email, new_password).await;
    let events = app.audit_chain().await;
    let change = events
        .iter()
        .find(|e| e.action == "user.password_change")
        .expect("audit event");
    assert!(!change.summary.contains(new_password) && !change.summary.contains(PASSWORD));
}

#[tokio::test]
async fn a_wrong_current_password_is_unauthenticated_and_counts_as_a_failed_login() {
    let app = TestApp::new().await;
    let (_, _, email, token) = orderer(&app).await;
    for _ in 0..10 {
        assert_eq!(
            app.code(
                Some(&token),
                CHANGE_PASSWORD,
                json!({ "c": "not-my-password", "n": "a-new-password-2" })
            )
            .await,
            "UNAUTHENTICATED"
        );
    }
    // Ten failures from this (unknown) address: the next login from it waits.
    assert_eq!(
        app.code(None, LOGIN, json!({ "e": email, "p": PASSWORD }))
            .await,
        "TOO_MANY_REQUESTS"
    );
    // The token was not revoked by the failures.
    app.ok(Some(&token), ME_ID, json!({})).await;
}

#[tokio::test]
async fn a_disabled_user_is_refused_until_enabled_again() {
    let app = TestApp::new().await;
    let (admin, id, email, token) = orderer(&app).await;
    let data = app
        .ok(Some(&admin), SET_DISABLED, json!({ "u": id, "d": true }))
        .await;
    assert_eq!(data["setUserDisabled"]["disabled"], true);
    assert_eq!(
        app.code(Some(&token), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.code(None, LOGIN, json!({ "e": email, "p": PASSWORD }))
            .await,
        "UNAUTHENTICATED"
    );
    let data = app
        .ok(Some(&admin), SET_DISABLED, json!({ "u": id, "d": false }))
        .await;
    assert_eq!(data["setUserDisabled"]["disabled"], false);
    // The tokens from before stay revoked; logging in works again.
    assert_eq!(
        app.code(Some(&token), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
    let fresh = app.login(&email, PASSWORD).await;
    app.ok(Some(&fresh), ME_ID, json!({})).await;
    let actions: Vec<String> = app
        .audit_chain()
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"user.disable".to_owned()), "{actions:?}");
    assert!(actions.contains(&"user.enable".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn only_admins_disable_users_and_not_themselves() {
    let app = TestApp::new().await;
    let (admin, id, _, token) = orderer(&app).await;
    let events_before = app.audit_chain().await.len();
    assert_eq!(
        app.code(Some(&token), SET_DISABLED, json!({ "u": id, "d": true }))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        app.code(None, SET_DISABLED, json!({ "u": id, "d": true }))
            .await,
        "UNAUTHENTICATED"
    );
    let admin_id = app.ok(Some(&admin), ME_ID, json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let err = app
        .error(
            Some(&admin),
            SET_DISABLED,
            json!({ "u": admin_id, "d": true }),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["rule"], "OWN_ACCOUNT", "{err}");
    assert_eq!(app.audit_chain().await.len(), events_before);
    app.ok(Some(&token), ME_ID, json!({})).await;
    app.ok(Some(&admin), ME_ID, json!({})).await;
}

/// Admins see every user's flag; members of an organisation see their colleagues' flags.
#[tokio::test]
async fn disabled_is_seen_by_admins_and_the_users_own_organisation() {
    let app = TestApp::new().await;
    let (admin, id, _, token) = orderer(&app).await;
    let org = app
        .ok(Some(&token), "{ me { organization { id } } }", json!({}))
        .await["me"]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, colleague) = app
        .create_user(&admin, &org, "ORDERER", "kollega@kunta.example.fi")
        .await;
    app.ok(Some(&admin), SET_DISABLED, json!({ "u": id, "d": true }))
        .await;
    let data = app
        .ok(
            Some(&colleague),
            "{ me { disabled } myColleagues { id disabled } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["disabled"], false);
    let listed = data["myColleagues"].as_array().unwrap();
    let flag = |who: &str| listed.iter().find(|u| u["id"] == who).unwrap()["disabled"].clone();
    assert_eq!(flag(&id), true);
    let data = app
        .ok(Some(&admin), SET_DISABLED, json!({ "u": id, "d": true }))
        .await;
    assert_eq!(data["setUserDisabled"]["disabled"], true);
}

/// A revocation on one replica is honoured by another within the status cache's age
/// (2 seconds by the application clock), without the other replica being told.
#[tokio::test]
async fn a_revocation_on_one_replica_is_honoured_by_another_within_two_seconds() {
    let app = TestApp::new().await;
    let replica = app.replica().await;
    let (_, _, _, token) = orderer(&app).await;
    // The replica has seen the token recently.
    replica.ok(Some(&token), ME_ID, json!({})).await;
    app.ok(Some(&token), LOGOUT, json!({})).await;
    assert_eq!(
        app.code(Some(&token), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
    // Within the cache's age the replica may still honour it...
    app.clock.advance(chrono::TimeDelta::milliseconds(1500));
    replica.ok(Some(&token), ME_ID, json!({})).await;
    // ...and no longer once its entry is 2 seconds old.
    app.clock.advance(chrono::TimeDelta::milliseconds(500));
    assert_eq!(
        replica.code(Some(&token), ME_ID, json!({})).await,
        "UNAUTHENTICATED"
    );
}

const USERS: &str = "query($o:ID!,$n:Int,$a:String){ users(organizationId:$o,first:$n,after:$a){ totalCount pageInfo{ hasNextPage endCursor } edges{ cursor node{ id name email role disabled organization{ id } } } } }";

/// `users(organizationId)` is the administration's: anonymous is UNAUTHENTICATED, an orderer
/// or a producer FORBIDDEN (even for its own organisation), nothing listed.
#[tokio::test]
async fn only_an_admin_lists_an_organisations_users() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (org, _, orderer) = app.member(&admin, "ORDERER", "Tilaajalautakunta").await;
    let (producer_org, _, producer) = app.member(&admin, "EXTERNAL_PROVIDER", "Palvelu Oy").await;
    let vars = json!({ "o": org });
    assert_eq!(app.code(None, USERS, vars.clone()).await, "UNAUTHENTICATED");
    for (token, o) in [
        (&orderer, &org),
        (&producer, &producer_org),
        (&producer, &org),
    ] {
        let resp = app.gql(Some(token), USERS, json!({ "o": o })).await;
        assert_eq!(
            resp["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{resp}"
        );
        assert!(resp["data"].is_null(), "{resp}");
    }
    let d = app.ok(Some(&admin), USERS, vars).await;
    assert_eq!(d["users"]["totalCount"], 1);
    assert_eq!(d["users"]["edges"][0]["node"]["role"], "ORDERER");
    assert_eq!(d["users"]["edges"][0]["node"]["disabled"], false);
    // An organisation that does not exist is NOT_FOUND.
    assert_eq!(
        app.code(
            Some(&admin),
            USERS,
            json!({ "o": "0190f000-0000-7000-8000-000000000000" })
        )
        .await,
        "NOT_FOUND"
    );
}

/// The users of one organisation only, by name, a page at a time; the cursor goes on from
/// the last name even when names repeat, and a cursor of another organisation is refused.
#[tokio::test]
async fn an_organisations_users_come_by_name_a_page_at_a_time() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let org = app.create_org(&admin, "Lautakunta", "ORDERER").await;
    let other = app.create_org(&admin, "Toinen", "ORDERER").await;
    for (name, email) in [
        ("Cecilia", "c@kunta.example.fi"),
        ("Aino", "a1@kunta.example.fi"),
        ("Bertta", "b@kunta.example.fi"),
        ("Aino", "a2@kunta.example.fi"),
        ("Eero", "e@kunta.example.fi"),
    ] {
        app.ok(Some(&admin), CREATE_USER, json!({ "i": { "email": email, "password": PASSWORD, "name": name, "role": "ORDERER", "organizationId": org } }))
            .await;
    }
    let (outsider, _) = app
        .create_user(&admin, &other, "ORDERER", "x@toinen.example.fi")
        .await;
    let mut names = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let d = app
            .ok(Some(&admin), USERS, json!({ "o": org, "n": 2, "a": after }))
            .await;
        let page = &d["users"];
        assert_eq!(page["totalCount"], 5);
        for e in page["edges"].as_array().unwrap() {
            assert_eq!(e["node"]["organization"]["id"], org.as_str());
            assert_eq!(e["cursor"], e["node"]["id"]);
            names.push(e["node"]["name"].as_str().unwrap().to_owned());
        }
        pages += 1;
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["Aino", "Aino", "Bertta", "Cecilia", "Eero"]);
    let err = app
        .error(Some(&admin), USERS, json!({ "o": org, "a": outsider }))
        .await;
    assert_eq!(err["extensions"]["code"], "BAD_USER_INPUT", "{err}");
    assert_eq!(err["extensions"]["field"], "after", "{err}");
    assert_eq!(
        app.code(Some(&admin), USERS, json!({ "o": org, "n": -1 }))
            .await,
        "BAD_USER_INPUT"
    );
    // `first` is capped at 200, not refused.
    let d = app
        .ok(Some(&admin), USERS, json!({ "o": org, "n": 100000 }))
        .await;
    assert_eq!(d["users"]["edges"].as_array().unwrap().len(), 5);
}

/// A taken email, business ID or product code is CONFLICT naming its input field, and a
/// wrong current password UNAUTHENTICATED naming `currentPassword`, so that a client shows
/// each beside its field; nothing is written.
#[tokio::test]
async fn a_taken_value_and_a_wrong_current_password_name_their_field() {
    let app = TestApp::new().await;
    let (admin, _, email, token) = orderer(&app).await;
    let org = app.create_org(&admin, "Toinen", "ORDERER").await;
    app.ok(
        Some(&admin),
        CREATE_ORG,
        json!({ "i": { "name": "Oy", "kind": "EXTERNAL_PROVIDER", "businessId": "0112038-9" } }),
    )
    .await;
    app.product(&admin, "KH-1", "home care").await;
    let users = app.count("app_user").await;
    let orgs = app.count("organization").await;
    let products = app.count("product").await;
    let chain = app.audit_chain().await.len();
    for (query, vars, field) in [
        (
            CREATE_USER,
            json!({ "i": { "email": email.to_uppercase(), "password": PASSWORD, "name": "Toinen", "role": "ORDERER", "organizationId": org } }),
            "email",
        ),
        (
            CREATE_ORG,
            json!({ "i": { "name": "Toinen Oy", "kind": "EXTERNAL_PROVIDER", "businessId": "0112038-9" } }),
            "businessId",
        ),
        (
            "mutation($i:ProductInput!){ createProduct(input:$i){ id } }",
            json!({ "i": { "code": "KH-1", "name": "Again", "unit": "h", "category": "c" } }),
            "code",
        ),
    ] {
        let err = app.error(Some(&admin), query, vars).await;
        assert_eq!(err["extensions"]["code"], "CONFLICT", "{err}");
        assert_eq!(err["extensions"]["field"], field, "{err}");
    }
    let err = app
        .error(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "c": "not-my-password", "n": "a-new-password-2" }),
        )
        .await;
    assert_eq!(err["extensions"]["code"], "UNAUTHENTICATED", "{err}");
    assert_eq!(err["extensions"]["field"], "currentPassword", "{err}");
    assert_eq!(app.count("app_user").await, users);
    assert_eq!(app.count("organization").await, orgs);
    assert_eq!(app.count("product").await, products);
    assert_eq!(app.audit_chain().await.len(), chain);
    app.ok(Some(&token), ME_ID, json!({})).await;
}
