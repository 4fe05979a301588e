//! The authorization matrix: every endpoint of `/api/v1`, called by every kind of person.
//!
//! Roles, always in this order in the tables below:
//! erin (external customer), olga (external, organization access), bea (employee of `stores`),
//! agent (Cody, a plain agent of Customer Care: the team of Erin's tickets), other (Ivan, lead of
//! IT: an agent of another team), lead (Casey, lead of Customer Care) and admin.
//!
//! A forbidden read answers 404 with the very body a missing id gets; a forbidden write on
//! something the caller can see answers 403. `0` in a table means "not called here".

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Erin,
    Olga,
    Bea,
    Agent,
    Other,
    Lead,
    Admin,
}
use Who::*;

const ROLES: [Who; 7] = [Erin, Olga, Bea, Agent, Other, Lead, Admin];
const GHOST: i64 = 987_654;
const NOTE_TEXT: &str = "Finance approved a goodwill refund; do not promise more";
const NOTE_FILE: &str = "finance-approval.txt";

/// The demo desk, plus Cody (a plain Care agent), two tickets of Erin's and one of Bea's, a public
/// reply with a file and an internal note with a file.
struct World {
    desk: TestApp,
    tokens: Vec<String>,
    /// Person ids, by role.
    ids: Vec<i64>,
    sam: i64,
    care: i64,
    bayside: i64,
    rule: i64,
    erin_ticket: i64,
    erin_second: i64,
    bea_ticket: i64,
    reply_file: i64,
    note_file: i64,
}

const EMAILS: [&str; 7] = [
    "erin@example.com",
    "olga@bayside.example",
    "bea@harbor.example",
    "cody@harbor.example",
    "ivan@harbor.example",
    "casey@harbor.example",
    "admin@harbor.example",
];

impl World {
    async fn new(backend: TestBackend) -> World {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let teams = desk.get("/api/v1/teams", &admin).await.json;
        let care = teams.as_array().unwrap().iter().find(|t| t["slug"] == "care").unwrap()["id"].as_i64().unwrap();
        let cody = json!({"email": EMAILS[3], "name": "Cody Care", "kind": "employee", "department_id": care});
        let cody = created(desk.post("/api/v1/people", &admin, &cody).await)["id"].clone();
        let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &admin, &json!({"role": "agent"})).await;
        assert_eq!(member.status, 200, "{:?}", member.json);
        let (mut tokens, mut ids) = (Vec::new(), Vec::new());
        for email in EMAILS {
            tokens.push(desk.token(email).await);
            ids.push(desk.get("/api/v1/me", tokens.last().unwrap()).await.json["id"].as_i64().unwrap());
        }
        let sam = desk.get("/api/v1/people?q=sam@", &admin).await.json["items"][0]["id"].as_i64().unwrap();
        let organizations = desk.get("/api/v1/organizations", &admin).await.json;
        let bayside = organizations["items"].as_array().unwrap().iter().find(|o| o["name"] == "Bayside Offices");
        let rule = desk.get("/api/v1/routing-rules", &admin).await.json[0]["id"].as_i64().unwrap();
        let open = async |who: usize, subject: &str, service: &str, fields: Value| {
            let new = json!({"subject": subject, "body": "Please help.", "service": service, "fields": fields});
            created(desk.post("/api/v1/tickets", &tokens[who], &new).await)["ticket"]["id"].as_i64().unwrap()
        };
        let order = json!({"order_number": "HB-20001", "problem": "Damaged"});
        let mut world = World {
            erin_ticket: open(0, "Torn bags", "order-problem", order.clone()).await,
            erin_second: open(0, "Torn bags again", "order-problem", order).await,
            bea_ticket: open(2, "Laptop fan is loud", "till-or-laptop", json!({"device": "Laptop"})).await,
            bayside: bayside.unwrap()["id"].as_i64().unwrap(),
            sam,
            care,
            rule,
            reply_file: 0,
            note_file: 0,
            tokens,
            ids,
            desk,
        };
        world.reply_file = world.post_with_file(Agent, "Sorry! Here is the return label.", "public", "label.txt").await;
        world.note_file = world.post_with_file(Agent, NOTE_TEXT, "internal", NOTE_FILE).await;
        world
    }

    fn id(&self, who: Who) -> i64 {
        self.ids[who as usize]
    }

    fn token(&self, who: Who) -> &str {
        &self.tokens[who as usize]
    }

    /// Uploads a file as `who` and posts it on Erin's ticket with a message; returns the file's id.
    async fn post_with_file(&self, who: Who, body: &str, visibility: &str, filename: &str) -> i64 {
        let file = self.upload(who, filename, body.as_bytes()).await;
        assert_eq!(file.status, 201, "{:?}", file.json);
        let id = file.json["id"].as_i64().unwrap();
        let message = json!({"body": body, "visibility": visibility, "attachment_ids": [id]});
        let path = format!("/api/v1/tickets/{}/messages", self.erin_ticket);
        assert_eq!(self.desk.post(&path, self.token(who), &message).await.status, 201);
        id
    }

    async fn upload(&self, who: Who, filename: &str, bytes: &[u8]) -> TestResponse {
        let request = axum::http::Request::post(format!("/api/v1/uploads?filename={filename}"))
            .header("authorization", format!("Bearer {}", self.token(who)))
            .header("content-type", "text/plain")
            .body(axum::body::Body::from(bytes.to_vec()))
            .unwrap();
        self.desk.raw(request).await
    }

    /// The current version of what `path` shows (read as the admin), for If-Match.
    async fn version(&self, path: &str) -> String {
        let json = self.desk.get(path, self.token(Admin)).await.json;
        let version = json["version"].as_i64().or(json["ticket"]["version"].as_i64()).expect("a versioned resource");
        format!("\"{version}\"")
    }

    /// Sends `row`'s request to `path` as `who`.
    async fn send(&self, who: Who, row: &Row, path: &str, if_match: Option<&str>) -> TestResponse {
        let headers: Vec<(&str, &str)> = if_match.map(|version| ("if-match", version)).into_iter().collect();
        self.desk.send_with(row.method.clone(), path, Some(self.token(who)), row.body.as_ref(), &headers).await
    }

    /// Runs one row of the matrix: each role in turn, with the expected status (0 skips the role).
    async fn check(&self, row: Row, expect: [u16; 7]) {
        for (who, status) in ROLES.into_iter().zip(expect).filter(|(_, status)| *status != 0) {
            let if_match = match &row.version_from {
                Some(path) => Some(self.version(path).await),
                None => row.if_match.clone(),
            };
            let got = self.send(who, &row, &row.path, if_match.as_deref()).await;
            let what = format!("{who:?} {} {}", row.method, row.path);
            assert_eq!(got.status.as_u16(), status, "{what}: {:?}", got.json);
            match status {
                403 => assert_eq!(got.error_code(), "forbidden", "{what}"),
                404 => assert_eq!(got.error_code(), "not_found", "{what}"),
                _ => {}
            }
            if status == 404
                && let Some(ghost) = &row.ghost
            {
                let missing = self.send(who, &row, ghost, if_match.as_deref()).await;
                assert_eq!(missing.status.as_u16(), 404, "{who:?} {ghost}");
                assert_eq!(String::from_utf8_lossy(&got.body), String::from_utf8_lossy(&missing.body), "{what} leaks");
            }
        }
    }
}

/// One request of the matrix.
struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    /// A path that differs only by a missing id: a 404 must look exactly like it.
    ghost: Option<String>,
    /// Read If-Match from this path before each call…
    version_from: Option<String>,
    /// …or send this one.
    if_match: Option<String>,
}

fn row(method: Method, path: impl Into<String>) -> Row {
    Row { method, path: path.into(), body: None, ghost: None, version_from: None, if_match: None }
}

impl Row {
    fn body(mut self, body: Value) -> Row {
        self.body = Some(body);
        self
    }

    fn ghost(mut self, ghost: impl Into<String>) -> Row {
        self.ghost = Some(ghost.into());
        self
    }

    fn versioned(mut self, path: impl Into<String>) -> Row {
        self.version_from = Some(path.into());
        self
    }
}

fn created(response: TestResponse) -> Value {
    assert_eq!(response.status, 201, "{:?}", response.json);
    response.json
}

/// A customer's view: no internal note, no note file, no staff email or id, no agent-only field.
fn assert_customer_safe(response: &TestResponse) {
    let text = String::from_utf8_lossy(&response.body);
    for secret in [NOTE_TEXT, NOTE_FILE, "@harbor.example", "\"internal\"", "\"priority\"", "\"tags\"", "\"audience\""]
    {
        assert!(!text.contains(secret), "{secret} leaks into {text}");
    }
    walk_customer_json(&response.json);
}

fn walk_customer_json(value: &Value) {
    let people = ["requester", "recipient", "assignee", "author", "followers"];
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let persons = if key == "followers" { inner.as_array().unwrap().clone() } else { vec![inner.clone()] };
                for person in persons.iter().filter(|person| people.contains(&key.as_str()) && person.is_object()) {
                    assert!(person.get("id").is_none() && person.get("email").is_none(), "{key}: {person}");
                }
                assert!(key != "view" || inner == "customer", "{map:?}");
                walk_customer_json(inner);
            }
        }
        Value::Array(items) => items.iter().for_each(walk_customer_json),
        _ => {}
    }
}

test_both!(
    async fn anonymous_callers_get_401_everywhere_but_the_public_doors(backend: TestBackend) {
        let desk = TestApp::new(backend).await;
        let guarded = "DELETE /sessions/current GET /me GET /people POST /people GET /people/1 PATCH /people/1 \
            GET /organizations POST /organizations GET /organizations/1 PUT /organizations/1 \
            GET /teams POST /teams GET /teams/1 PUT /teams/1 GET /teams/1/members PUT /teams/1/members/1 \
            DELETE /teams/1/members/1 GET /services POST /services GET /services/order-problem \
            PUT /services/order-problem GET /routing-rules POST /routing-rules PUT /routing-rules/1 \
            DELETE /routing-rules/1 GET /tickets POST /tickets GET /tickets/1 PATCH /tickets/1 \
            POST /tickets/1/take POST /tickets/1/merge GET /tickets/1/events POST /tickets/1/followers \
            DELETE /tickets/1/followers/1 GET /tickets/1/messages POST /tickets/1/messages \
            POST /uploads?filename=a.txt GET /attachments/1 \
            GET /calendars POST /calendars PUT /calendars/1 GET /standards POST /standards PUT /standards/1";
        let words: Vec<&str> = guarded.split_whitespace().collect();
        let body = json!({});
        for pair in words.chunks(2) {
            let (method, path) = (pair[0].parse::<Method>().unwrap(), format!("/api/v1{}", pair[1]));
            for token in [None, Some("tdm_not-a-real-token"), Some("garbage")] {
                let response =
                    desk.send_with(method.clone(), &path, token, Some(&body), &[("if-match", "\"1\"")]).await;
                assert_eq!(response.status, 401, "{method} {path} with {token:?}: {:?}", response.json);
                assert_eq!(response.error_code(), "unauthorized", "{method} {path}");
                assert_eq!(response.headers["www-authenticate"], "Bearer", "{method} {path}");
            }
        }
        let health = desk.send(Method::GET, "/healthz", None, None).await;
        assert_eq!((health.status.as_u16(), &health.json), (200, &json!({"status": "ok"})));
        let openapi = desk.send(Method::GET, "/api/openapi.json", None, None).await;
        assert_eq!(openapi.status, 200);
        assert!(openapi.json["paths"]["/api/v1/tickets/{id}"].is_object(), "{:?}", openapi.json["paths"]);
    }
);

test_both!(
    async fn signing_in_and_out_and_who_am_i(backend: TestBackend) {
        let world = World::new(backend).await;
        let desk = &world.desk;
        let login = |password: &str| json!({"email": "Erin@Example.com", "password": password});
        let wrong = desk.send(Method::POST, "/api/v1/sessions", None, Some(&login("nope"))).await;
        assert_eq!((wrong.status.as_u16(), wrong.error_code()), (401, "unauthorized"));
        let session = desk.send(Method::POST, "/api/v1/sessions", None, Some(&login("demo"))).await;
        assert_eq!(session.status, 201, "{:?}", session.json);
        assert_eq!(session.json["person_id"], world.id(Erin));
        let token = session.json["token"].as_str().unwrap();
        assert_eq!(desk.get("/api/v1/me", token).await.json["email"], "erin@example.com");
        assert_eq!(desk.delete("/api/v1/sessions/current", token).await.status, 204);
        assert_eq!(desk.get("/api/v1/me", token).await.status, 401, "a revoked session is refused");

        for who in ROLES {
            let me = desk.get("/api/v1/me", world.token(who)).await.json;
            let kind = if matches!(who, Erin | Olga) { "external" } else { "employee" };
            let faces = (me["email"].as_str(), me["kind"].as_str(), me["is_agent"].as_bool(), me["is_admin"].as_bool());
            let is_agent = matches!(who, Agent | Other | Lead);
            assert_eq!(faces, (Some(EMAILS[who as usize]), Some(kind), Some(is_agent), Some(who == Admin)), "{who:?}");
        }
        let cody = desk.get("/api/v1/me", world.token(Agent)).await.json;
        assert_eq!(cody["teams"], json!([{"team_id": world.care, "role": "agent"}]));
    }
);

test_both!(
    async fn directory_matrix(backend: TestBackend) {
        let w = World::new(backend).await;
        let (erin, bea, casey, care, bayside) = (w.id(Erin), w.id(Bea), w.id(Lead), w.care, w.bayside);
        let bayside_input = json!({"name": "Bayside Offices", "domain": "bayside.example"});
        let care_input = json!({"slug": "care", "name": "Customer Care", "kind": "team", "is_provider": true});
        let employee = json!({"email": "new@harbor.example", "name": "New Hire", "kind": "employee"});
        //                                                                      erin olga bea agent other lead admin
        w.check(row(Method::GET, "/api/v1/people"), [404, 404, 404, 200, 200, 200, 200]).await;
        w.check(row(Method::POST, "/api/v1/people").body(employee), [403, 403, 403, 403, 403, 403, 0]).await;
        let casey_row = || row(Method::GET, format!("/api/v1/people/{casey}")).ghost(format!("/api/v1/people/{GHOST}"));
        w.check(casey_row(), [404, 404, 404, 200, 200, 200, 200]).await;
        let erin_row = || row(Method::GET, format!("/api/v1/people/{erin}")).ghost(format!("/api/v1/people/{GHOST}"));
        w.check(erin_row(), [200, 404, 404, 200, 200, 200, 200]).await;
        let patch = |id: i64| {
            let path = format!("/api/v1/people/{id}");
            row(Method::PATCH, &path).body(json!({})).ghost(format!("/api/v1/people/{GHOST}")).versioned(path)
        };
        // People may read themselves, so a customer changing their own record is forbidden, not missing.
        w.check(patch(bea), [404, 404, 403, 403, 403, 403, 200]).await;
        w.check(patch(erin), [403, 404, 404, 200, 200, 200, 200]).await;

        w.check(row(Method::GET, "/api/v1/organizations"), [404, 404, 404, 200, 200, 200, 200]).await;
        let organization = |method: Method| {
            row(method, format!("/api/v1/organizations/{bayside}")).ghost(format!("/api/v1/organizations/{GHOST}"))
        };
        w.check(organization(Method::GET), [404, 404, 404, 200, 200, 200, 200]).await;
        w.check(organization(Method::PUT).body(bayside_input.clone()), [404, 404, 404, 200, 200, 200, 200]).await;
        let new_org = json!({"name": "Someone New"});
        w.check(row(Method::POST, "/api/v1/organizations").body(new_org), [403, 403, 403, 0, 0, 0, 0]).await;

        w.check(row(Method::GET, "/api/v1/teams"), [404, 404, 404, 200, 200, 200, 200]).await;
        let team = json!({"slug": "new-team", "name": "New", "kind": "team"});
        w.check(row(Method::POST, "/api/v1/teams").body(team), [403, 403, 403, 403, 403, 403, 0]).await;
        let team = |method: Method, tail: &str| {
            row(method, format!("/api/v1/teams/{care}{tail}")).ghost(format!("/api/v1/teams/{GHOST}{tail}"))
        };
        w.check(team(Method::GET, ""), [404, 404, 404, 200, 200, 200, 200]).await;
        w.check(team(Method::PUT, "").body(care_input), [404, 404, 404, 403, 403, 200, 200]).await;
        w.check(team(Method::GET, "/members"), [404, 404, 404, 200, 200, 200, 200]).await;
        let cody = format!("/members/{}", w.id(Agent));
        w.check(team(Method::PUT, &cody).body(json!({"role": "agent"})), [404, 404, 404, 403, 403, 200, 200]).await;
        // Bea is no member, and no team has the ghost id: those who may manage members are told which.
        let bea_member = format!("/members/{bea}");
        w.check(team(Method::DELETE, &bea_member), [404, 404, 404, 403, 403, 0, 0]).await;
        let path = |team: i64| format!("/api/v1/teams/{team}/members/{bea}");
        w.check(row(Method::DELETE, path(care)), [0, 0, 0, 0, 0, 404, 404]).await;
        w.check(row(Method::DELETE, path(GHOST)), [0, 0, 0, 404, 404, 404, 404]).await;
    }
);

test_both!(
    async fn catalog_and_routing_matrix(backend: TestBackend) {
        let w = World::new(backend).await;
        let service = |slug: &str| format!("/api/v1/services/{slug}");
        let get = |slug: &str| row(Method::GET, service(slug)).ghost(service("no-such-service"));
        //                                                        erin olga bea agent other lead admin
        w.check(row(Method::GET, "/api/v1/services"), [200, 200, 200, 200, 200, 200, 200]).await;
        w.check(get("till-or-laptop"), [404, 404, 200, 200, 200, 200, 200]).await;
        w.check(get("employee-discount"), [404, 404, 200, 200, 200, 200, 200]).await;
        w.check(get("order-problem"), [200, 200, 404, 200, 200, 200, 200]).await;
        w.check(get("product-question"), [200, 200, 200, 200, 200, 200, 200]).await;
        let new = json!({"slug": "gift-cards", "name": "Gift cards", "team_id": w.care, "audience": "both"});
        w.check(row(Method::POST, "/api/v1/services").body(new), [403, 403, 403, 403, 403, 0, 0]).await;
        let admin = w.token(Admin);
        for (slug, expect) in [
            // Erin sees order-problem, so may not change it (403); Bea does not see it (404).
            ("order-problem", [403, 403, 404, 403, 403, 200, 200]),
            ("till-or-laptop", [404, 404, 403, 403, 200, 403, 200]),
        ] {
            let mut input = w.desk.get(&service(slug), admin).await.json;
            for key in ["id", "version", "created_at", "updated_at"] {
                input.as_object_mut().unwrap().remove(key);
            }
            w.check(Row { method: Method::PUT, ..get(slug) }.body(input).versioned(service(slug)), expect).await;
        }

        let rules = "/api/v1/routing-rules";
        let rule = format!("{rules}/{}", w.rule);
        let rule_input = json!({"name": "Tagged", "conditions": {"subject_words": ["espresso"]},
                                "actions": {"add_tags": ["coffee"]}});
        let by_id = |method: Method| row(method, &rule).ghost(format!("{rules}/{GHOST}"));
        w.check(row(Method::GET, rules), [404, 404, 404, 200, 200, 200, 200]).await;
        w.check(row(Method::POST, rules).body(rule_input.clone()), [403, 403, 403, 403, 403, 403, 0]).await;
        let listed = w.desk.get(rules, admin).await.json;
        let version = &listed.as_array().unwrap().iter().find(|r| r["id"] == w.rule).unwrap()["version"];
        // Only the admin's call (the last) gets past the role check, so one version does.
        let put = Row { if_match: Some(format!("\"{version}\"")), ..by_id(Method::PUT).body(rule_input) };
        w.check(put, [404, 404, 404, 403, 403, 403, 200]).await;
        w.check(by_id(Method::DELETE), [404, 404, 404, 403, 403, 403, 0]).await;
        assert_eq!(w.desk.delete(&rule, admin).await.status, 204);
        assert_eq!(w.desk.delete(&rule, admin).await.status, 404);
    }
);

test_both!(
    async fn ticket_matrix(backend: TestBackend) {
        let w = World::new(backend).await;
        let (mine, second, beas) = (w.erin_ticket, w.erin_second, w.bea_ticket);
        let ticket = |id: i64, tail: &str| {
            row(Method::GET, format!("/api/v1/tickets/{id}{tail}")).ghost(format!("/api/v1/tickets/{GHOST}{tail}"))
        };
        let with = |id: i64, method: Method, tail: &str, body: Value| Row { method, ..ticket(id, tail) }.body(body);
        let note = json!({"body": "Checked the courier scan.", "visibility": "internal"});
        let sam = json!({"person_id": w.sam});
        //                                                                        erin olga bea agent other lead admin
        w.check(row(Method::GET, "/api/v1/tickets"), [200, 200, 200, 200, 200, 200, 200]).await;
        // Each opens a request for themselves: the service's audience decides (details in catalog.rs).
        let open = |service: &str, fields: Value| {
            let body = json!({"subject": "Help", "body": "Please.", "service": service, "fields": fields});
            row(Method::POST, "/api/v1/tickets").body(body)
        };
        let order = json!({"order_number": "HB-1"});
        w.check(open("order-problem", order), [201, 201, 422, 422, 422, 422, 422]).await;
        w.check(open("till-or-laptop", json!({"device": "Till"})), [422, 422, 201, 201, 201, 201, 201]).await;
        w.check(open("employee-discount", json!({})), [422, 422, 201, 201, 201, 201, 201]).await;
        w.check(ticket(mine, ""), [200, 404, 404, 200, 404, 200, 200]).await;
        w.check(ticket(beas, ""), [404, 404, 200, 404, 200, 404, 200]).await;
        let noop = with(mine, Method::PATCH, "", json!({})).versioned(format!("/api/v1/tickets/{mine}"));
        w.check(noop, [403, 404, 404, 200, 404, 200, 200]).await;
        let raise =
            with(beas, Method::PATCH, "", json!({"priority": "low"})).versioned(format!("/api/v1/tickets/{beas}"));
        w.check(raise, [404, 404, 403, 404, 0, 404, 0]).await;
        w.check(with(mine, Method::POST, "/take", json!(null)), [403, 404, 404, 0, 404, 0, 403]).await;
        w.check(with(mine, Method::POST, "/merge", json!({"into": second})), [403, 404, 404, 0, 404, 0, 0]).await;
        w.check(with(mine, Method::POST, "/merge", json!({"into": beas})), [404, 404, 404, 404, 404, 404, 0]).await;
        w.check(ticket(mine, "/events"), [403, 404, 404, 200, 404, 200, 200]).await;
        w.check(with(mine, Method::POST, "/followers", sam), [403, 404, 404, 204, 404, 204, 204]).await;
        let unfollow = format!("/followers/{}", w.sam);
        w.check(with(mine, Method::DELETE, &unfollow, json!(null)), [403, 404, 404, 0, 404, 0, 0]).await;
        w.check(ticket(mine, "/messages"), [200, 404, 404, 200, 404, 200, 200]).await;
        w.check(with(mine, Method::POST, "/messages", note), [403, 404, 404, 201, 404, 201, 201]).await;
        let reply = json!({"body": "Any news?"});
        w.check(with(beas, Method::POST, "/messages", reply), [404, 404, 201, 404, 201, 404, 201]).await;

        let file = |id: i64| {
            row(Method::GET, format!("/api/v1/attachments/{id}")).ghost(format!("/api/v1/attachments/{GHOST}"))
        };
        w.check(file(w.note_file), [404, 404, 404, 200, 404, 200, 200]).await;
        w.check(file(w.reply_file), [200, 404, 404, 200, 404, 200, 200]).await;
        let draft = w.upload(Erin, "draft.txt", b"not posted yet").await;
        assert_eq!(draft.status, 201, "{:?}", draft.json);
        let draft = draft.json["id"].as_i64().unwrap();
        // An upload that is not posted yet belongs to its uploader alone.
        w.check(file(draft), [200, 404, 404, 404, 404, 404, 404]).await;
        for who in ROLES {
            assert_eq!(w.upload(who, "x.txt", b"x").await.status, 201, "{who:?} may upload");
        }
        let note = format!("/api/v1/attachments/{}", w.note_file);
        assert!(!String::from_utf8_lossy(&w.desk.get(&note, w.token(Erin)).await.body).contains("goodwill"));
        let downloaded = w.desk.get(&note, w.token(Agent)).await;
        assert_eq!(String::from_utf8_lossy(&downloaded.body), NOTE_TEXT);
    }
);

test_both!(
    async fn agents_work_their_own_teams_tickets_only(backend: TestBackend) {
        let w = World::new(backend).await;
        let (desk, mine) = (&w.desk, w.erin_ticket);
        let path = format!("/api/v1/tickets/{mine}");
        let taken = desk.post(&format!("{path}/take"), w.token(Agent), &json!(null)).await;
        assert_eq!(taken.status, 200, "{:?}", taken.json);
        assert_eq!(taken.json["assignee"], json!({"id": w.id(Agent), "name": "Cody Care"}));
        let again = desk.post(&format!("{path}/take"), w.token(Lead), &json!(null)).await;
        assert_eq!((again.status.as_u16(), again.error_code()), (409, "already_assigned"));

        // Ivan (IT) cannot move Erin's ticket, reassign it, or even see it; the admin can.
        let version = taken.json["version"].as_i64().unwrap();
        let moved = desk.patch(&path, w.token(Other), version, &json!({"assignee_id": null})).await;
        assert_eq!(moved.status, 404);
        let to_it = desk.patch(&path, w.token(Lead), version, &json!({"priority": "high", "tags": ["vip"]})).await;
        assert_eq!(to_it.status, 200, "{:?}", to_it.json);
        assert_eq!((to_it.json["priority"].as_str(), to_it.json["tags"].clone()), (Some("high"), json!(["vip"])));

        let merged = desk.post(&format!("{path}/merge"), w.token(Agent), &json!({"into": w.erin_second})).await;
        assert_eq!(merged.status, 200, "{:?}", merged.json);
        assert_eq!(merged.json["id"], w.erin_second);
        // After the merge Erin still sees none of the notes, and the note's file stays hidden.
        let seen = desk.get(&format!("/api/v1/tickets/{}", w.erin_second), w.token(Erin)).await;
        assert_eq!(seen.status, 200);
        assert_customer_safe(&seen);
        assert!(!String::from_utf8_lossy(&seen.body).contains("merged into"), "the merge note is internal");
        let file = desk.get(&format!("/api/v1/attachments/{}", w.note_file), w.token(Erin)).await;
        assert_eq!(file.status, 404);
        let agent_view = desk.get(&format!("/api/v1/tickets/{}", w.erin_second), w.token(Agent)).await;
        let bodies = agent_view.json["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap());
        assert!(bodies.clone().any(|body| body == NOTE_TEXT), "agents keep the note");
        assert!(bodies.clone().any(|body| body.contains("was merged into this ticket")));

        // A follower sees the customer view; they can stop following, and then see nothing.
        let bea = w.token(Bea);
        let follow = desk.post(&format!("{path}/followers"), w.token(Agent), &json!({"person_id": w.id(Bea)})).await;
        assert_eq!(follow.status, 204);
        let followed = desk.get(&path, bea).await;
        assert_eq!(followed.status, 200);
        assert_customer_safe(&followed);
        let other = desk.delete(&format!("{path}/followers/{}", w.sam), bea).await;
        assert_eq!(other.status, 403, "a follower may only remove themselves");
        assert_eq!(desk.delete(&format!("{path}/followers/{}", w.id(Bea)), bea).await.status, 204);
        assert_eq!(desk.get(&path, bea).await.status, 404);
        let events = desk.get(&format!("{path}/events?limit=100"), w.token(Admin)).await;
        let kinds: Vec<&str> =
            events.json["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        for kind in
            ["created", "assigned", "priority_changed", "tags_changed", "merged", "follower_added", "follower_removed"]
        {
            assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
        }
    }
);

test_both!(
    async fn customer_views_never_show_notes_or_staff(backend: TestBackend) {
        let w = World::new(backend).await;
        let desk = &w.desk;
        let mine = format!("/api/v1/tickets/{}", w.erin_ticket);
        for path in [mine.clone(), format!("{mine}/messages"), "/api/v1/tickets?limit=100".to_owned()] {
            let response = desk.get(&path, w.token(Erin)).await;
            assert_eq!(response.status, 200, "{path}");
            assert_customer_safe(&response);
        }
        let seen = desk.get(&mine, w.token(Erin)).await.json;
        assert_eq!(seen["ticket"]["view"], "customer");
        let messages = seen["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2, "the request and the public reply: {messages:?}");
        assert_eq!(messages[1]["author"], json!({"name": "Cody Care"}), "the agent's display name only");
        let files: Vec<&Value> = messages.iter().flat_map(|m| m["attachments"].as_array().unwrap()).collect();
        assert_eq!(files.len(), 1);
        assert_eq!((files[0]["id"].as_i64(), files[0]["filename"].as_str()), (Some(w.reply_file), Some("label.txt")));

        let posted = desk.post(&format!("{mine}/messages"), w.token(Erin), &json!({"body": "Thanks!"})).await;
        assert_eq!(posted.status, 201);
        assert_customer_safe(&posted);
        let solved = desk.get(&mine, w.token(Erin)).await.json["ticket"]["version"].as_i64().unwrap();
        let solved = desk.patch(&mine, w.token(Erin), solved, &json!({"status": "solved"})).await;
        assert_eq!(solved.status, 200);
        assert_customer_safe(&solved);

        // Bea's own request: the customer view as well, though she is an employee.
        let beas = desk.get(&format!("/api/v1/tickets/{}", w.bea_ticket), w.token(Bea)).await;
        assert_customer_safe(&beas);
        assert_eq!(beas.json["ticket"]["team"]["slug"], "it");

        // The agent's view has everything the customer's lacks.
        let agent = desk.get(&mine, w.token(Agent)).await.json;
        assert_eq!(agent["ticket"]["view"], "agent");
        assert_eq!(agent["ticket"]["requester"]["email"], "erin@example.com");
        assert!(agent["ticket"]["priority"].is_string() && agent["ticket"]["tags"].is_array());
        let notes = agent["messages"].as_array().unwrap().iter().filter(|m| m["visibility"] == "internal").count();
        assert_eq!(notes, 1);
        let events = desk.get(&format!("{mine}/events"), w.token(Erin)).await;
        assert_eq!((events.status.as_u16(), events.error_code()), (403, "forbidden"), "the audit trail is for agents");
    }
);

test_both!(
    async fn ticket_lists_are_scoped_per_role(backend: TestBackend) {
        let w = World::new(backend).await;
        let desk = &w.desk;
        let ids = async |who: Who, query: &str| -> Vec<i64> {
            let page = desk.get(&format!("/api/v1/tickets?limit=100{query}"), w.token(who)).await;
            assert_eq!(page.status, 200, "{:?}", page.json);
            assert!(page.json["next_cursor"].is_null());
            let mut ids: Vec<i64> =
                page.json["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
            ids.sort();
            ids
        };
        let everything = ids(Admin, "").await;
        assert_eq!(everything.len(), tandem_app::seed::DEMO_TICKETS + 3, "the demo's tickets and 3 new ones");
        assert_eq!(ids(Erin, "").await, ids(Admin, &format!("&requester_id={}", w.id(Erin))).await);
        assert!(ids(Erin, "").await.contains(&w.erin_ticket));
        assert_eq!(ids(Bea, "").await, ids(Admin, &format!("&requester_id={}", w.id(Bea))).await);
        assert_eq!(ids(Bea, "&scope=work").await, ids(Bea, "").await, "customers cannot ask for a queue");
        assert_eq!(ids(Erin, &format!("&requester_id={}", w.id(Bea))).await, Vec::<i64>::new());
        let care = ids(Admin, &format!("&team_id={}", w.care)).await;
        assert_eq!(ids(Agent, "").await, care);
        assert_eq!(ids(Lead, "").await, care);
        let it = ids(Other, "").await;
        assert!(it.contains(&w.bea_ticket) && !it.contains(&w.erin_ticket));
        assert_eq!(ids(Agent, "&team_id=999").await, Vec::<i64>::new(), "a filter never widens the scope");
        for who in [Erin, Olga, Bea] {
            let page = desk.get("/api/v1/tickets?limit=100", w.token(who)).await;
            assert_customer_safe(&page);
        }
        // An agent asking another team for help is that team's customer: no notes, not in their queue.
        let laptop = json!({"subject": "Laptop slow", "body": "Very.", "service": "till-or-laptop", "fields": {"device": "Laptop"}});
        let own = created(desk.post("/api/v1/tickets", w.token(Lead), &laptop).await)["ticket"]["id"].as_i64().unwrap();
        let note = json!({"body": NOTE_TEXT, "visibility": "internal"});
        assert_eq!(desk.post(&format!("/api/v1/tickets/{own}/messages"), w.token(Other), &note).await.status, 201);
        assert_customer_safe(&desk.get(&format!("/api/v1/tickets/{own}"), w.token(Lead)).await);
        assert!(ids(Lead, "&scope=requested").await.contains(&own) && !ids(Lead, "").await.contains(&own));
        assert_customer_safe(&desk.get("/api/v1/tickets?limit=100&scope=requested", w.token(Lead)).await);
        let staff = desk.get("/api/v1/tickets?limit=100", w.token(Agent)).await.json;
        assert!(staff["items"].as_array().unwrap().iter().all(|t| t["view"] == "agent" && t["team"]["slug"] == "care"));
    }
);

test_both!(
    async fn organization_access_shares_an_organizations_tickets(backend: TestBackend) {
        let w = World::new(backend).await;
        let desk = &w.desk;
        let bob = json!({"email": "bob@bayside.example", "name": "Bob Bayside", "kind": "external",
                         "organization_id": w.bayside});
        created(desk.post("/api/v1/people", w.token(Admin), &bob).await);
        let bob = desk.token("bob@bayside.example").await;
        let ask = json!({"subject": "Invoice copy", "body": "Please resend it.", "service": "product-question"});
        let bobs = created(desk.post("/api/v1/tickets", &bob, &ask).await)["ticket"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{bobs}");
        let olga = desk.get(&path, w.token(Olga)).await;
        assert_eq!(olga.status, 200, "Olga has organization access");
        assert_customer_safe(&olga);
        assert_eq!(desk.get(&path, w.token(Erin)).await.status, 404);
        let listed = desk.get("/api/v1/tickets?limit=100", w.token(Olga)).await.json;
        assert!(listed["items"].as_array().unwrap().iter().any(|t| t["id"] == bobs));
        // Bob has no organization access: Olga's tickets stay hers.
        let bobs_list = desk.get("/api/v1/tickets?limit=100", &bob).await.json;
        assert_eq!(bobs_list["items"].as_array().unwrap().iter().map(|t| t["id"].clone()).collect::<Vec<_>>(), [bobs]);
        let olgas = desk.get("/api/v1/tickets?limit=100", w.token(Olga)).await.json;
        let olgas = olgas["items"].as_array().unwrap().iter().find(|t| t["id"] != bobs).unwrap()["id"].clone();
        assert_eq!(desk.get(&format!("/api/v1/tickets/{olgas}"), &bob).await.status, 404);
        // Olga may reply on Bob's ticket but not add notes or take it.
        let note = json!({"body": "psst", "visibility": "internal"});
        assert_eq!(desk.post(&format!("{path}/messages"), w.token(Olga), &note).await.status, 403);
        assert_eq!(
            desk.post(&format!("{path}/messages"), w.token(Olga), &json!({"body": "Sent it."})).await.status,
            201
        );
        assert_eq!(desk.get(&format!("{path}/messages"), &bob).await.json["items"].as_array().unwrap().len(), 2);
    }
);

test_both!(
    async fn customers_may_only_mark_their_ticket_solved(backend: TestBackend) {
        let w = World::new(backend).await;
        let desk = &w.desk;
        let erin = w.token(Erin);
        let path = format!("/api/v1/tickets/{}", w.erin_ticket);
        let version = desk.get(&path, erin).await.json["ticket"]["version"].as_i64().unwrap();
        let refusals = json!([{"status": "open"}, {"status": "closed"}, {"status": "solved", "subject": "Mine now"},
            {"status": "solved", "priority": "urgent"}, {"status": "solved", "add_tags": ["vip"]},
            {"assignee_id": null}, {"fields": {"order_number": "HB-1"}}]);
        for refused in refusals.as_array().unwrap() {
            let response = desk.patch(&path, erin, version, refused).await;
            assert_eq!((response.status.as_u16(), response.error_code()), (403, "forbidden"), "{refused}");
        }
        let solve = json!({"status": "solved"});
        let unversioned = desk.send(Method::PATCH, &path, Some(erin), Some(&solve)).await;
        assert_eq!((unversioned.status.as_u16(), unversioned.error_code()), (428, "precondition_required"));
        let stale = desk.patch(&path, erin, version - 1, &solve).await;
        assert_eq!((stale.status.as_u16(), stale.error_code()), (409, "version_conflict"));
        let solved = desk.patch(&path, erin, version, &solve).await;
        assert_eq!(solved.status, 200, "{:?}", solved.json);
        assert_eq!(
            (solved.json["status"].as_str(), solved.json["version"].as_i64()),
            (Some("solved"), Some(version + 1))
        );
        assert_eq!(solved.headers["etag"], format!("\"{}\"", version + 1));

        // A note is refused and leaves no trace; a reply reopens the solved ticket.
        let note = json!({"body": "Sneaky note", "visibility": "internal"});
        let refused = desk.post(&format!("{path}/messages"), erin, &note).await;
        assert_eq!((refused.status.as_u16(), refused.error_code()), (403, "forbidden"));
        let agent_view = desk.get(&path, w.token(Agent)).await.json;
        assert!(!agent_view["messages"].as_array().unwrap().iter().any(|m| m["body"] == "Sneaky note"));
        let pending = json!({"body": "hm", "status": "pending_internal"});
        assert_eq!(desk.post(&format!("{path}/messages"), erin, &pending).await.status, 403);
        let reply = desk.post(&format!("{path}/messages"), erin, &json!({"body": "Actually, one more thing"})).await;
        assert_eq!((reply.status.as_u16(), reply.json["ticket"]["status"].as_str()), (201, Some("open")));
    }
);
