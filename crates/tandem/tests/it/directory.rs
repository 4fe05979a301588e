//! The directory: people of both kinds (one email, one person), organizations, the tree of teams
//! and departments, team members, and lists paged by cursor.

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

const ADMIN: &str = "admin@harbor.example";

fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!((response.status.as_u16(), response.error_code()), (status, code), "{:?}", response.json);
}

/// A 422 naming exactly these fields.
fn assert_invalid(response: &TestResponse, fields: &[&str]) {
    assert_error(response, 422, "invalid");
    let named: Vec<&str> = response.json["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(named, fields, "{:?}", response.json);
}

fn id(response: &TestResponse) -> i64 {
    assert!(response.status.is_success(), "{:?}", response.json);
    response.json["id"].as_i64().unwrap()
}

async fn person_id(desk: &TestApp, admin: &str, email: &str) -> i64 {
    let page = desk.get(&format!("/api/v1/people?q={email}"), admin).await;
    let found = page.json["items"].as_array().unwrap().iter().find(|person| person["email"] == email);
    found.unwrap_or_else(|| panic!("{email} in {:?}", page.json))["id"].as_i64().unwrap()
}

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

/// Every item of a list, page by page; checks each page's size along the way.
async fn every_page(desk: &TestApp, token: &str, path: &str, limit: usize) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let (mut items, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let after = cursor.as_ref().map(|cursor| format!("&cursor={cursor}")).unwrap_or_default();
        let page = desk.get(&format!("{path}{separator}limit={limit}{after}"), token).await;
        assert_eq!(page.status, 200, "{:?}", page.json);
        let batch = page.json["items"].as_array().unwrap();
        assert!(batch.len() <= limit);
        items.extend(batch.iter().cloned());
        match page.json["next_cursor"].as_str() {
            Some(next) => {
                assert_eq!(batch.len(), limit, "only the last page may be short");
                cursor = Some(next.to_owned());
            }
            None => return items,
        }
    }
}

fn ids(items: &[Value]) -> Vec<i64> {
    items.iter().map(|item| item["id"].as_i64().unwrap()).collect()
}

test_both!(
    async fn people_of_each_kind_follow_their_kinds_rules(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let stores = team_id(&desk, &admin, "stores").await;
        let sam = person_id(&desk, &admin, "sam@harbor.example").await;
        let employee = json!({"email": "noah@harbor.example", "name": "  Noah New ", "kind": "employee",
                              "title": "Barista", "department_id": stores, "manager_id": sam});
        let noah = desk.post("/api/v1/people", &admin, &employee).await;
        assert_eq!(noah.status, 201, "{:?}", noah.json);
        assert_eq!(noah.json["name"], "Noah New", "names are trimmed");
        let kept = ["kind", "title", "department_id", "manager_id", "organization_id", "org_access", "version"];
        let kept: Vec<Value> = kept.iter().map(|key| noah.json[key].clone()).collect();
        assert_eq!(
            kept,
            [json!("employee"), json!("Barista"), json!(stores), json!(sam), json!(null), json!(false), json!(1)]
        );
        let bayside = desk.get("/api/v1/organizations", &admin).await.json["items"][0]["id"].clone();
        let external = json!({"email": "pat@bayside.example", "name": "Pat", "kind": "external", "organization_id": bayside,
                              "stakeholder": "client", "connection": "connected", "org_access": true});
        let pat = desk.post("/api/v1/people", &admin, &external).await;
        assert_eq!(pat.status, 201, "{:?}", pat.json);
        assert_eq!((pat.json["stakeholder"].as_str(), pat.json["org_access"].as_bool()), (Some("client"), Some(true)));

        let refused = [
            (
                json!({"email": "x1@harbor.example", "name": "X", "kind": "employee", "organization_id": bayside,
                       "stakeholder": "client", "connection": "loose", "org_access": true}),
                vec!["connection", "org_access", "organization_id", "stakeholder"],
            ),
            (
                json!({"email": "x2@example.com", "name": "X", "kind": "external", "department_id": stores,
                       "manager_id": sam, "is_admin": true}),
                vec!["department_id", "is_admin", "manager_id"],
            ),
            (
                json!({"email": "x3@example.com", "name": "X", "kind": "external", "org_access": true}),
                vec!["org_access"],
            ),
            (json!({"email": "not-an-email", "name": " ", "kind": "external"}), vec!["email", "name"]),
            (
                json!({"email": "x4@example.com", "name": "X", "kind": "external", "password": "short"}),
                vec!["password"],
            ),
            (json!({"email": "x5@example.com", "name": "X", "kind": "robot"}), vec!["kind"]),
            (json!({"email": "x6@example.com", "name": "X", "kind": "external", "nickname": "x"}), vec!["nickname"]),
            (
                json!({"email": "x7@example.com", "name": "X", "kind": "external", "organization_id": 999}),
                vec!["organization_id"],
            ),
            (
                json!({"email": "x8@harbor.example", "name": "X", "kind": "employee", "department_id": 999}),
                vec!["department_id"],
            ),
        ];
        for (body, fields) in refused {
            let response = desk.post("/api/v1/people", &admin, &body).await;
            assert_invalid(&response, &fields);
        }

        // Agents add external contacts, never employees or admins.
        let casey = desk.token("casey@harbor.example").await;
        let caller = json!({"email": "caller@example.com", "name": "A Caller", "kind": "external"});
        assert_eq!(desk.post("/api/v1/people", &casey, &caller).await.status, 201);
        let hire = json!({"email": "hire@harbor.example", "name": "Hire", "kind": "employee"});
        assert_error(&desk.post("/api/v1/people", &casey, &hire).await, 403, "forbidden");
        let pat_id = id(&pat);
        let promote = desk.patch(&format!("/api/v1/people/{pat_id}"), &casey, 1, &json!({"kind": "employee"})).await;
        assert_error(&promote, 403, "forbidden");
        let unchanged = desk.get(&format!("/api/v1/people/{pat_id}"), &admin).await;
        assert_eq!((unchanged.json["kind"].as_str(), unchanged.json["version"].as_i64()), (Some("external"), Some(1)));
    }
);

test_both!(
    async fn one_email_address_is_one_person(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let erin = person_id(&desk, &admin, "erin@example.com").await;
        let count = async || every_page(&desk, &admin, "/api/v1/people", 100).await.len();
        let before = count().await;
        for email in ["erin@example.com", "Erin@Example.COM", "  ERIN@example.com "] {
            let again = json!({"email": email, "name": "Erin Again", "kind": "external"});
            assert_error(&desk.post("/api/v1/people", &admin, &again).await, 409, "email_taken");
        }
        let zoe = desk
            .post("/api/v1/people", &admin, &json!({"email": " Zoe@Example.ORG", "name": "Zoe", "kind": "external"}))
            .await;
        assert_eq!((zoe.status.as_u16(), zoe.json["email"].as_str()), (201, Some("zoe@example.org")));
        let found = desk.get("/api/v1/people?q=ZOE@EXAMPLE", &admin).await.json;
        assert_eq!(ids(found["items"].as_array().unwrap()), [id(&zoe)]);
        let renamed =
            desk.patch(&format!("/api/v1/people/{}", id(&zoe)), &admin, 1, &json!({"email": "ERIN@example.com"})).await;
        assert_error(&renamed, 409, "email_taken");

        // A ticket on someone's behalf finds the person whatever the case of the address…
        let casey = desk.token("casey@harbor.example").await;
        let ask = |email: &str| {
            json!({"subject": "Called in", "body": "About an order.", "service": "product-question",
                   "requester": {"email": email, "name": "Someone"}})
        };
        let ticket = desk.post("/api/v1/tickets", &casey, &ask("ERIN@Example.com")).await;
        assert_eq!(ticket.status, 201, "{:?}", ticket.json);
        assert_eq!(ticket.json["ticket"]["requester"]["id"], erin);
        // …and a new address becomes one external contact, however often it is used.
        let first = desk.post("/api/v1/tickets", &casey, &ask("new.caller@example.net")).await;
        let second = desk.post("/api/v1/tickets", &casey, &ask("New.Caller@EXAMPLE.net")).await;
        assert_eq!(first.json["ticket"]["requester"]["id"], second.json["ticket"]["requester"]["id"]);
        assert_eq!(second.json["ticket"]["requester"]["email"], "new.caller@example.net");
        assert_eq!(count().await, before + 2, "Zoe and the new caller, nobody twice");
    }
);

test_both!(
    async fn managers_are_other_employees(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let (sam, bea, erin) = (
            person_id(&desk, &admin, "sam@harbor.example").await,
            person_id(&desk, &admin, "bea@harbor.example").await,
            person_id(&desk, &admin, "erin@example.com").await,
        );
        for (manager, message) in [(erin, "must be an employee"), (987_654, "must be an employee")] {
            let body = json!({"email": "m@harbor.example", "name": "M", "kind": "employee", "manager_id": manager});
            let response = desk.post("/api/v1/people", &admin, &body).await;
            assert_invalid(&response, &["manager_id"]);
            assert_eq!(response.json["error"]["fields"]["manager_id"], message);
        }
        let path = format!("/api/v1/people/{sam}");
        let version = desk.get(&path, &admin).await.json["version"].as_i64().unwrap();
        let myself = desk.patch(&path, &admin, version, &json!({"manager_id": sam})).await;
        assert_invalid(&myself, &["manager_id"]);
        assert_eq!(myself.json["error"]["fields"]["manager_id"], "a person cannot manage themselves");
        let managed = desk.patch(&path, &admin, version, &json!({"manager_id": bea})).await;
        assert_eq!((managed.status.as_u16(), managed.json["manager_id"].as_i64()), (200, Some(bea)));
        let cleared = desk.patch(&path, &admin, version + 1, &json!({"manager_id": null, "title": null})).await;
        assert_eq!(cleared.status, 200, "{:?}", cleared.json);
        assert_eq!((cleared.json["manager_id"].clone(), cleared.json["title"].clone()), (json!(null), json!(null)));
    }
);

test_both!(
    async fn people_change_only_at_the_version_read(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let bea = person_id(&desk, &admin, "bea@harbor.example").await;
        let path = format!("/api/v1/people/{bea}");
        let version = desk.get(&path, &admin).await.json["version"].as_i64().unwrap();
        let change = json!({"title": "Shift lead"});
        let missing = desk.send(Method::PATCH, &path, Some(&admin), Some(&change)).await;
        assert_error(&missing, 428, "precondition_required");
        let garbled =
            desk.send_with(Method::PATCH, &path, Some(&admin), Some(&change), &[("if-match", "yesterday")]).await;
        assert_error(&garbled, 400, "bad_request");
        assert_error(&desk.patch(&path, &admin, version + 1, &change).await, 409, "version_conflict");
        let weak = format!("W/\"{version}\"");
        let changed = desk.send_with(Method::PATCH, &path, Some(&admin), Some(&change), &[("if-match", &weak)]).await;
        assert_eq!(changed.status, 200, "{:?}", changed.json);
        assert_eq!(
            (changed.json["title"].as_str(), changed.json["version"].as_i64()),
            (Some("Shift lead"), Some(version + 1))
        );
        // The second writer of the same version loses and changes nothing.
        let late = desk.patch(&path, &admin, version, &json!({"title": "Overwritten"})).await;
        assert_error(&late, 409, "version_conflict");
        assert_eq!(desk.get(&path, &admin).await.json["title"], "Shift lead");
        assert_invalid(&desk.patch(&path, &admin, version + 1, &json!({"name": ""})).await, &["name"]);
        assert_error(&desk.patch("/api/v1/people/987654", &admin, 1, &change).await, 404, "not_found");

        // An agent stays an employee until they leave their teams; a password set here signs in.
        let casey = person_id(&desk, &admin, "casey@harbor.example").await;
        let casey_path = format!("/api/v1/people/{casey}");
        let casey_version = desk.get(&casey_path, &admin).await.json["version"].as_i64().unwrap();
        let external = json!({"kind": "external", "department_id": null});
        assert_error(&desk.patch(&casey_path, &admin, casey_version, &external).await, 409, "person_is_agent");
        let password = json!({"password": "correct horse battery"});
        assert_eq!(desk.patch(&path, &admin, version + 1, &password).await.status, 200);
        let login = json!({"email": "bea@harbor.example", "password": "correct horse battery"});
        assert_eq!(desk.send(Method::POST, "/api/v1/sessions", None, Some(&login)).await.status, 201);
    }
);

test_both!(
    async fn organizations_have_unique_names_and_real_domains(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let casey = desk.token("casey@harbor.example").await;
        let created = desk
            .post("/api/v1/organizations", &casey, &json!({"name": "Pier Cafe", "domain": " PierCafe.Example "}))
            .await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        assert_eq!(
            (created.json["domain"].as_str(), created.json["notes"].as_str()),
            (Some("piercafe.example"), Some(""))
        );
        let path = format!("/api/v1/organizations/{}", id(&created));
        let taken = desk.post("/api/v1/organizations", &admin, &json!({"name": "Bayside Offices"})).await;
        assert_error(&taken, 409, "name_taken");
        assert_invalid(
            &desk.post("/api/v1/organizations", &admin, &json!({"name": " ", "domain": "not a domain"})).await,
            &["domain", "name"],
        );
        let renamed =
            desk.put(&path, &admin, &json!({"name": "Pier Café", "domain": null, "notes": "Buys weekly."})).await;
        assert_eq!(renamed.status, 200, "{:?}", renamed.json);
        assert_eq!(desk.get(&path, &casey).await.json, renamed.json);
        assert_error(&desk.put(&path, &admin, &json!({"name": "Sunrise Beans"})).await, 409, "name_taken");
        assert_error(
            &desk.put("/api/v1/organizations/987654", &admin, &json!({"name": "Nobody"})).await,
            404,
            "not_found",
        );
        assert_error(&desk.get("/api/v1/organizations/987654", &admin).await, 404, "not_found");
    }
);

test_both!(
    async fn the_team_tree_never_loops(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let team = |slug: &str, kind: &str, parent: Option<i64>| json!({"slug": slug, "name": slug.to_uppercase(), "kind": kind, "parent_id": parent, "is_provider": kind == "team"});
        let ops = id(&desk.post("/api/v1/teams", &admin, &team("ops", "department", None)).await);
        let field = id(&desk.post("/api/v1/teams", &admin, &team("field", "team", Some(ops))).await);
        let night = id(&desk.post("/api/v1/teams", &admin, &team("night", "team", Some(field))).await);
        let shown = desk.get(&format!("/api/v1/teams/{night}"), &admin).await.json;
        assert_eq!((shown["parent_id"].as_i64(), shown["assignment"].as_str()), (Some(field), Some("queue")));

        for (moved, slug, kind, parent) in
            [(ops, "ops", "department", night), (ops, "ops", "department", field), (field, "field", "team", field)]
        {
            let response = desk.put(&format!("/api/v1/teams/{moved}"), &admin, &team(slug, kind, Some(parent))).await;
            assert_invalid(&response, &["parent_id"]);
            assert_eq!(response.json["error"]["fields"]["parent_id"], "a team cannot sit below itself");
        }
        let nowhere = desk.put(&format!("/api/v1/teams/{field}"), &admin, &team("field", "team", Some(987_654))).await;
        assert_invalid(&nowhere, &["parent_id"]);
        assert_invalid(&desk.post("/api/v1/teams", &admin, &team("lost", "team", Some(987_654))).await, &["parent_id"]);
        assert_error(&desk.post("/api/v1/teams", &admin, &team("care", "team", None)).await, 409, "slug_taken");
        assert_invalid(&desk.post("/api/v1/teams", &admin, &team("Bad Slug", "team", None)).await, &["slug"]);
        assert_error(
            &desk.put(&format!("/api/v1/teams/{field}"), &admin, &team("it", "team", Some(ops))).await,
            409,
            "slug_taken",
        );
        let moved = desk.put(&format!("/api/v1/teams/{night}"), &admin, &team("night", "team", Some(ops))).await;
        assert_eq!((moved.status.as_u16(), moved.json["parent_id"].as_i64()), (200, Some(ops)), "a legal move");

        // A lead changes their own team's settings, but not its place in the tree, nor other teams.
        let bea = person_id(&desk, &admin, "bea@harbor.example").await;
        let lead = desk.put(&format!("/api/v1/teams/{field}/members/{bea}"), &admin, &json!({"role": "lead"})).await;
        assert_eq!(lead.status, 200);
        let bea = desk.token("bea@harbor.example").await;
        let mut renamed = team("field", "team", Some(ops));
        renamed["name"] = json!("Field Service");
        renamed["assignment"] = json!("round_robin");
        let own = desk.put(&format!("/api/v1/teams/{field}"), &bea, &renamed).await;
        assert_eq!((own.status.as_u16(), own.json["name"].as_str()), (200, Some("Field Service")), "{:?}", own.json);
        assert_eq!(own.json["assignment"], "round_robin");
        renamed["parent_id"] = json!(null);
        assert_error(&desk.put(&format!("/api/v1/teams/{field}"), &bea, &renamed).await, 403, "forbidden");
        renamed["parent_id"] = json!(ops);
        renamed["kind"] = json!("department");
        assert_error(&desk.put(&format!("/api/v1/teams/{field}"), &bea, &renamed).await, 403, "forbidden");
        let others = desk.put(&format!("/api/v1/teams/{night}"), &bea, &team("night", "team", Some(ops))).await;
        assert_error(&others, 403, "forbidden");
    }
);

test_both!(
    async fn only_employees_are_members_and_membership_makes_an_agent(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let care = team_id(&desk, &admin, "care").await;
        let (bea, erin) =
            (person_id(&desk, &admin, "bea@harbor.example").await, person_id(&desk, &admin, "erin@example.com").await);
        let member = |person: i64| format!("/api/v1/teams/{care}/members/{person}");
        let external = desk.put(&member(erin), &admin, &json!({"role": "agent"})).await;
        assert_invalid(&external, &["person_id"]);
        assert_eq!(external.json["error"]["fields"]["person_id"], "only employees can be members of a team");
        assert_error(&desk.put(&member(987_654), &admin, &json!({"role": "agent"})).await, 404, "not_found");
        assert_invalid(&desk.put(&member(bea), &admin, &json!({"role": "boss"})).await, &["role"]);

        let bea_token = desk.token("bea@harbor.example").await;
        assert_error(&desk.get("/api/v1/people", &bea_token).await, 404, "not_found");
        let added = desk.put(&member(bea), &admin, &json!({"role": "agent"})).await;
        assert_eq!(added.status, 200, "{:?}", added.json);
        let expected = json!({"person_id": bea, "name": "Bea Barista", "email": "bea@harbor.example",
                              "role": "agent", "available": true});
        assert_eq!(added.json, expected);
        let members = desk.get(&format!("/api/v1/teams/{care}/members"), &admin).await.json;
        assert!(members.as_array().unwrap().contains(&expected), "{members:?}");
        // One person, both faces: Bea now works Care's queue and reads the directory.
        let me = desk.get("/api/v1/me", &bea_token).await.json;
        assert_eq!(
            (me["is_agent"].as_bool(), me["teams"].clone()),
            (Some(true), json!([{"team_id": care, "role": "agent"}]))
        );
        assert_eq!(desk.get("/api/v1/people", &bea_token).await.status, 200);
        let queue = desk.get("/api/v1/tickets?limit=100", &bea_token).await.json;
        assert!(queue["items"].as_array().unwrap().iter().all(|ticket| ticket["team"]["slug"] == "care"));

        let resting = desk.put(&member(bea), &admin, &json!({"role": "lead", "available": false})).await;
        assert_eq!((resting.json["role"].as_str(), resting.json["available"].as_bool()), (Some("lead"), Some(false)));
        let members = desk.get(&format!("/api/v1/teams/{care}/members"), &admin).await.json;
        assert_eq!(
            members.as_array().unwrap().iter().filter(|m| m["person_id"] == bea).count(),
            1,
            "upserted, not added twice"
        );
        assert_eq!(desk.delete(&member(bea), &admin).await.status, 204);
        assert_error(&desk.delete(&member(bea), &admin).await, 404, "not_found");
        assert_error(&desk.get("/api/v1/people", &bea_token).await, 404, "not_found");
        assert_error(&desk.get("/api/v1/teams/987654/members", &admin).await, 404, "not_found");
    }
);

test_both!(
    async fn lists_page_by_cursor_without_gaps_or_repeats(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        for index in 0..7 {
            // The same name seven times: the order (name, id) must still be total.
            let body = json!({"email": format!("twin{index}@example.com"), "name": "Twin", "kind": "external"});
            assert_eq!(desk.post("/api/v1/people", &admin, &body).await.status, 201);
            let organization = json!({"name": format!("Organization {index}")});
            assert_eq!(desk.post("/api/v1/organizations", &admin, &organization).await.status, 201);
        }
        let all = every_page(&desk, &admin, "/api/v1/people", 100).await;
        assert_eq!(all.len(), 19 + 7, "the demo's nineteen people and the twins");
        for limit in [1, 2, 3, 5] {
            let paged = every_page(&desk, &admin, "/api/v1/people", limit).await;
            assert_eq!(ids(&paged), ids(&all), "limit {limit}");
        }
        let names: Vec<&str> = all.iter().map(|person| person["name"].as_str().unwrap()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "ordered by name");

        let twins = every_page(&desk, &admin, "/api/v1/people?kind=external&q=twin", 2).await;
        assert_eq!(twins.len(), 7);
        let employees = every_page(&desk, &admin, "/api/v1/people?kind=employee", 4).await;
        assert!(employees.iter().all(|person| person["kind"] == "employee") && employees.len() == 13);

        let organizations = every_page(&desk, &admin, "/api/v1/organizations", 100).await;
        assert_eq!(organizations.len(), 9);
        assert_eq!(ids(&every_page(&desk, &admin, "/api/v1/organizations", 2).await), ids(&organizations));

        let tickets = every_page(&desk, &admin, "/api/v1/tickets", 100).await;
        assert_eq!(ids(&every_page(&desk, &admin, "/api/v1/tickets", 7).await), ids(&tickets));

        assert_invalid(&desk.get("/api/v1/people?cursor=not-a-cursor", &admin).await, &["cursor"]);
        let smallest = desk.get("/api/v1/people?limit=0", &admin).await.json;
        assert_eq!(smallest["items"].as_array().unwrap().len(), 1, "limits are clamped to 1..=100");
        assert_error(&desk.get("/api/v1/people?limit=-1", &admin).await, 400, "bad_request");
    }
);
