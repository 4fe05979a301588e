//! Routing: rules (admins write them, staff read them) applied to every new ticket in order, the
//! first enabled match winning; the audit trail naming the rule; round robin and queues.

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

const ADMIN: &str = "admin@harbor.example";
const RULES: &str = "/api/v1/routing-rules";

fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!((response.status.as_u16(), response.error_code()), (status, code), "{:?}", response.json);
}

fn assert_invalid(response: &TestResponse, fields: &[&str]) {
    assert_error(response, 422, "invalid");
    let named: Vec<&str> = response.json["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(named, fields);
}

/// The demo desk and its admin's token.
async fn demo(backend: TestBackend) -> (TestApp, String) {
    let desk = TestApp::demo(backend).await;
    let admin = desk.token(ADMIN).await;
    (desk, admin)
}

async fn id_at(desk: &TestApp, admin: &str, path: &str) -> i64 {
    let found = desk.get(path, admin).await;
    assert_eq!(found.status, 200, "{path}: {:?}", found.json);
    found.json["id"].as_i64().or(found.json["items"][0]["id"].as_i64()).unwrap()
}

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

async fn create_rule(desk: &TestApp, admin: &str, rule: Value) -> Value {
    let created = desk.post(RULES, admin, &rule).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json
}

/// Opens a ticket as `token` and returns it as an agent (the admin) sees it.
async fn open(desk: &TestApp, token: &str, admin: &str, ticket: Value) -> Value {
    let created = desk.post("/api/v1/tickets", token, &ticket).await;
    assert_eq!(created.status, 201, "{ticket}: {:?}", created.json);
    let id = created.json["ticket"]["id"].as_i64().unwrap();
    desk.get(&format!("/api/v1/tickets/{id}"), admin).await.json["ticket"].clone()
}

fn ask(subject: &str, service: &str) -> Value {
    json!({"subject": subject, "body": "Details inside.", "service": service})
}

async fn events(desk: &TestApp, admin: &str, ticket: &Value) -> Vec<Value> {
    let page = desk.get(&format!("/api/v1/tickets/{}/events?limit=100", ticket["id"]), admin).await;
    assert_eq!(page.status, 200, "{:?}", page.json);
    page.json["items"].as_array().unwrap().clone()
}

/// Replaces a rule at version 1.
async fn put_rule(desk: &TestApp, admin: &str, rule: &Value, body: &Value) -> TestResponse {
    let path = format!("{RULES}/{}", rule["id"]);
    desk.send_with(Method::PUT, &path, Some(admin), Some(body), &[("if-match", "1")]).await
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().map(|event| event["kind"].as_str().unwrap()).collect()
}

test_both!(
    async fn only_admins_write_rules_and_staff_read_them(backend: TestBackend) {
        let (desk, admin) = demo(backend).await;
        let (casey, erin) = (desk.token("casey@harbor.example").await, desk.token("erin@example.com").await);
        let tagging = json!({"name": "Grinders", "conditions": {"subject_words": ["grinder"]}, "actions": {"add_tags": ["Grinder Help"]}});
        let last = create_rule(&desk, &admin, tagging.clone()).await;
        assert_eq!(last["position"], 30, "after the demo's rules at 10 and 20");
        assert_eq!((last["enabled"].as_bool(), last["version"].as_i64()), (Some(true), Some(1)));
        assert_eq!(last["actions"], json!({"add_tags": ["grinder-help"]}), "tags are normalized");
        assert_eq!(last["conditions"], json!({"subject_words": ["grinder"]}));
        let mut early = tagging.clone();
        early["position"] = json!(5);
        let first = create_rule(&desk, &admin, early).await;
        assert_error(&desk.post(RULES, &casey, &tagging).await, 403, "forbidden");
        assert_error(&desk.post(RULES, &erin, &tagging).await, 403, "forbidden");

        let positions =
            |list: &Value| list.as_array().unwrap().iter().map(|rule| rule["position"].clone()).collect::<Vec<_>>();
        let listed = desk.get(RULES, &casey).await;
        assert_eq!(listed.status, 200, "agents read the rules");
        assert_eq!(positions(&listed.json), [5, 10, 20, 30]);
        assert_error(&desk.get(RULES, &erin).await, 404, "not_found");

        let path = format!("{RULES}/{}", first["id"]);
        let mut change = tagging.clone();
        change["enabled"] = json!(false);
        change["name"] = json!("Grinders (paused)");
        assert_error(&desk.send(Method::PUT, &path, Some(&admin), Some(&change)).await, 428, "precondition_required");
        let put = async |token: &str, path: &str, version: &str| {
            desk.send_with(Method::PUT, path, Some(token), Some(&change), &[("if-match", version)]).await
        };
        assert_error(&put(&admin, &path, "\"2\"").await, 409, "version_conflict");
        assert_error(&put(&casey, &path, "\"1\"").await, 403, "forbidden");
        assert_error(&put(&admin, &format!("{RULES}/987654"), "\"1\"").await, 404, "not_found");
        let changed = put(&admin, &path, "\"1\"").await;
        assert_eq!(changed.status, 200, "{:?}", changed.json);
        let changed =
            [changed.json["version"].clone(), changed.json["enabled"].clone(), changed.json["position"].clone()];
        assert_eq!(changed, [json!(2), json!(false), json!(5)], "the position stays when none is given");

        assert_error(&desk.delete(&path, &casey).await, 403, "forbidden");
        assert_eq!(desk.delete(&path, &admin).await.status, 204);
        assert_error(&desk.delete(&path, &admin).await, 404, "not_found");
        assert_eq!(positions(&desk.get(RULES, &admin).await.json), [10, 20, 30]);
    }
);

test_both!(
    async fn rules_must_make_sense(backend: TestBackend) {
        let (desk, admin) = demo(backend).await;
        let stores = team_id(&desk, &admin, "stores").await;
        let accounting = team_id(&desk, &admin, "accounting").await;
        let casey = id_at(&desk, &admin, "/api/v1/people?q=casey@").await;
        let rule =
            |conditions: Value, actions: Value| json!({"name": "R", "conditions": conditions, "actions": actions});
        let cases = [
            (rule(json!({}), json!({})), vec!["actions"]),
            (rule(json!({}), json!({"assignee_id": casey})), vec!["actions.assignee_id"]),
            (rule(json!({}), json!({"team_id": stores})), vec!["actions.team_id"]),
            (rule(json!({}), json!({"team_id": 987_654})), vec!["actions.team_id"]),
            (rule(json!({}), json!({"team_id": accounting, "assignee_id": casey})), vec!["actions.assignee_id"]),
            (
                rule(json!({"subject_words": ["two words"]}), json!({"priority": "high"})),
                vec!["conditions.subject_words"],
            ),
            (rule(json!({}), json!({"add_tags": ["no/slashes"]})), vec!["actions.add_tags"]),
            (rule(json!({"colour": "red"}), json!({"priority": "high"})), vec!["conditions.colour"]),
            (rule(json!({"channels": ["pigeon"]}), json!({"priority": "high"})), vec!["conditions.channels[0]"]),
            (json!({"name": " ", "actions": {"priority": "high"}}), vec!["name"]),
        ];
        for (body, fields) in cases {
            assert_invalid(&desk.post(RULES, &admin, &body).await, &fields);
        }
        assert_eq!(desk.get(RULES, &admin).await.json.as_array().unwrap().len(), 2, "nothing refused was stored");
    }
);

test_both!(
    async fn the_first_enabled_matching_rule_wins(backend: TestBackend) {
        let (desk, admin) = demo(backend).await;
        let erin = desk.token("erin@example.com").await;
        let espresso = |name: &str, position: i64, enabled: bool, tag: &str, priority: &str| {
            json!({"name": name, "position": position, "enabled": enabled, "conditions": {"subject_words": ["espresso"]},
                   "actions": {"add_tags": [tag], "priority": priority}})
        };
        let paused = create_rule(&desk, &admin, espresso("Paused", 1, false, "paused", "high")).await;
        // Created out of order: the position decides, not the creation.
        let third = create_rule(&desk, &admin, espresso("Third", 3, true, "third", "urgent")).await;
        let second = create_rule(&desk, &admin, espresso("Second", 2, true, "second", "low")).await;

        let ticket = open(&desk, &erin, &admin, ask("My espresso is too bitter", "product-question")).await;
        assert_eq!((ticket["tags"].clone(), ticket["priority"].clone()), (json!(["second"]), json!("low")));
        let trail = events(&desk, &admin, &ticket).await;
        assert_eq!(kinds(&trail), ["created", "routed"]);
        assert_eq!(
            trail[1]["data"],
            json!({"rule_id": second["id"], "rule_name": "Second", "team_id": ticket["team"]["id"]})
        );
        assert_eq!(trail[1]["actor"]["name"], "Erin Consumer");

        let off = espresso("Second", 2, false, "second", "low");
        assert_eq!(put_rule(&desk, &admin, &second, &off).await.status, 200);
        let ticket = open(&desk, &erin, &admin, ask("Espresso, again", "product-question")).await;
        assert_eq!((ticket["tags"].clone(), ticket["priority"].clone()), (json!(["third"]), json!("urgent")));
        let trail = events(&desk, &admin, &ticket).await;
        assert_eq!(trail[1]["data"]["rule_id"], third["id"]);

        let on = espresso("Paused", 1, true, "paused", "high");
        assert_eq!(put_rule(&desk, &admin, &paused, &on).await.status, 200);
        let ticket = open(&desk, &erin, &admin, ask("Espresso once more", "product-question")).await;
        assert_eq!(ticket["tags"], json!(["paused"]));

        // Nothing matches: the service decides, and the trail says nothing of routing.
        let plain = open(&desk, &erin, &admin, ask("Is the decaf organic?", "product-question")).await;
        assert_eq!(
            (plain["tags"].clone(), plain["priority"].clone(), plain["team"]["slug"].clone()),
            (json!([]), json!("normal"), json!("care"))
        );
        assert_eq!(kinds(&events(&desk, &admin, &plain).await), ["created"]);
    }
);

test_both!(
    async fn each_condition_looks_at_its_fact(backend: TestBackend) {
        let (desk, admin) = demo(backend).await;
        let token = async |email: &str| desk.token(email).await;
        let (erin, olga, sol, bea, ivan) = (
            token("erin@example.com").await,
            token("olga@bayside.example").await,
            token("sol@sunrisebeans.example").await,
            token("bea@harbor.example").await,
            token("ivan@harbor.example").await,
        );
        let feedback = id_at(&desk, &admin, "/api/v1/services/store-feedback").await;
        let stores = team_id(&desk, &admin, "stores").await;
        let bayside = id_at(&desk, &admin, "/api/v1/organizations?limit=1").await;
        let via = |channel: &str| json!({"subject": "Hello", "body": "Hi.", "service": "product-question", "channel": channel});
        let question = ask("A question", "product-question");
        let cases = [
            (json!({"audience": "internal"}), (&bea, question.clone()), (&erin, question.clone())),
            (json!({"audience": "external"}), (&olga, question.clone()), (&bea, question.clone())),
            (
                json!({"service_ids": [feedback]}),
                (&erin, ask("Nice staff", "store-feedback")),
                (&erin, question.clone()),
            ),
            (json!({"channels": ["email", "phone"]}), (&erin, via("phone")), (&erin, via("web"))),
            (json!({"department_ids": [stores]}), (&bea, question.clone()), (&ivan, question.clone())),
            (json!({"organization_ids": [bayside]}), (&olga, question.clone()), (&sol, question.clone())),
            (
                json!({"subject_words": ["grinder"]}),
                (&erin, ask("The GRINDER jams!", "product-question")),
                (&erin, ask("grinders jam", "product-question")),
            ),
            (json!({"audience": "external", "channels": ["web"]}), (&sol, via("web")), (&sol, via("api"))),
        ];
        for (conditions, (hit_token, hit), (miss_token, miss)) in cases {
            let rule = json!({"name": "Probe", "position": 1, "conditions": conditions.clone(), "actions": {"add_tags": ["hit"]}});
            let rule = create_rule(&desk, &admin, rule).await;
            let matched = open(&desk, hit_token, &admin, hit).await;
            assert_eq!(matched["tags"], json!(["hit"]), "{conditions} should match {}", matched["subject"]);
            let missed = open(&desk, miss_token, &admin, miss).await;
            assert_eq!(missed["tags"], json!([]), "{conditions} should not match {}", missed["subject"]);
            assert_eq!(desk.delete(&format!("{RULES}/{}", rule["id"]), &admin).await.status, 204);
        }
    }
);

test_both!(
    async fn a_matching_rule_sets_team_priority_tags_and_assignee(backend: TestBackend) {
        let (desk, admin) = demo(backend).await;
        let accounting = team_id(&desk, &admin, "accounting").await;
        let ada = id_at(&desk, &admin, "/api/v1/people?q=ada@").await;
        let rule = json!({"name": "Invoices go to accounting", "position": 1, "conditions": {"subject_words": ["invoice"]},
                          "actions": {"team_id": accounting, "priority": "high", "add_tags": ["finance", "billing"], "assignee_id": ada}});
        let rule = create_rule(&desk, &admin, rule).await;
        let erin = desk.token("erin@example.com").await;
        let ticket = open(&desk, &erin, &admin, ask("Where is my invoice?", "product-question")).await;
        let decided = [&ticket["team"]["slug"], &ticket["priority"], &ticket["tags"], &ticket["assignee"]];
        assert_eq!(
            decided,
            [
                &json!("accounting"),
                &json!("high"),
                &json!(["billing", "finance"]),
                &json!({"id": ada, "name": "Ada Accounting"})
            ]
        );
        let trail = events(&desk, &admin, &ticket).await;
        assert_eq!(kinds(&trail), ["created", "routed", "assigned"]);
        assert_eq!(
            trail[1]["data"],
            json!({"rule_id": rule["id"], "rule_name": "Invoices go to accounting", "team_id": accounting})
        );
        assert_eq!(trail[2]["data"], json!({"assignee_id": ada, "how": "rule"}));
        // Erin sees where her request went, not how it was labelled.
        let seen = desk.get(&format!("/api/v1/tickets/{}", ticket["id"]), &erin).await.json;
        assert_eq!(seen["ticket"]["team"]["slug"], "accounting");
        assert_eq!(seen["ticket"]["assignee"], json!({"name": "Ada Accounting"}));
        assert!(seen["ticket"].get("tags").is_none() && seen["ticket"].get("priority").is_none());

        // What an agent sets explicitly wins; the rule's assignee only comes with the rule's team.
        let casey = desk.token("casey@harbor.example").await;
        let care = team_id(&desk, &admin, "care").await;
        let mut explicit = ask("Invoice copy for Erin", "product-question");
        explicit["requester"] = json!({"email": "erin@example.com"});
        explicit["team_id"] = json!(care);
        explicit["priority"] = json!("low");
        explicit["tags"] = json!(["phone"]);
        let ticket = open(&desk, &casey, &admin, explicit).await;
        let decided = [&ticket["team"]["slug"], &ticket["priority"], &ticket["tags"], &ticket["assignee"]];
        assert_eq!(decided, [&json!("care"), &json!("low"), &json!(["billing", "finance", "phone"]), &json!(null)]);
        assert_eq!(ticket["channel"], "api");
    }
);

/// A provider team of three agents (in id order) with a service open to everyone.
async fn field_team(desk: &TestApp, admin: &str) -> (i64, Vec<i64>) {
    let team = json!({"slug": "field", "name": "Field Service", "kind": "team", "is_provider": true});
    let team = desk.post("/api/v1/teams", admin, &team).await.json["id"].as_i64().unwrap();
    let mut agents = Vec::new();
    for name in ["Finn", "Flo", "Fay"] {
        let person =
            json!({"email": format!("{}@harbor.example", name.to_lowercase()), "name": name, "kind": "employee"});
        let person = desk.post("/api/v1/people", admin, &person).await.json["id"].as_i64().unwrap();
        let member =
            desk.put(&format!("/api/v1/teams/{team}/members/{person}"), admin, &json!({"role": "agent"})).await;
        assert_eq!(member.status, 200);
        agents.push(person);
    }
    let service = json!({"slug": "site-visit", "name": "Site visit", "team_id": team, "audience": "both"});
    assert_eq!(desk.post("/api/v1/services", admin, &service).await.status, 201);
    (team, agents)
}

async fn set_assignment(desk: &TestApp, admin: &str, team: i64, assignment: &str) {
    let input = json!({"slug": "field", "name": "Field Service", "kind": "team", "is_provider": true, "assignment": assignment});
    let updated = desk.put(&format!("/api/v1/teams/{team}"), admin, &input).await;
    assert_eq!((updated.status.as_u16(), updated.json["assignment"].as_str()), (200, Some(assignment)));
}

test_both!(
    async fn round_robin_takes_turns_among_available_agents(backend: TestBackend) {
        let (desk, admin) = demo(backend).await;
        let (team, agents) = field_team(&desk, &admin).await;
        let (finn, flo, fay) = (agents[0], agents[1], agents[2]);
        let bea = desk.token("bea@harbor.example").await;
        let next = async |count: usize| {
            let mut assignees = Vec::new();
            for _ in 0..count {
                let ticket = open(&desk, &bea, &admin, ask("The coffee machine leaks", "site-visit")).await;
                assignees.push(ticket["assignee"]["id"].as_i64().unwrap_or(0));
            }
            assignees
        };
        // A queue leaves tickets for agents to take.
        let queued = open(&desk, &bea, &admin, ask("Door sticks", "site-visit")).await;
        assert_eq!(queued["assignee"], json!(null));
        assert_eq!(kinds(&events(&desk, &admin, &queued).await), ["created"]);

        set_assignment(&desk, &admin, team, "round_robin").await;
        assert_eq!(next(6).await, [finn, flo, fay, finn, flo, fay]);
        let ticket = open(&desk, &bea, &admin, ask("Another leak", "site-visit")).await;
        let trail = events(&desk, &admin, &ticket).await;
        assert_eq!(
            (kinds(&trail), trail[1]["data"].clone()),
            (vec!["created", "assigned"], json!({"assignee_id": finn, "how": "round_robin"}))
        );

        // Flo steps away: she is skipped until she is back.
        let member = |person: i64| format!("/api/v1/teams/{team}/members/{person}");
        desk.put(&member(flo), &admin, &json!({"role": "agent", "available": false})).await;
        assert_eq!(next(4).await, [fay, finn, fay, finn]);
        desk.put(&member(flo), &admin, &json!({"role": "agent", "available": true})).await;
        assert_eq!(next(1).await, [flo]);
        // Flo, the last assignee, leaves the team: the turn passes to whoever came after her.
        assert_eq!(desk.delete(&member(flo), &admin).await.status, 204);
        assert_eq!(next(3).await, [fay, finn, fay]);
        // Nobody available: the ticket waits in the queue.
        for person in [finn, fay] {
            desk.put(&member(person), &admin, &json!({"role": "agent", "available": false})).await;
        }
        assert_eq!(next(1).await, [0]);
        desk.put(&member(finn), &admin, &json!({"role": "agent", "available": true})).await;
        set_assignment(&desk, &admin, team, "queue").await;
        assert_eq!(next(2).await, [0, 0], "back to a queue");
    }
);
