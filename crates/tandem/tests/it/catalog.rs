//! The service catalog: who manages services, request forms and the values tickets give them, and
//! which services each kind of person is offered.

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

const ADMIN: &str = "admin@harbor.example";
const EXTERNAL: [&str; 3] = ["order-problem", "product-question", "store-feedback"];
const INTERNAL: [&str; 7] = [
    "benefits-question",
    "employee-discount",
    "product-question",
    "sales-figures",
    "stock-replenishment",
    "store-feedback",
    "till-or-laptop",
];

fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!((response.status.as_u16(), response.error_code()), (status, code), "{:?}", response.json);
}

/// A 422 naming exactly these fields (with these messages, when given).
fn assert_invalid(response: &TestResponse, fields: &[(&str, &str)]) {
    assert_error(response, 422, "invalid");
    let named = response.json["error"]["fields"].as_object().unwrap();
    assert_eq!(named.keys().map(String::as_str).collect::<Vec<_>>(), fields.iter().map(|f| f.0).collect::<Vec<_>>());
    for (field, message) in fields.iter().filter(|(_, message)| !message.is_empty()) {
        assert_eq!(named[*field], *message, "{field}");
    }
}

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

fn service(slug: &str, team: i64, audience: &str) -> Value {
    json!({"slug": slug, "name": format!("The {slug} service"), "team_id": team, "audience": audience})
}

/// The slugs of the catalog as `token` sees it.
async fn slugs(desk: &TestApp, token: &str, query: &str) -> Vec<String> {
    let list = desk.get(&format!("/api/v1/services{query}"), token).await;
    assert_eq!(list.status, 200, "{:?}", list.json);
    list.json.as_array().unwrap().iter().map(|service| service["slug"].as_str().unwrap().to_owned()).collect()
}

/// PUT with `If-Match`, as service updates need.
pub(super) async fn put_at(desk: &TestApp, path: &str, token: &str, version: i64, body: &Value) -> TestResponse {
    let version = format!("\"{version}\"");
    desk.send_with(Method::PUT, path, Some(token), Some(body), &[("if-match", &version)]).await
}

/// A PUT body from a service as shown.
fn input_of(shown: &Value) -> Value {
    let mut input = shown.clone();
    for key in ["id", "version", "created_at", "updated_at"] {
        input.as_object_mut().unwrap().remove(key);
    }
    input
}

test_both!(
    async fn admins_and_the_provider_teams_leads_manage_services(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let (casey, ivan) = (desk.token("casey@harbor.example").await, desk.token("ivan@harbor.example").await);
        let (care, it, stores) = (
            team_id(&desk, &admin, "care").await,
            team_id(&desk, &admin, "it").await,
            team_id(&desk, &admin, "stores").await,
        );

        let made = desk.post("/api/v1/services", &admin, &service("gift-cards", care, "external")).await;
        assert_eq!(made.status, 201, "{:?}", made.json);
        let defaults =
            ["description", "default_priority", "form", "active", "version"].map(|key| made.json[key].clone());
        assert_eq!(defaults, [json!(""), json!("normal"), json!([]), json!(true), json!(1)]);
        let by_lead = desk.post("/api/v1/services", &casey, &service("returns", care, "both")).await;
        assert_eq!((by_lead.status.as_u16(), by_lead.json["team_id"].as_i64()), (201, Some(care)));
        assert_error(&desk.post("/api/v1/services", &ivan, &service("refunds", care, "both")).await, 403, "forbidden");
        assert_eq!(desk.post("/api/v1/services", &ivan, &service("printers", it, "internal")).await.status, 201);
        // A plain agent of Care (not its lead) manages nothing.
        let bea = desk.get("/api/v1/people?q=bea@", &admin).await.json["items"][0]["id"].clone();
        desk.put(&format!("/api/v1/teams/{care}/members/{bea}"), &admin, &json!({"role": "agent"})).await;
        let bea = desk.token("bea@harbor.example").await;
        assert_error(&desk.post("/api/v1/services", &bea, &service("bea-s", care, "both")).await, 403, "forbidden");

        assert_error(
            &desk.post("/api/v1/services", &admin, &service("gift-cards", it, "both")).await,
            409,
            "slug_taken",
        );
        let not_provider = desk.post("/api/v1/services", &admin, &service("rota", stores, "internal")).await;
        assert_invalid(&not_provider, &[("team_id", "this team does not provide services (is_provider is false)")]);
        assert_invalid(
            &desk.post("/api/v1/services", &admin, &service("ghosts", 987_654, "both")).await,
            &[("team_id", "no such team")],
        );
        let sloppy = json!({"slug": "Gift Cards", "name": " ", "team_id": care, "audience": "everyone"});
        assert_invalid(&desk.post("/api/v1/services", &admin, &sloppy).await, &[("audience", "")]);
        let sloppy = json!({"slug": "Gift Cards", "name": " ", "team_id": care, "audience": "both"});
        assert_invalid(&desk.post("/api/v1/services", &admin, &sloppy).await, &[("name", ""), ("slug", "")]);

        // Changes need the version read; the lead may not hand the service to another team.
        let path = "/api/v1/services/returns";
        let mut input = input_of(&by_lead.json);
        input["name"] = json!("Returns and exchanges");
        let unversioned = desk.send(Method::PUT, path, Some(&casey), Some(&input)).await;
        assert_error(&unversioned, 428, "precondition_required");
        assert_error(&put_at(&desk, path, &casey, 2, &input).await, 409, "version_conflict");
        let renamed = put_at(&desk, path, &casey, 1, &input).await;
        assert_eq!((renamed.status.as_u16(), renamed.json["version"].as_i64()), (200, Some(2)), "{:?}", renamed.json);
        let erin = desk.token("erin@example.com").await;
        let by_id = desk.get(&format!("/api/v1/services/{}", renamed.json["id"]), &erin).await;
        assert_eq!(by_id.json, renamed.json, "by id or by slug, the same service");
        assert_error(&put_at(&desk, path, &ivan, 2, &input).await, 403, "forbidden");
        input["team_id"] = json!(it);
        assert_error(&put_at(&desk, path, &casey, 2, &input).await, 403, "forbidden");
        let moved = put_at(&desk, path, &admin, 2, &input).await;
        assert_eq!((moved.status.as_u16(), moved.json["team_id"].as_i64()), (200, Some(it)));
        input["name"] = json!("IT returns");
        assert_error(&put_at(&desk, path, &casey, 3, &input).await, 403, "forbidden");
        assert_eq!(put_at(&desk, path, &ivan, 3, &input).await.status, 200, "now IT's lead manages it");
        assert_error(&put_at(&desk, "/api/v1/services/987654", &admin, 1, &input).await, 404, "not_found");
    }
);

test_both!(
    async fn request_forms_are_checked_field_by_field(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let care = team_id(&desk, &admin, "care").await;
        let with_form = |form: Value| {
            let mut body = service("warranty", care, "both");
            body["form"] = form;
            body
        };
        let broken = json!([
            {"key": "Bad Key", "label": "A", "kind": "text"},
            {"key": "dup", "label": "B", "kind": "text"},
            {"key": "dup", "label": "C", "kind": "number"},
            {"key": "pick", "label": "D", "kind": "choice"},
            {"key": "note", "label": "E", "kind": "text", "options": ["x"]},
            {"key": "when", "label": " ", "kind": "date"},
            {"key": "ok", "label": "Fine", "kind": "choice", "options": ["a", "b"], "required": true}
        ]);
        let refused = desk.post("/api/v1/services", &admin, &with_form(broken)).await;
        assert_invalid(
            &refused,
            &[
                ("form[0].key", "must be 1–40 lowercase letters, digits or underscores, starting with a letter"),
                ("form[2].key", "`dup` is used twice"),
                ("form[3].options", "a choice needs at least one option"),
                ("form[4].options", "only a choice field has options"),
                ("form[5].label", "must be 1–200 characters"),
            ],
        );
        let colour = json!([{"key": "a", "label": "A", "kind": "text"}, {"key": "b", "label": "B", "kind": "colour"}]);
        assert_invalid(&desk.post("/api/v1/services", &admin, &with_form(colour)).await, &[("form[1].kind", "")]);
        let extra = json!([{"key": "a", "label": "A", "kind": "text", "hint": "?"}]);
        assert_invalid(&desk.post("/api/v1/services", &admin, &with_form(extra)).await, &[("form[0].hint", "")]);
        let many: Vec<Value> = (0..51).map(|i| json!({"key": format!("f{i}"), "label": "F", "kind": "text"})).collect();
        assert_invalid(
            &desk.post("/api/v1/services", &admin, &with_form(json!(many))).await,
            &[("form", "at most 50 fields")],
        );
        assert_eq!(desk.get("/api/v1/services/warranty", &admin).await.status, 404, "nothing refused was stored");

        // The same checks guard an update, which then changes nothing.
        let shown = desk.get("/api/v1/services/order-problem", &admin).await.json;
        let mut input = input_of(&shown);
        input["form"][0]["key"] = json!("Order Number");
        let casey = desk.token("casey@harbor.example").await;
        let version = shown["version"].as_i64().unwrap();
        assert_invalid(
            &put_at(&desk, "/api/v1/services/order-problem", &casey, version, &input).await,
            &[("form[0].key", "")],
        );
        assert_eq!(desk.get("/api/v1/services/order-problem", &admin).await.json, shown);
    }
);

test_both!(
    async fn ticket_fields_are_checked_against_the_services_form(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let mut repair = service("repair", team_id(&desk, &admin, "care").await, "both");
        repair["form"] = json!([
            {"key": "serial", "label": "Serial number", "kind": "text", "required": true},
            {"key": "details", "label": "Details", "kind": "long_text"},
            {"key": "count", "label": "How many", "kind": "number"},
            {"key": "bought_on", "label": "Bought on", "kind": "date"},
            {"key": "colour", "label": "Colour", "kind": "choice", "options": ["Red", "Blue"]},
            {"key": "warranty", "label": "Under warranty?", "kind": "yes_no"}
        ]);
        assert_eq!(desk.post("/api/v1/services", &admin, &repair).await.status, 201);
        let bea = desk.token("bea@harbor.example").await;
        let open = async |fields: Value| {
            let body =
                json!({"subject": "Grinder broken", "body": "It stopped.", "service": "repair", "fields": fields});
            desk.post("/api/v1/tickets", &bea, &body).await
        };
        let cases = [
            (json!({}), "serial", "`Serial number` is required"),
            (json!({"serial": "   "}), "serial", "`Serial number` is required"),
            (json!({"serial": null}), "serial", "`Serial number` is required"),
            (json!({"serial": 1234}), "serial", "must be text"),
            (json!({"serial": "a\nb"}), "serial", "must be a single line"),
            (json!({"serial": "S1", "count": "3"}), "count", "must be a number"),
            (json!({"serial": "S1", "bought_on": "2026-02-30"}), "bought_on", "must be a date like 2026-11-23"),
            (json!({"serial": "S1", "bought_on": "last week"}), "bought_on", "must be a date like 2026-11-23"),
            (json!({"serial": "S1", "colour": "Green"}), "colour", "must be one of: Red, Blue"),
            (json!({"serial": "S1", "colour": "red"}), "colour", "must be one of: Red, Blue"),
            (json!({"serial": "S1", "warranty": "yes"}), "warranty", "must be true or false"),
            (json!({"serial": "S1", "size": "XL"}), "size", "this service's form has no such field"),
        ];
        for (fields, key, message) in cases {
            let field = format!("fields.{key}");
            assert_invalid(&open(fields.clone()).await, &[(field.as_str(), message)]);
        }
        let all_wrong = open(json!({"count": "many", "colour": "Green", "size": 1})).await;
        assert_invalid(
            &all_wrong,
            &[("fields.colour", ""), ("fields.count", ""), ("fields.serial", ""), ("fields.size", "")],
        );
        let no_service =
            json!({"subject": "Hi", "body": "Hello", "team_id": repair["team_id"], "fields": {"serial": "S1"}});
        let casey = desk.token("casey@harbor.example").await;
        assert_invalid(
            &desk.post("/api/v1/tickets", &casey, &no_service).await,
            &[("fields", "custom fields need a service with a request form")],
        );
        let erin = desk.token("erin@example.com").await;
        let order = json!({"subject": "Late", "body": "Still waiting.", "service": "order-problem", "fields": {"problem": "Late"}});
        assert_invalid(
            &desk.post("/api/v1/tickets", &erin, &order).await,
            &[("fields.order_number", "`Order number` is required")],
        );

        let good =
            open(json!({"serial": "  S-99 ", "details": "Makes\na noise", "count": 2, "bought_on": " 2026-03-01 ",
                               "colour": "Blue", "warranty": false}))
            .await;
        assert_eq!(good.status, 201, "{:?}", good.json);
        let expected = json!({"serial": "S-99", "details": "Makes\na noise", "count": 2, "bought_on": "2026-03-01",
                              "colour": "Blue", "warranty": false});
        assert_eq!(good.json["ticket"]["fields"], expected, "trimmed and normalized");

        // An agent changing the values meets the same form.
        let path = format!("/api/v1/tickets/{}", good.json["ticket"]["id"]);
        let version = good.json["ticket"]["version"].as_i64().unwrap();
        assert_invalid(
            &desk.patch(&path, &casey, version, &json!({"fields": {"count": "x"}})).await,
            &[("fields.count", "must be a number")],
        );
        assert_invalid(
            &desk.patch(&path, &casey, version, &json!({"fields": {"serial": null}})).await,
            &[("fields.serial", "")],
        );
        let changed = desk.patch(&path, &casey, version, &json!({"fields": {"colour": null, "count": 3}})).await;
        assert_eq!(changed.status, 200, "{:?}", changed.json);
        let expected = json!({"serial": "S-99", "details": "Makes\na noise", "count": 3, "bought_on": "2026-03-01", "warranty": false});
        assert_eq!(changed.json["fields"], expected, "merged, and null removes a value");
    }
);

test_both!(
    async fn each_person_sees_the_services_offered_to_their_kind(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let mut everything: Vec<String> = EXTERNAL.iter().chain(INTERNAL.iter()).map(|slug| slug.to_string()).collect();
        everything.sort();
        everything.dedup();
        assert_eq!(everything.len(), 8);
        let (outside, inside) = (["external", "both"], ["internal", "both"]);
        for (email, expected, audiences) in [
            ("erin@example.com", EXTERNAL.to_vec(), outside),
            ("olga@bayside.example", EXTERNAL.to_vec(), outside),
            ("sol@sunrisebeans.example", EXTERNAL.to_vec(), outside),
            ("bea@harbor.example", INTERNAL.to_vec(), inside),
            ("sam@harbor.example", INTERNAL.to_vec(), inside),
        ] {
            let token = desk.token(email).await;
            assert_eq!(slugs(&desk, &token, "").await, expected, "{email}");
            let listed = desk.get("/api/v1/services", &token).await.json;
            assert!(listed.as_array().unwrap().iter().all(|s| audiences.contains(&s["audience"].as_str().unwrap())));
        }
        for email in [ADMIN, "casey@harbor.example", "ivan@harbor.example"] {
            assert_eq!(slugs(&desk, &desk.token(email).await, "").await, everything, "{email} sees the whole catalog");
        }

        // Filters narrow what one may see, never widen it.
        let (erin, bea) = (desk.token("erin@example.com").await, desk.token("bea@harbor.example").await);
        assert_eq!(slugs(&desk, &erin, "?audience=internal").await, Vec::<String>::new());
        assert_eq!(slugs(&desk, &erin, "?audience=both").await, ["product-question", "store-feedback"]);
        assert_eq!(slugs(&desk, &bea, "?audience=external").await, Vec::<String>::new());
        assert_eq!(slugs(&desk, &admin, "?audience=internal").await.len(), 5);
        let it = team_id(&desk, &admin, "it").await;
        assert_eq!(slugs(&desk, &admin, &format!("?team_id={it}")).await, ["till-or-laptop"]);
        assert_eq!(slugs(&desk, &erin, &format!("?team_id={it}")).await, Vec::<String>::new());

        // A retired service disappears for customers (list, page and request form) but not for staff.
        let shown = desk.get("/api/v1/services/product-question", &admin).await.json;
        let mut input = input_of(&shown);
        input["active"] = json!(false);
        let retired = put_at(&desk, "/api/v1/services/product-question", &admin, 1, &input).await;
        assert_eq!((retired.status.as_u16(), retired.json["active"].as_bool()), (200, Some(false)));
        assert_eq!(slugs(&desk, &erin, "").await, ["order-problem", "store-feedback"]);
        assert!(!slugs(&desk, &bea, "").await.contains(&"product-question".to_owned()));
        assert_eq!(slugs(&desk, &admin, "").await, everything);
        let missing = desk.get("/api/v1/services/no-such-service", &erin).await;
        let hidden = desk.get("/api/v1/services/product-question", &erin).await;
        assert_eq!((hidden.status.as_u16(), &hidden.body), (404, &missing.body));
        let ask = json!({"subject": "Beans?", "body": "Which?", "service": "product-question"});
        let refused = desk.post("/api/v1/tickets", &erin, &ask).await;
        assert_invalid(&refused, &[("service", "no such service")]);
        let casey = desk.token("casey@harbor.example").await;
        let mut on_behalf = ask.clone();
        on_behalf["requester"] = json!({"email": "erin@example.com"});
        let staff = desk.post("/api/v1/tickets", &casey, &on_behalf).await;
        assert_invalid(&staff, &[("service", "this service no longer takes requests")]);
        // Staff may not open an internal service's request for an outsider either.
        on_behalf["service"] = json!("till-or-laptop");
        let outsider = desk.post("/api/v1/tickets", &casey, &on_behalf).await;
        assert_invalid(&outsider, &[("service", "this service is not offered to external requesters")]);
    }
);

test_both!(
    async fn customers_request_only_what_is_offered_and_set_no_agent_fields(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let (erin, olga, bea) = (
            desk.token("erin@example.com").await,
            desk.token("olga@bayside.example").await,
            desk.token("bea@harbor.example").await,
        );
        let open = |service: Value| {
            let mut body = json!({"subject": "Help", "body": "Please."});
            body.as_object_mut().unwrap().extend(service.as_object().unwrap().clone());
            body
        };
        // An unoffered service is answered exactly like one that does not exist.
        let unknown = desk.post("/api/v1/tickets", &erin, &open(json!({"service": "no-such-thing"}))).await;
        assert_invalid(&unknown, &[("service", "no such service")]);
        for (token, slug) in [
            (&erin, "till-or-laptop"),
            (&erin, "employee-discount"),
            (&olga, "employee-discount"),
            (&bea, "order-problem"),
        ] {
            let refused = desk.post("/api/v1/tickets", token, &open(json!({"service": slug}))).await;
            assert_eq!((refused.status.as_u16(), &refused.body), (422, &unknown.body), "{slug} leaks");
        }
        let till = desk.get("/api/v1/services/till-or-laptop", &admin).await.json["id"].as_i64().unwrap();
        let by_id = desk.post("/api/v1/tickets", &erin, &open(json!({"service_id": till}))).await;
        let ghost = desk.post("/api/v1/tickets", &erin, &open(json!({"service_id": 987_654}))).await;
        assert_eq!((by_id.status.as_u16(), &by_id.body), (422, &ghost.body));
        assert_invalid(&by_id, &[("service_id", "no such service")]);

        // Agent-only fields are refused outright, whoever the customer.
        let person = async |email: &str| {
            desk.get(&format!("/api/v1/people?q={email}"), &admin).await.json["items"][0]["id"].clone()
        };
        let (casey, sam) = (person("casey@").await, person("sam@").await);
        let care = team_id(&desk, &admin, "care").await;
        let agent_only = json!([{"priority": "urgent"}, {"team_id": care}, {"assignee_id": casey}, {"tags": ["vip"]},
            {"follower_ids": [sam]}, {"requester": {"email": "someone@example.com"}}, {"recipient": {"id": sam}}]);
        for field in agent_only.as_array().unwrap() {
            let mut body = open(json!({"service": "product-question"}));
            body.as_object_mut().unwrap().extend(field.as_object().unwrap().clone());
            for token in [&erin, &bea] {
                let refused = desk.post("/api/v1/tickets", token, &body).await;
                assert_error(&refused, 403, "forbidden");
                assert!(refused.json["error"]["message"].as_str().unwrap().starts_with("only agents may set: "));
            }
        }
        let all = desk.get("/api/v1/tickets?limit=100", &admin).await.json["items"].as_array().unwrap().len();
        assert_eq!(all, tandem_app::seed::DEMO_TICKETS, "the demo's tickets only: nothing refused was created");
    }
);
