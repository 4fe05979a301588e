//! The ticket lifecycle through the API: statuses, priorities, tags, custom fields, followers, the
//! recipient, merging, the audit trail, list filters and cursor pagination, and attachments.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

/// The demo desk with tokens for the people these tests act as.
struct Desk {
    desk: TestApp,
    admin: String,
    casey: String,
    erin: String,
    olga: String,
    sol: String,
}

impl Desk {
    async fn new(backend: TestBackend) -> Desk {
        let desk = TestApp::demo(backend).await;
        let token = |email: &'static str| desk.token(email);
        let (admin, casey) = (token("admin@harbor.example").await, token("casey@harbor.example").await);
        let (erin, olga, sol) = (
            token("erin@example.com").await,
            token("olga@bayside.example").await,
            token("sol@sunrisebeans.example").await,
        );
        Desk { desk, admin, casey, erin, olga, sol }
    }

    async fn id_of(&self, token: &str) -> i64 {
        self.desk.get("/api/v1/me", token).await.json["id"].as_i64().unwrap()
    }

    /// Opens a ticket and returns its id.
    async fn open(&self, token: &str, body: Value) -> i64 {
        let created = self.desk.post("/api/v1/tickets", token, &body).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        created.json["ticket"]["id"].as_i64().unwrap()
    }

    async fn show(&self, token: &str, id: i64) -> TestResponse {
        self.desk.get(&format!("/api/v1/tickets/{id}"), token).await
    }

    async fn say(&self, token: &str, id: i64, message: Value) -> TestResponse {
        self.desk.post(&format!("/api/v1/tickets/{id}/messages"), token, &message).await
    }

    /// PATCH at the version the caller reads now.
    async fn change(&self, token: &str, id: i64, changes: Value) -> TestResponse {
        let version = self.show(token, id).await.json["ticket"]["version"].as_i64().unwrap();
        self.desk.patch(&format!("/api/v1/tickets/{id}"), token, version, &changes).await
    }

    async fn merge(&self, id: i64, into: i64, token: &str) -> TestResponse {
        self.desk.post(&format!("/api/v1/tickets/{id}/merge"), token, &json!({"into": into})).await
    }

    async fn events(&self, id: i64) -> Vec<Value> {
        let page = self.desk.get(&format!("/api/v1/tickets/{id}/events?limit=100"), &self.casey).await;
        assert_eq!(page.status, 200, "{:?}", page.json);
        page.json["items"].as_array().unwrap().clone()
    }

    /// The ids of a ticket list, with the page's cursor.
    async fn list(&self, token: &str, query: &str) -> (Vec<i64>, Option<String>) {
        let page = self.desk.get(&format!("/api/v1/tickets?{query}"), token).await;
        assert_eq!(page.status, 200, "{query}: {:?}", page.json);
        let ids = page.json["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
        (ids, page.json["next_cursor"].as_str().map(str::to_owned))
    }

    async fn upload(&self, token: &str, filename: &str, content_type: &str, data: &[u8]) -> TestResponse {
        let request = Request::post(format!("/api/v1/uploads?filename={filename}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(Body::from(data.to_vec()))
            .unwrap();
        self.desk.raw(request).await
    }
}

fn order(subject: &str) -> Value {
    json!({"subject": subject, "body": "Wrong beans.", "service": "order-problem", "fields": {"order_number": "HB-1"}})
}

fn bodies(detail: &TestResponse) -> Vec<&str> {
    detail.json["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect()
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().map(|event| event["kind"].as_str().unwrap()).collect()
}

#[track_caller]
fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!((response.status.as_u16(), response.error_code()), (status, code), "{:?}", response.json);
}

#[track_caller]
fn assert_invalid(response: &TestResponse, field: &str) {
    assert_error(response, 422, "invalid");
    let fields: Vec<&String> = response.json["error"]["fields"].as_object().unwrap().keys().collect();
    assert_eq!(fields, [field], "{:?}", response.json);
}

test_both!(
    async fn statuses_follow_the_conversation_and_closed_is_final(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let id = d.open(&d.erin, order("Status walk")).await;
        let status = |response: &TestResponse| response.json["ticket"]["status"].as_str().unwrap().to_owned();
        assert_eq!(status(&d.show(&d.erin, id).await), "new");
        assert_eq!(status(&d.say(&d.casey, id, json!({"body": "n", "visibility": "internal"})).await), "new");
        assert_eq!(status(&d.say(&d.erin, id, json!({"body": "hello?"})).await), "new");
        let first = d.say(&d.casey, id, json!({"body": "On it."})).await;
        assert_eq!(status(&first), "open");
        assert!(d.show(&d.casey, id).await.json["ticket"]["first_responded_at"].is_string());
        let asked = d.say(&d.casey, id, json!({"body": "Which box?", "status": "pending_customer"})).await;
        assert_eq!(status(&asked), "pending_customer");
        assert_eq!(
            status(&d.say(&d.casey, id, json!({"body": "n2", "visibility": "internal"})).await),
            "pending_customer"
        );
        assert_eq!(status(&d.say(&d.erin, id, json!({"body": "The blue one."})).await), "open");
        assert_eq!(
            d.change(&d.casey, id, json!({"status": "pending_internal"})).await.json["status"],
            "pending_internal"
        );
        assert_eq!(status(&d.say(&d.erin, id, json!({"body": "Any news?"})).await), "pending_internal");
        let solved = d.change(&d.casey, id, json!({"status": "solved"})).await;
        assert_eq!((solved.json["status"].as_str(), solved.json["solved_at"].is_string()), (Some("solved"), true));
        let reopened = d.say(&d.erin, id, json!({"body": "Still wrong."})).await;
        assert_eq!(status(&reopened), "open");
        assert!(reopened.json["ticket"]["solved_at"].is_null());

        assert_invalid(&d.change(&d.casey, id, json!({"status": "new"})).await, "status");
        assert_invalid(&d.change(&d.casey, id, json!({"status": "archived"})).await, "status");
        assert_error(&d.change(&d.erin, id, json!({"status": "open"})).await, 403, "forbidden");
        assert_error(&d.change(&d.erin, id, json!({"status": "solved", "priority": "low"})).await, 403, "forbidden");
        assert_error(&d.say(&d.erin, id, json!({"body": "x", "visibility": "internal"})).await, 403, "forbidden");
        assert_eq!(d.change(&d.erin, id, json!({"status": "solved"})).await.json["status"], "solved");
        let closed = d.change(&d.casey, id, json!({"status": "closed"})).await;
        assert_eq!(closed.json["status"], "closed");
        assert!(closed.json["solved_at"].is_string(), "closing keeps when it was solved");

        assert_error(&d.say(&d.erin, id, json!({"body": "Hello?"})).await, 409, "ticket_closed");
        assert_error(&d.say(&d.casey, id, json!({"body": "n", "visibility": "internal"})).await, 409, "ticket_closed");
        assert_error(&d.change(&d.casey, id, json!({"status": "open"})).await, 409, "ticket_closed");
        assert_error(&d.change(&d.casey, id, json!({"priority": "high"})).await, 409, "ticket_closed");
        assert_error(&d.change(&d.erin, id, json!({"status": "solved"})).await, 409, "ticket_closed");
        let moves: Vec<String> = d
            .events(id)
            .await
            .iter()
            .filter(|event| event["kind"] == "status_changed")
            .map(|event| {
                format!("{}>{}", event["data"]["from"].as_str().unwrap(), event["data"]["to"].as_str().unwrap())
            })
            .collect();
        let expected = [
            "new>open",
            "open>pending_customer",
            "pending_customer>open",
            "open>pending_internal",
            "pending_internal>solved",
            "solved>open",
            "open>solved",
            "solved>closed",
        ];
        assert_eq!(moves, expected);
    }
);

test_both!(
    async fn priorities_tags_and_custom_fields(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let mut body = order("Fields and tags");
        body["fields"] = json!({"order_number": "  HB-9 ", "problem": "Late"});
        let id = d.open(&d.erin, body).await;
        let agent = d.show(&d.casey, id).await.json["ticket"].clone();
        assert_eq!(
            (&agent["priority"], &agent["fields"]),
            (&json!("normal"), &json!({"order_number": "HB-9", "problem": "Late"}))
        );
        let customer = d.show(&d.erin, id).await.json["ticket"].clone();
        assert!(customer.get("priority").is_none() && customer.get("tags").is_none(), "{customer}");

        assert_eq!(d.change(&d.casey, id, json!({"priority": "urgent"})).await.json["priority"], "urgent");
        assert_invalid(&d.change(&d.casey, id, json!({"priority": "extreme"})).await, "priority");

        let tagged = d.change(&d.casey, id, json!({"tags": [" Wrong Order ", "VIP", "vip"]})).await;
        assert_eq!(tagged.json["tags"], json!(["vip", "wrong-order"]));
        let tagged = d.change(&d.casey, id, json!({"add_tags": ["Late"], "remove_tags": ["VIP"]})).await;
        assert_eq!(tagged.json["tags"], json!(["late", "wrong-order"]));
        assert_invalid(&d.change(&d.casey, id, json!({"add_tags": ["<b>"]})).await, "add_tags");
        for tag in ["wrong-order", "WRONG-ORDER", "Wrong%20Order", "%20late%20"] {
            assert_eq!(d.list(&d.casey, &format!("tag={tag}")).await.0, [id], "tag={tag}");
        }
        assert_eq!(d.list(&d.casey, "tag=vip").await.0, Vec::<i64>::new());

        let fields = |response: &TestResponse| response.json["fields"].clone();
        let changed = d.change(&d.casey, id, json!({"fields": {"problem": "Damaged"}})).await;
        assert_eq!(fields(&changed), json!({"order_number": "HB-9", "problem": "Damaged"}));
        let cleared = d.change(&d.casey, id, json!({"fields": {"problem": null}})).await;
        assert_eq!(fields(&cleared), json!({"order_number": "HB-9"}));
        assert_invalid(&d.change(&d.casey, id, json!({"fields": {"order_number": null}})).await, "fields.order_number");
        assert_invalid(&d.change(&d.casey, id, json!({"fields": {"colour": "red"}})).await, "fields.colour");
        assert_invalid(&d.change(&d.casey, id, json!({"fields": {"problem": "Stolen"}})).await, "fields.problem");
        assert_invalid(&d.change(&d.casey, id, json!({"fields": {"order_number": 42}})).await, "fields.order_number");
        let create = |fields: Value| json!({"subject": "s", "body": "b", "service": "order-problem", "fields": fields});
        for (fields, field) in [
            (json!({}), "fields.order_number"),
            (json!({"order_number": "HB-2", "colour": "red"}), "fields.colour"),
            (json!({"order_number": "two\nlines"}), "fields.order_number"),
        ] {
            assert_invalid(&d.desk.post("/api/v1/tickets", &d.erin, &create(fields)).await, field);
        }
        let no_form = json!({"subject": "s", "body": "b", "team_id": agent["team"]["id"], "fields": {"x": 1}});
        assert_invalid(&d.desk.post("/api/v1/tickets", &d.casey, &no_form).await, "fields");

        let events = d.events(id).await;
        let of =
            |kind: &str| events.iter().filter(|e| e["kind"] == kind).map(|e| e["data"].clone()).collect::<Vec<_>>();
        assert_eq!(of("priority_changed"), [json!({"from": "normal", "to": "urgent"})]);
        assert_eq!(of("tags_changed").len(), 2);
        assert_eq!(of("tags_changed")[1], json!({"added": ["late"], "removed": ["vip"]}));
        assert_eq!(of("fields_changed").len(), 2);
        assert_eq!(of("fields_changed")[1]["to"], json!({"order_number": "HB-9"}));
    }
);

test_both!(
    async fn followers_and_the_recipient_see_the_ticket(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let erin_id = d.id_of(&d.erin).await;
        let olga_id = d.id_of(&d.olga).await;
        let id = d.open(&d.olga, order("Office order, copy Erin")).await;
        let followers = format!("/api/v1/tickets/{id}/followers");
        assert_error(&d.show(&d.erin, id).await, 404, "not_found");
        assert_error(&d.desk.post(&followers, &d.olga, &json!({"person_id": erin_id})).await, 403, "forbidden");
        assert_invalid(&d.desk.post(&followers, &d.casey, &json!({"person_id": 999_999})).await, "person_id");
        assert_eq!(d.desk.post(&followers, &d.casey, &json!({"person_id": erin_id})).await.status, 204);
        assert_eq!(d.desk.post(&followers, &d.casey, &json!({"person_id": erin_id})).await.status, 204);
        let agent = d.show(&d.casey, id).await;
        assert_eq!(agent.json["followers"], json!([{"id": erin_id, "name": "Erin Consumer"}]));

        let seen = d.show(&d.erin, id).await;
        assert_eq!((seen.status.as_u16(), &seen.json["ticket"]["view"]), (200, &json!("customer")));
        d.say(&d.casey, id, json!({"body": "Courier note", "visibility": "internal"})).await;
        assert!(!bodies(&d.show(&d.erin, id).await).contains(&"Courier note"));
        assert!(d.list(&d.erin, "").await.0.contains(&id));
        assert_eq!(d.say(&d.erin, id, json!({"body": "Following along."})).await.status, 201);

        let mine = format!("{followers}/{erin_id}");
        assert_eq!(d.desk.delete(&mine, &d.erin).await.status, 204, "a follower may stop following");
        assert_error(&d.show(&d.erin, id).await, 404, "not_found");
        assert!(!d.list(&d.erin, "").await.0.contains(&id));
        assert_error(&d.desk.delete(&mine, &d.casey).await, 404, "not_found");
        assert_eq!(d.desk.post(&followers, &d.casey, &json!({"person_id": erin_id})).await.status, 204);
        assert_error(&d.desk.delete(&format!("{followers}/{olga_id}"), &d.erin).await, 403, "forbidden");
        assert_eq!(d.desk.delete(&mine, &d.casey).await.status, 204);
        assert_error(&d.show(&d.erin, id).await, 404, "not_found");
        let events = d.events(id).await;
        let follows: Vec<&str> = kinds(&events).into_iter().filter(|kind| kind.starts_with("follower")).collect();
        assert_eq!(follows, ["follower_added", "follower_removed", "follower_added", "follower_removed"]);

        // For someone else: Olga buys, Erin is the one it is for.
        let mut gift = order("Gift box for Erin");
        gift["requester"] = json!({"id": olga_id});
        gift["recipient"] = json!({"email": "ERIN@example.com"});
        let gift = d.open(&d.casey, gift).await;
        let seen = d.show(&d.erin, gift).await;
        assert_eq!((seen.status.as_u16(), &seen.json["ticket"]["view"]), (200, &json!("customer")));
        assert_eq!(seen.json["ticket"]["recipient"], json!({"name": "Erin Consumer"}));
        assert_eq!(d.show(&d.casey, gift).await.json["ticket"]["recipient"]["id"], erin_id);
        assert!(d.list(&d.erin, "").await.0.contains(&gift));
        assert_error(&d.show(&d.sol, gift).await, 404, "not_found");
        assert!(d.change(&d.casey, gift, json!({"recipient_id": null})).await.json["recipient"].is_null());
        assert_error(&d.show(&d.erin, gift).await, 404, "not_found");
        let events = d.events(gift).await;
        assert!(kinds(&events).contains(&"recipient_changed"));
    }
);

test_both!(
    async fn merging_moves_the_conversation_and_closes_the_duplicate(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let erin_id = d.id_of(&d.erin).await;
        let source = d.open(&d.erin, order("Decaf, first mail")).await;
        let target = d.open(&d.olga, order("Decaf for the office")).await;
        d.say(&d.casey, source, json!({"body": "Reply on the duplicate."})).await;
        d.change(&d.casey, source, json!({"add_tags": ["decaf"]})).await;
        assert_invalid(&d.merge(source, source, &d.casey).await, "into");
        assert_error(&d.merge(source, target, &d.erin).await, 404, "not_found");
        assert_error(&d.merge(source, 999_999, &d.casey).await, 404, "not_found");
        let merged = d.merge(source, target, &d.casey).await;
        assert_eq!(merged.status, 200, "{:?}", merged.json);
        assert_eq!(merged.json["id"], target);
        assert_eq!(merged.json["tags"], json!(["decaf"]));

        let old = d.show(&d.casey, source).await;
        assert_eq!(
            (&old.json["ticket"]["status"], &old.json["ticket"]["merged_into_id"]),
            (&json!("closed"), &json!(target))
        );
        assert_eq!(bodies(&old), [format!("This ticket was merged into #{target}.")]);
        let new = d.show(&d.casey, target).await;
        let note = format!("Ticket #{source} (Decaf, first mail) was merged into this ticket.");
        assert_eq!(bodies(&new), ["Wrong beans.", "Wrong beans.", "Reply on the duplicate.", note.as_str()]);
        assert!(new.json["followers"].as_array().unwrap().iter().any(|f| f["id"] == erin_id));
        let for_erin = d.show(&d.erin, target).await;
        assert_eq!((for_erin.status.as_u16(), &for_erin.json["ticket"]["view"]), (200, &json!("customer")));
        assert_eq!(bodies(&for_erin), ["Wrong beans.", "Wrong beans.", "Reply on the duplicate."]);

        let on_source: Vec<Value> = d.events(source).await.into_iter().filter(|e| e["kind"] == "merged").collect();
        assert_eq!(on_source.len(), 1);
        assert_eq!(on_source[0]["data"], json!({"into": target}));
        let on_target: Vec<Value> = d.events(target).await.into_iter().filter(|e| e["kind"] == "merged_from").collect();
        assert_eq!(on_target[0]["data"], json!({"from": source}));

        assert_error(&d.merge(source, target, &d.casey).await, 409, "already_merged");
        assert_error(&d.merge(target, source, &d.casey).await, 409, "already_merged");
        let other = d.open(&d.erin, order("Third")).await;
        assert_error(&d.merge(other, source, &d.casey).await, 409, "already_merged");
        let done = d.open(&d.erin, order("Closed one")).await;
        d.change(&d.casey, done, json!({"status": "closed"})).await;
        assert_error(&d.merge(other, done, &d.casey).await, 409, "ticket_closed");
        assert_eq!(d.show(&d.casey, other).await.json["ticket"]["status"], "new", "a refused merge changed nothing");
    }
);

test_both!(
    async fn every_change_leaves_an_event_with_actor_and_time(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let (casey_id, erin_id, olga_id) = (d.id_of(&d.casey).await, d.id_of(&d.erin).await, d.id_of(&d.olga).await);
        let id = d.open(&d.erin, order("Audit me")).await;
        let started = jiff::Timestamp::now();
        let taken = d.desk.send(Method::POST, &format!("/api/v1/tickets/{id}/take"), Some(&d.casey), None).await;
        assert_eq!(taken.status, 200, "{:?}", taken.json);
        let changes =
            json!({"status": "pending_customer", "priority": "high", "add_tags": ["x"], "fields": {"problem": "Late"}});
        assert_eq!(d.change(&d.casey, id, changes).await.status, 200);
        assert_eq!(d.say(&d.casey, id, json!({"body": "Which order?"})).await.status, 201);
        assert_eq!(d.say(&d.erin, id, json!({"body": "HB-1."})).await.status, 201);
        let path = format!("/api/v1/tickets/{id}/followers");
        assert_eq!(d.desk.post(&path, &d.casey, &json!({"person_id": olga_id})).await.status, 204);
        let duplicate = d.open(&d.erin, order("Audit me again")).await;
        assert_eq!(d.merge(duplicate, id, &d.casey).await.status, 200);

        let events = d.events(id).await;
        let trail: Vec<(&str, i64)> =
            events.iter().map(|e| (e["kind"].as_str().unwrap(), e["actor"]["id"].as_i64().unwrap())).collect();
        let expected = [
            ("created", erin_id),
            ("assigned", casey_id),
            ("status_changed", casey_id),
            ("priority_changed", casey_id),
            ("tags_changed", casey_id),
            ("fields_changed", casey_id),
            ("message_added", casey_id),
            ("message_added", erin_id),
            ("status_changed", erin_id),
            ("follower_added", casey_id),
            ("merged_from", casey_id),
        ];
        assert_eq!(trail, expected);
        let times: Vec<jiff::Timestamp> = events.iter().map(|e| e["at"].as_str().unwrap().parse().unwrap()).collect();
        assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{times:?}");
        assert!(times[1] >= started.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap());
        assert!(events.iter().all(|e| e["actor"]["name"].as_str().is_some_and(|name| !name.is_empty())));
        assert_eq!(events[1]["data"], json!({"assignee_id": casey_id, "how": "taken"}));
        let merged = d.events(duplicate).await;
        assert_eq!(kinds(&merged), ["created", "merged"]);

        let mut walked = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = d.desk.get(&format!("/api/v1/tickets/{id}/events?limit=4{cursor}"), &d.casey).await;
            walked.extend(page.json["items"].as_array().unwrap().iter().map(|e| e["id"].clone()));
            let Some(next) = page.json["next_cursor"].as_str() else { break };
            cursor = format!("&cursor={next}");
        }
        assert_eq!(walked, events.iter().map(|e| e["id"].clone()).collect::<Vec<_>>());
        assert_error(&d.desk.get(&format!("/api/v1/tickets/{id}/events"), &d.erin).await, 403, "forbidden");
        assert_error(&d.desk.get(&format!("/api/v1/tickets/{id}/events"), &d.sol).await, 404, "not_found");
    }
);

/// The ticket list filtered on the client, to compare with what the server filtered.
fn expect(all: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    all.iter().filter(|ticket| keep(ticket)).map(|ticket| ticket["id"].as_i64().unwrap()).collect()
}

test_both!(
    async fn list_filters_narrow_to_exactly_the_matching_tickets(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let (casey_id, erin_id) = (d.id_of(&d.casey).await, d.id_of(&d.erin).await);
        let services = d.desk.get("/api/v1/services", &d.admin).await.json;
        let order_service =
            services.as_array().unwrap().iter().find(|s| s["slug"] == "order-problem").unwrap()["id"].clone();
        let all = d.desk.get("/api/v1/tickets?limit=100", &d.admin).await.json;
        assert!(all["next_cursor"].is_null());
        let all = all["items"].as_array().unwrap().clone();
        let care = all.iter().find(|t| t["team"]["slug"] == "care").unwrap()["team"]["id"].clone();
        let checks: Vec<(String, Vec<i64>)> = vec![
            ("status=open".into(), expect(&all, |t| t["status"] == "open")),
            (
                "status=open,%20pending_customer".into(),
                expect(&all, |t| t["status"] == "open" || t["status"] == "pending_customer"),
            ),
            (format!("team_id={care}"), expect(&all, |t| t["team"]["id"] == care)),
            (format!("team_id={care}&status=new"), expect(&all, |t| t["team"]["id"] == care && t["status"] == "new")),
            ("assignee=none".into(), expect(&all, |t| t["assignee"].is_null())),
            (format!("assignee={casey_id}"), expect(&all, |t| t["assignee"]["id"] == casey_id)),
            (format!("requester_id={erin_id}"), expect(&all, |t| t["requester"]["id"] == erin_id)),
            ("audience=internal".into(), expect(&all, |t| t["audience"] == "internal")),
            (format!("service_id={order_service}"), expect(&all, |t| t["service"]["id"] == order_service)),
            ("tag=billing".into(), expect(&all, |t| t["tags"].as_array().unwrap().contains(&json!("billing")))),
        ];
        for (query, expected) in checks {
            assert!(!expected.is_empty() && expected.len() < all.len(), "{query} should narrow the demo: {expected:?}");
            assert_eq!(d.list(&d.admin, &format!("{query}&limit=100")).await.0, expected, "{query}");
        }
        let casey_work =
            d.desk.get("/api/v1/tickets?limit=100", &d.casey).await.json["items"].as_array().unwrap().clone();
        assert!(casey_work.iter().all(|t| t["team"]["id"] == care), "an agent's queue is their teams'");
        let mine = expect(&casey_work, |t| t["assignee"]["id"] == casey_id);
        assert!(!mine.is_empty());
        assert_eq!(d.list(&d.casey, "assignee=me&limit=100").await.0, mine);

        let stamp = |t: &Value| {
            (t["updated_at"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap(), t["id"].as_i64().unwrap())
        };
        let mut by_time: Vec<(jiff::Timestamp, i64)> = all.iter().map(stamp).collect();
        by_time.sort();
        let since = by_time[by_time.len() / 2].0;
        let expected: Vec<i64> = by_time.iter().filter(|(at, _)| *at >= since).map(|(_, id)| *id).collect();
        assert!(expected.len() < all.len());
        assert_eq!(
            d.list(&d.admin, &format!("updated_since={since}&limit=100")).await.0,
            expected,
            "oldest change first"
        );
    }
);

test_both!(
    async fn walking_a_queue_by_cursor_sees_every_ticket_once_in_order(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let casey = d.desk.principal("casey@harbor.example").await;
        let erin_id = d.id_of(&d.erin).await;
        let start = jiff::Timestamp::now().as_millisecond();
        let mut created = Vec::new();
        for index in 0..60 {
            let mut new = order(&format!("Batch {index}"));
            new["requester"] = json!({"id": erin_id});
            new["tags"] = json!(["batch"]);
            let new = serde_json::from_value(new).unwrap();
            // Groups of five share one instant: the order within a group rests on the id alone.
            let at = start + (index / 5) as i64;
            created.push(d.desk.app.create_ticket(&casey, new, None, at).await.unwrap().ticket.id.0);
        }
        let newest_first: Vec<i64> = created.iter().rev().copied().collect();
        for (query, expected) in
            [("tag=batch", newest_first), ("tag=batch&updated_since=2000-01-01T00:00:00Z", created)]
        {
            let (mut seen, mut pages, mut cursor) = (Vec::new(), 0, None::<String>);
            loop {
                let after = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
                let (ids, next) = d.list(&d.casey, &format!("{query}&limit=7{after}")).await;
                assert!(ids.len() == 7 || next.is_none(), "a short page before the end: {ids:?}");
                seen.extend(ids);
                pages += 1;
                match next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            assert_eq!(pages, 9, "{query}");
            assert_eq!(seen, expected, "{query}");
        }
    }
);

test_both!(
    async fn attachments_go_up_come_down_whole_and_stay_private(backend: TestBackend) {
        let d = Desk::new(backend).await;
        let id = d.open(&d.erin, order("Receipt attached")).await;
        let receipt: Vec<u8> = (0..=255).cycle().take(3000).collect();
        let up = d.upload(&d.erin, "..%2F..%2Freceipt.pdf", "application/PDF", &receipt).await;
        assert_eq!(up.status, 201, "{:?}", up.json);
        assert_eq!(
            (&up.json["filename"], &up.json["content_type"], &up.json["size"]),
            (&json!("receipt.pdf"), &json!("application/pdf"), &json!(3000))
        );
        let file = up.json["id"].as_i64().unwrap();
        let posted = d.say(&d.erin, id, json!({"body": "Here it is.", "attachment_ids": [file]})).await;
        assert_eq!(posted.status, 201, "{:?}", posted.json);
        assert_eq!(posted.json["message"]["attachments"][0]["id"], file);

        let download = format!("/api/v1/attachments/{file}");
        for token in [&d.casey, &d.erin] {
            let got = d.desk.get(&download, token).await;
            assert_eq!(got.status, 200);
            assert_eq!(got.body, receipt);
            assert_eq!(got.headers["content-type"], "application/pdf");
            let disposition = got.headers["content-disposition"].to_str().unwrap();
            assert!(disposition.starts_with("attachment; filename=\"receipt.pdf\""), "{disposition}");
            assert_eq!(got.headers["x-content-type-options"], "nosniff");
        }
        assert_error(&d.desk.get(&download, &d.olga).await, 404, "not_found");
        let again = d.say(&d.erin, id, json!({"body": "Once more.", "attachment_ids": [file]})).await;
        assert_invalid(&again, "attachment_ids");

        let casey_file = d.upload(&d.casey, "bin.txt", "text/plain", b"bin C-14").await.json["id"].as_i64().unwrap();
        assert_invalid(
            &d.say(&d.erin, id, json!({"body": "Mine now", "attachment_ids": [casey_file]})).await,
            "attachment_ids",
        );
        assert_error(&d.desk.get(&format!("/api/v1/attachments/{casey_file}"), &d.erin).await, 404, "not_found");
        let note = json!({"body": "Pick list", "visibility": "internal", "attachment_ids": [casey_file]});
        assert_eq!(d.say(&d.casey, id, note).await.status, 201);
        assert_error(&d.desk.get(&format!("/api/v1/attachments/{casey_file}"), &d.erin).await, 404, "not_found");
        assert_eq!(d.desk.get(&format!("/api/v1/attachments/{casey_file}"), &d.casey).await.body, b"bin C-14");
        assert!(!String::from_utf8_lossy(&d.show(&d.erin, id).await.body).contains("bin.txt"));

        let page = b"<html><script>alert(document.cookie)</script></html>";
        let html = d.upload(&d.erin, "page.html", "text/html; charset=utf-8", page).await.json["id"].as_i64().unwrap();
        let mut with_file = order("A page");
        with_file["attachment_ids"] = json!([html]);
        let ticket = d.desk.post("/api/v1/tickets", &d.erin, &with_file).await;
        assert_eq!(ticket.json["messages"][0]["attachments"][0]["id"], html);
        let served = d.desk.get(&format!("/api/v1/attachments/{html}"), &d.casey).await;
        assert_eq!((served.status.as_u16(), served.body.as_slice()), (200, page.as_slice()));
        assert!(served.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(served.headers["x-content-type-options"], "nosniff");
        assert!(served.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
        assert_error(&d.desk.get("/api/v1/attachments/999999", &d.casey).await, 404, "not_found");
    }
);
