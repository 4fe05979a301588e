//! Incidents through the API on the demo desk: tickets of both audiences linked by hand and by
//! match rules, updates reaching each ticket once in its audience's voice, solving with the linked
//! tickets, the conflicts and refusals with their codes, and who may do what.
//!
//! The test incident belongs to Customer Care. Roles: Erin (external customer), Bea (employee),
//! Ivan (lead of IT: staff of another team), Cody (a plain Care agent), Casey (lead of Care), admin.

use axum::http::Method;
use serde_json::Value;
use tandem_app::incidents::DeliverIncidentUpdate;
use tandem_app::jobs::{Job, JobContext, Registry, WorkerOptions};
use tandem_app::mail::{Outbound, OutboundSettings, SmtpSender};
use tandem_app::tickets::NewTicket;
use tandem_domain::{IncidentUpdateId, TicketId};
use tandem_testkit::TestResponse;

use super::*;
use crate::mail::smtp_sink::SmtpSink;

const ERIN: &str = "erin@example.com";
const BEA: &str = "bea@harbor.example";
const IVAN: &str = "ivan@harbor.example";
const CODY: &str = "cody@harbor.example";
const CASEY: &str = "casey@harbor.example";
const ADMIN: &str = "admin@harbor.example";

const EXTERNAL: &str = "Card payments are failing in our stores; we are on it.";
const INTERNAL: &str = "Tills reject cards: take cash or the spare reader in the back office.";
const NOTE: &str = "Acquirer says their gateway is down; ETA unknown";

struct Desk {
    desk: TestApp,
    care: i64,
    it: i64,
}

impl Desk {
    /// The demo desk with Cody, a plain agent of Customer Care.
    async fn new(backend: TestBackend) -> Desk {
        Desk::on(TestApp::demo(backend).await).await
    }

    /// [`Desk::new`] over a demo desk that sends its email through `sink`.
    async fn sending_to(backend: TestBackend, sink: &SmtpSink) -> Desk {
        let sender = SmtpSender::new(&sink.account()).expect("an SMTP transport");
        let settings =
            OutboundSettings { public_url: "http://desk.harbor.example".into(), acknowledge: false, from: None };
        Desk::on(TestApp::demo(backend).await.with_outbound(Outbound { sender, settings })).await
    }

    async fn on(desk: TestApp) -> Desk {
        let admin = desk.token(ADMIN).await;
        let teams = desk.get("/api/v1/teams", &admin).await.json;
        let team = |slug: &str| teams.as_array().unwrap().iter().find(|t| t["slug"] == slug).unwrap()["id"].as_i64();
        let (care, it) = (team("care").unwrap(), team("it").unwrap());
        let cody = json!({"email": CODY, "name": "Cody Care", "kind": "employee", "department_id": care});
        let cody = desk.post("/api/v1/people", &admin, &cody).await.json["id"].clone();
        let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &admin, &json!({"role": "agent"})).await;
        assert_eq!(member.status, 200, "{:?}", member.json);
        Desk { desk, care, it }
    }

    async fn token(&self, email: &str) -> String {
        self.desk.token(email).await
    }

    async fn get(&self, email: &str, path: &str) -> TestResponse {
        self.desk.get(path, &self.token(email).await).await
    }

    async fn post(&self, email: &str, path: &str, body: Value) -> TestResponse {
        self.desk.post(path, &self.token(email).await, &body).await
    }

    /// Erin's order problem (external, Care) or Bea's till problem (internal, IT); returns its id.
    async fn ticket(&self, email: &str, subject: &str) -> i64 {
        let new = if email == ERIN {
            json!({"subject": subject, "body": "Help.", "service": "order-problem",
                   "fields": {"order_number": "HB-1", "problem": "Damaged"}})
        } else {
            json!({"subject": subject, "body": "Help.", "service": "till-or-laptop", "fields": {"device": "Till"}})
        };
        let created = self.post(email, "/api/v1/tickets", new).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        created.json["ticket"]["id"].as_i64().unwrap()
    }

    /// An incident of Care opened by Casey, with `rules` merged into the input; returns its id.
    async fn incident(&self, rules: Value) -> i64 {
        let mut input = json!({"title": "Card payments failing", "description": "Since 9:00.", "team_id": self.care,
                               "severity": "major"});
        input.as_object_mut().unwrap().extend(rules.as_object().unwrap().clone());
        let created = self.post(CASEY, "/api/v1/incidents", input).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        created.json["id"].as_i64().unwrap()
    }

    async fn link(&self, email: &str, incident: i64, ticket: i64) -> TestResponse {
        self.post(email, &format!("/api/v1/incidents/{incident}/tickets"), json!({"ticket_id": ticket})).await
    }

    /// The bodies of the ticket's messages as `email` sees them.
    async fn bodies(&self, email: &str, ticket: i64) -> Vec<String> {
        let messages = self.get(email, &format!("/api/v1/tickets/{ticket}/messages?limit=100")).await;
        assert_eq!(messages.status, 200, "{:?}", messages.json);
        messages.json["items"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap().to_owned()).collect()
    }

    /// The kinds of the ticket's audit trail, as the admin reads it.
    async fn trail(&self, ticket: i64) -> Vec<String> {
        let events = self.get(ADMIN, &format!("/api/v1/tickets/{ticket}/events?limit=100")).await;
        events.json["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect()
    }

    async fn run_jobs(&self) {
        let worker = self.desk.app.worker(Registry::standard(), vec![], WorkerOptions::default());
        worker.run_until_idle(now()).await.unwrap();
    }
}

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn count(haystack: &[String], needle: &str) -> usize {
    haystack.iter().filter(|item| item.as_str() == needle).count()
}

test_both!(
    async fn tickets_of_both_audiences_hear_each_update_in_their_own_voice(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "My card was declined online").await;
        let bea_ticket = desk.ticket(BEA, "Till 3 rejects every card").await;
        assert_eq!(desk.link(CODY, incident, erin_ticket).await.status, 200);
        // Ivan works IT's queue: he links Bea's till ticket to Care's incident.
        let linked = desk.link(IVAN, incident, bea_ticket).await;
        assert_eq!(linked.status, 200, "{:?}", linked.json);
        assert_eq!(linked.json["audience"], "internal");

        let update = json!({"external_body": EXTERNAL, "internal_body": INTERNAL, "note": NOTE});
        let posted = desk.post(CASEY, &format!("/api/v1/incidents/{incident}/updates"), update).await;
        assert_eq!(posted.status, 201, "{:?}", posted.json);

        let erin_sees = desk.bodies(ERIN, erin_ticket).await;
        assert_eq!(count(&erin_sees, EXTERNAL), 1, "{erin_sees:?}");
        assert!(!erin_sees.iter().any(|body| body.contains(INTERNAL) || body.contains(NOTE)), "{erin_sees:?}");
        let bea_sees = desk.bodies(BEA, bea_ticket).await;
        assert_eq!(count(&bea_sees, INTERNAL), 1, "{bea_sees:?}");
        assert!(!bea_sees.iter().any(|body| body.contains(EXTERNAL) || body.contains(NOTE)), "{bea_sees:?}");

        // The customer's view carries nothing of the incident; the agents' view names it.
        for (email, ticket) in [(ERIN, erin_ticket), (BEA, bea_ticket)] {
            let view = desk.get(email, &format!("/api/v1/tickets/{ticket}")).await;
            assert!(view.json.get("incident").is_none(), "{:?}", view.json);
            assert!(!String::from_utf8_lossy(&view.body).contains("Card payments failing"));
        }
        let agent_view = desk.get(CODY, &format!("/api/v1/tickets/{erin_ticket}")).await.json;
        assert_eq!(agent_view["incident"], json!({"id": incident, "title": "Card payments failing", "status": "open"}));
        assert_eq!(agent_view["ticket"]["status"], "open", "the update is the agents' first public reply");
        let trail = desk.trail(erin_ticket).await;
        assert_eq!(count(&trail, "incident_linked"), 1, "{trail:?}");
        assert_eq!(count(&trail, "incident_update_posted"), 1, "{trail:?}");

        // The incident lists both tickets; Ivan, who does not work Care, sees Erin's without its subject.
        let shown = desk.get(IVAN, &format!("/api/v1/incidents/{incident}")).await.json;
        let tickets = shown["tickets"].as_array().unwrap();
        assert_eq!(tickets.len(), 2);
        let erin_row = tickets.iter().find(|t| t["id"] == erin_ticket).unwrap();
        assert_eq!((erin_row["audience"].as_str(), erin_row["subject"].as_str()), (Some("external"), None));
        assert_eq!(shown["updates"][0]["note"], NOTE);

        // Unlinked, Bea's ticket hears no more; an update without the external voice skips Erin.
        let unlinked = desk
            .desk
            .delete(&format!("/api/v1/incidents/{incident}/tickets/{bea_ticket}"), &desk.token(IVAN).await)
            .await;
        assert_eq!(unlinked.status, 204);
        assert_eq!(count(&desk.trail(bea_ticket).await, "incident_unlinked"), 1);
        let second = json!({"internal_body": "Cards work again on tills 1-2."});
        assert_eq!(desk.post(CASEY, &format!("/api/v1/incidents/{incident}/updates"), second).await.status, 201);
        assert_eq!(desk.bodies(BEA, bea_ticket).await, bea_sees);
        assert_eq!(desk.bodies(ERIN, erin_ticket).await, erin_sees);
    }
);

test_both!(
    async fn solving_the_incident_solves_its_open_tickets_with_a_final_message(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "Card declined").await;
        let bea_ticket = desk.ticket(BEA, "Till card reader dead").await;
        desk.link(CODY, incident, erin_ticket).await;
        desk.link(IVAN, incident, bea_ticket).await;

        let solve = json!({"solve_tickets": true, "external_body": "Card payments work again. Sorry!"});
        let solved = desk.post(CASEY, &format!("/api/v1/incidents/{incident}/solve"), solve).await;
        assert_eq!(solved.status, 200, "{:?}", solved.json);
        assert_eq!(solved.json["status"], "solved");
        let erin_view = desk.get(ERIN, &format!("/api/v1/tickets/{erin_ticket}")).await.json;
        assert_eq!(erin_view["ticket"]["status"], "solved");
        assert_eq!(count(&desk.bodies(ERIN, erin_ticket).await, "Card payments work again. Sorry!"), 1);
        // No employee voice was given: Bea's ticket is solved with an internal note she never sees.
        let bea_view = desk.get(BEA, &format!("/api/v1/tickets/{bea_ticket}")).await.json;
        assert_eq!(bea_view["ticket"]["status"], "solved");
        assert_eq!(desk.bodies(BEA, bea_ticket).await, vec!["Help.".to_owned()]);
        assert!(desk.trail(bea_ticket).await.contains(&"status_changed".to_owned()));

        // A solved incident takes nothing more.
        let path = format!("/api/v1/incidents/{incident}");
        let again = desk.post(CASEY, &format!("{path}/updates"), json!({"note": "late"})).await;
        assert_eq!((again.status.as_u16(), again.error_code()), (409, "incident_solved"));
        let other = desk.ticket(ERIN, "Another one").await;
        let late = desk.link(CODY, incident, other).await;
        assert_eq!((late.status.as_u16(), late.error_code()), (409, "incident_solved"));
        let twice = desk.post(CASEY, &format!("{path}/solve"), json!({})).await;
        assert_eq!((twice.status.as_u16(), twice.error_code()), (409, "incident_solved"));
    }
);

test_both!(
    async fn solving_without_the_tickets_leaves_them_as_they_are(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "Card declined").await;
        desk.link(CODY, incident, erin_ticket).await;
        let solved =
            desk.post(CASEY, &format!("/api/v1/incidents/{incident}/solve"), json!({"solve_tickets": false})).await;
        assert_eq!(solved.status, 200, "{:?}", solved.json);
        let erin_view = desk.get(ERIN, &format!("/api/v1/tickets/{erin_ticket}")).await.json;
        assert_eq!(erin_view["ticket"]["status"], "new");
        assert_eq!(desk.bodies(ERIN, erin_ticket).await, vec!["Help.".to_owned()]);
    }
);

test_both!(
    async fn new_tickets_that_match_an_open_incident_join_it_as_they_arrive(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({"match_words": [" Grinder "]})).await;
        let shown = desk.get(CASEY, &format!("/api/v1/incidents/{incident}")).await.json;
        assert_eq!(shown["incident"]["match_rules"], json!({"service_id": null, "words": ["grinder"]}));
        let matching = desk.ticket(ERIN, "The GRINDER I bought is broken").await;
        let other = desk.ticket(ERIN, "Torn bags").await;
        let view = desk.get(CODY, &format!("/api/v1/tickets/{matching}")).await.json;
        assert_eq!(view["incident"]["id"], incident);
        let events = desk.get(ADMIN, &format!("/api/v1/tickets/{matching}/events")).await.json;
        let linked = events["items"].as_array().unwrap().iter().find(|e| e["kind"] == "incident_linked").unwrap();
        assert_eq!(linked["data"]["how"], "match_rule");
        assert!(desk.get(CODY, &format!("/api/v1/tickets/{other}")).await.json.get("incident").is_none());

        // A service rule: both conditions must hold (Bea's till tickets are IT's `till-or-laptop`).
        let services = desk.get(ADMIN, "/api/v1/services").await.json;
        let till = services.as_array().unwrap().iter().find(|s| s["slug"] == "till-or-laptop").unwrap()["id"].clone();
        let by_service = desk.incident(json!({"match_service_id": till, "match_words": ["scanner"]})).await;
        let till_ticket = desk.ticket(BEA, "Scanner beeps").await;
        let erin_scanner = desk.ticket(ERIN, "Your scanner app").await;
        assert_eq!(desk.get(IVAN, &format!("/api/v1/tickets/{till_ticket}")).await.json["incident"]["id"], by_service);
        assert!(desk.get(CODY, &format!("/api/v1/tickets/{erin_scanner}")).await.json.get("incident").is_none());

        // Once solved, the incident takes no more tickets.
        desk.post(CASEY, &format!("/api/v1/incidents/{incident}/solve"), json!({})).await;
        let late = desk.ticket(ERIN, "Grinder again").await;
        assert!(desk.get(CODY, &format!("/api/v1/tickets/{late}")).await.json.get("incident").is_none());
    }
);

test_both!(
    async fn each_linked_ticket_gets_each_update_once_across_batches_and_replays(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({"match_words": ["outage"]})).await;
        let erin = desk.desk.principal(ERIN).await;
        let mut ids = Vec::new();
        // More than one batch (50), linked on arrival.
        for n in 0..55 {
            let new: NewTicket = serde_json::from_value(json!({"subject": format!("Outage {n}"), "body": "Help.",
                "service": "order-problem", "fields": {"order_number": "HB-1", "problem": "Damaged"}}))
            .unwrap();
            ids.push(desk.desk.app.create_ticket(&erin, new, None, now()).await.unwrap().ticket.id);
        }
        let posted = desk
            .post(CASEY, &format!("/api/v1/incidents/{incident}/updates"), json!({"external_body": EXTERNAL}))
            .await;
        assert_eq!(posted.status, 201, "{:?}", posted.json);
        let update = IncidentUpdateId(posted.json["id"].as_i64().unwrap());
        // The first batch is posted with the update; the rest wait for the job.
        assert_eq!(count(&desk.bodies(ERIN, ids[0].0).await, EXTERNAL), 1);
        assert_eq!(count(&desk.bodies(ERIN, ids[54].0).await, EXTERNAL), 0);
        desk.run_jobs().await;
        // A batch that runs again (a lost lease, a retry) posts nothing twice.
        for after in [TicketId(0), ids[49]] {
            let mut tx = desk.desk.db.store.begin().await.unwrap();
            let context = JobContext { now: now(), attempt: 2, outbound: None };
            DeliverIncidentUpdate { update, after }.run(&mut tx, context).await.unwrap();
            tx.commit().await.unwrap();
        }
        desk.run_jobs().await;
        for id in &ids {
            assert_eq!(count(&desk.bodies(ERIN, id.0).await, EXTERNAL), 1, "ticket {id}");
        }
    }
);

test_both!(
    async fn conflicts_and_refusals_have_stable_codes(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let first = desk.incident(json!({})).await;
        let second = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "Card declined").await;
        let bea_ticket = desk.ticket(BEA, "Till frozen").await;
        assert_eq!(desk.link(CODY, first, erin_ticket).await.status, 200);
        assert_eq!(desk.link(CODY, first, erin_ticket).await.status, 200, "linking again changes nothing");
        assert_eq!(count(&desk.trail(erin_ticket).await, "incident_linked"), 1);
        let taken = desk.link(CODY, second, erin_ticket).await;
        assert_eq!((taken.status.as_u16(), taken.error_code()), (409, "ticket_in_other_incident"), "{:?}", taken.json);
        assert!(taken.json["error"]["message"].as_str().unwrap().contains(&format!("#{first}")));

        // A ticket Cody does not work is refused exactly like one that does not exist.
        let hidden = desk.link(CODY, first, bea_ticket).await;
        let missing = desk.link(CODY, first, 987_654).await;
        assert_eq!((hidden.status.as_u16(), hidden.error_code()), (422, "invalid"), "{:?}", hidden.json);
        assert_eq!(hidden.body, missing.body);

        let create = async |body: Value| desk.post(CODY, "/api/v1/incidents", body).await;
        let blank = create(json!({"title": " ", "team_id": desk.care})).await;
        assert_eq!(blank.status, 422);
        assert!(blank.json["error"]["fields"]["title"].is_string(), "{:?}", blank.json);
        let not_mine = create(json!({"title": "x", "team_id": desk.it})).await;
        assert!(not_mine.json["error"]["fields"]["team_id"].is_string(), "{:?}", not_mine.json);
        let no_service = create(json!({"title": "x", "team_id": desk.care, "match_service_id": 987_654})).await;
        assert!(no_service.json["error"]["fields"]["match_service_id"].is_string(), "{:?}", no_service.json);
        let empty =
            desk.post(CASEY, &format!("/api/v1/incidents/{first}/updates"), json!({"external_body": "  "})).await;
        assert_eq!(empty.status, 422);
        assert!(empty.json["error"]["fields"]["external_body"].is_string(), "{:?}", empty.json);

        let path = format!("/api/v1/incidents/{first}");
        let edit = json!({"title": "Card payments failing everywhere", "team_id": desk.care});
        let casey = desk.token(CASEY).await;
        let no_version = desk.desk.send(Method::PUT, &path, Some(&casey), Some(&edit)).await;
        assert_eq!(no_version.status, 428);
        let stale = desk.desk.send_with(Method::PUT, &path, Some(&casey), Some(&edit), &[("if-match", "\"7\"")]).await;
        assert_eq!((stale.status.as_u16(), stale.error_code()), (409, "version_conflict"));
        let edited = desk.desk.send_with(Method::PUT, &path, Some(&casey), Some(&edit), &[("if-match", "\"1\"")]).await;
        assert_eq!(edited.status, 200, "{:?}", edited.json);
        assert_eq!(
            (edited.json["title"].as_str(), edited.json["version"].as_i64()),
            (Some("Card payments failing everywhere"), Some(2))
        );
        let unknown = desk.desk.delete(&format!("{path}/tickets/{bea_ticket}"), &casey).await;
        assert_eq!(unknown.status, 404);
    }
);

test_both!(
    async fn only_staff_see_incidents_and_only_owners_change_them(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "Card declined").await;
        let path = format!("/api/v1/incidents/{incident}");
        let ghost = "/api/v1/incidents/987654";
        // Who, in order: Erin, Bea, Ivan (other team), Cody (agent), Casey (lead), admin.
        let who = [ERIN, BEA, IVAN, CODY, CASEY, ADMIN];
        let expect = |case: &str, got: &TestResponse, status: u16, email: &str| {
            assert_eq!(got.status.as_u16(), status, "{case} as {email}: {:?}", got.json);
        };
        for (email, read) in who.iter().zip([404, 404, 200, 200, 200, 200]) {
            expect("list", &desk.get(email, "/api/v1/incidents").await, read, email);
            let shown = desk.get(email, &path).await;
            expect("show", &shown, read, email);
            expect("tickets", &desk.get(email, &format!("{path}/tickets")).await, read, email);
            if read == 404 {
                assert_eq!(shown.body, desk.get(email, ghost).await.body, "{email} learns the incident exists");
                let create = desk.post(email, "/api/v1/incidents", json!({"title": "x", "team_id": desk.care})).await;
                expect("create", &create, 404, email);
            }
        }
        // Writes: customers 404, Ivan 403 (he sees it, Care owns it), Care and the admin may.
        for (email, write) in who.iter().zip([404, 404, 403, 200, 200, 200]) {
            let token = desk.token(email).await;
            let version = desk.get(ADMIN, &path).await.json["incident"]["version"].as_i64().unwrap();
            let edit = json!({"title": format!("Edited by {email}"), "team_id": desk.care});
            let if_match = format!("\"{version}\"");
            let edited =
                desk.desk.send_with(Method::PUT, &path, Some(&token), Some(&edit), &[("if-match", &if_match)]).await;
            expect("edit", &edited, write, email);
            let update = desk.post(email, &format!("{path}/updates"), json!({"note": "checking"})).await;
            expect("update", &update, if write == 200 { 201 } else { write }, email);
        }
        // Linking needs the ticket to be worked: Erin's is Care's.
        for (email, link) in who.iter().zip([404, 404, 422, 200, 200, 200]) {
            expect("link", &desk.link(email, incident, erin_ticket).await, link, email);
            let unlink = desk.desk.delete(&format!("{path}/tickets/{erin_ticket}"), &desk.token(email).await).await;
            expect("unlink", &unlink, if link == 200 { 204 } else { 404 }, email);
        }
        // Solving, last: the customers and Ivan cannot, Cody can.
        for (email, solve) in who.iter().zip([404, 404, 403, 200, 0, 0]).filter(|(_, status)| *status != 0) {
            expect("solve", &desk.post(email, &format!("{path}/solve"), json!({})).await, solve, email);
        }
    }
);

test_both!(
    async fn an_update_reaches_each_requesters_inbox_in_their_own_voice(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = Desk::sending_to(backend, &sink).await;
        let incident = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "Card declined").await;
        let bea_ticket = desk.ticket(BEA, "Till rejects cards").await;
        desk.link(CODY, incident, erin_ticket).await;
        desk.link(IVAN, incident, bea_ticket).await;
        let update = json!({"external_body": EXTERNAL, "internal_body": INTERNAL, "note": NOTE});
        assert_eq!(desk.post(CASEY, &format!("/api/v1/incidents/{incident}/updates"), update).await.status, 201);
        desk.run_jobs().await;
        let texts = |to: &str| -> Vec<String> {
            let delivered = sink.delivered();
            let to_them = delivered.iter().filter(|email| email.envelope_to.iter().any(|rcpt| rcpt == to));
            to_them.map(|email| email.parsed().text).collect()
        };
        let erin = texts(ERIN);
        assert_eq!(erin.len(), 1, "{erin:?}");
        assert!(erin[0].contains(EXTERNAL) && !erin[0].contains(INTERNAL) && !erin[0].contains(NOTE), "{erin:?}");
        let bea = texts(BEA);
        assert_eq!(bea.len(), 1, "{bea:?}");
        assert!(bea[0].contains(INTERNAL) && !bea[0].contains(EXTERNAL) && !bea[0].contains(NOTE), "{bea:?}");
        // A note alone reaches nobody's inbox.
        let note = json!({"note": "still waiting on the acquirer"});
        assert_eq!(desk.post(CASEY, &format!("/api/v1/incidents/{incident}/updates"), note).await.status, 201);
        desk.run_jobs().await;
        assert_eq!(sink.delivered().len(), 2);
    }
);

test_both!(
    async fn solving_the_incident_solves_a_ticket_that_waits_on_another_team_and_says_why(backend: TestBackend) {
        let desk = Desk::new(backend).await;
        let incident = desk.incident(json!({})).await;
        let erin_ticket = desk.ticket(ERIN, "Grinder broke during a card payment").await;
        let ask = json!({"service": "stock-replenishment", "subject": "Replacement grinder", "body": "Please send one.",
            "wait": true, "fields": {"store": "Harbor Street", "item": "Burr grinder", "quantity": 1}});
        let asked = desk.post(CODY, &format!("/api/v1/tickets/{erin_ticket}/requests"), ask).await;
        assert_eq!(asked.status, 201, "{:?}", asked.json);
        desk.link(CODY, incident, erin_ticket).await;
        let solve = json!({"solve_tickets": true, "external_body": "All fixed."});
        let solved = desk.post(CASEY, &format!("/api/v1/incidents/{incident}/solve"), solve).await;
        assert_eq!(solved.status, 200, "{:?}", solved.json);
        assert_eq!(desk.get(ERIN, &format!("/api/v1/tickets/{erin_ticket}")).await.json["ticket"]["status"], "solved");
        let events = desk.get(ADMIN, &format!("/api/v1/tickets/{erin_ticket}/events?limit=100")).await.json;
        let why = events["items"].as_array().unwrap().iter().find(|e| e["kind"] == "solved_with_open_links").unwrap();
        assert_eq!(why["data"]["reason"], format!("solved with incident #{incident}"));
    }
);
