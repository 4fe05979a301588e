//! The incident pages in the browser's shoes: the list with its "open an incident" form, the
//! incident page with its link, update and solve forms, and the ticket page's incident box. Each
//! outcome is checked through the REST API as the customers themselves read it.
//!
//! People: Casey (lead of Customer Care, which owns the incident), Cody (a plain Care agent),
//! Ivan (lead of IT: staff of another team), the admin, Bea (an employee), Erin (an external customer).

use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;
use crate::pages::{ADMIN, BEA, Browser, CASEY, ERIN, IVAN, csrf, location, text};

const CODY: &str = "cody@harbor.example";

struct Console {
    desk: TestApp,
    care: i64,
}

impl Console {
    async fn new(backend: TestBackend) -> Console {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let teams = desk.get("/api/v1/teams", &admin).await.json;
        let care = teams.as_array().unwrap().iter().find(|t| t["slug"] == "care").unwrap()["id"].as_i64().unwrap();
        let cody = json!({"email": CODY, "name": "Cody Care", "kind": "employee", "department_id": care});
        let cody = desk.post("/api/v1/people", &admin, &cody).await.json["id"].clone();
        let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &admin, &json!({"role": "agent"})).await;
        assert_eq!(member.status, 200, "{:?}", member.json);
        Console { desk, care }
    }

    async fn browser(&self, who: &str) -> Browser<'_> {
        Browser::of(&self.desk, who).await
    }

    /// Posts a form as `who` with the CSRF token of their session.
    async fn post(&self, who: &str, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let browser = self.browser(who).await;
        let token = csrf(&text(&browser.get("/portal").await));
        let mut sent = vec![("_csrf", token.as_str())];
        sent.extend_from_slice(fields);
        browser.post(path, &sent).await
    }

    async fn erin_ticket(&self, subject: &str) -> i64 {
        let new = json!({"subject": subject, "body": "Help.", "service": "order-problem",
                         "fields": {"order_number": "HB-1", "problem": "Damaged"}});
        let created = self.desk.post("/api/v1/tickets", &self.desk.token(ERIN).await, &new).await;
        created.json["ticket"]["id"].as_i64().unwrap()
    }

    async fn api(&self, who: &str, path: &str) -> Value {
        self.desk.get(path, &self.desk.token(who).await).await.json
    }
}

test_both!(
    async fn an_agent_runs_an_incident_from_the_console(backend: TestBackend) {
        let console = Console::new(backend).await;
        let care = console.care.to_string();
        let opened = console
            .post(
                CASEY,
                "/agent/incidents",
                &[
                    ("title", "Card payments failing"),
                    ("team_id", &care),
                    ("severity", "major"),
                    ("match_service_id", ""),
                    ("match_words", "declined, card reader"),
                ],
            )
            .await;
        assert_eq!(opened.status, 303, "{}", text(&opened));
        let page = location(&opened).to_owned();
        assert!(page.starts_with("/agent/incidents/") && page.ends_with("?done=opened"), "{page}");
        let incident = page.trim_start_matches("/agent/incidents/").split('?').next().unwrap().to_owned();
        let shown = console.browser(CASEY).await.page(&page).await;
        assert!(shown.contains("Incident opened.") && shown.contains("subject contains declined or card reader"));

        // A matching ticket joins by itself; another is linked from its own page by Cody.
        let matching = console.erin_ticket("Card declined twice").await;
        let other = console.erin_ticket("Paid but no confirmation").await;
        let cody = console.browser(CODY).await;
        let ticket_page = cody.page(&format!("/agent/tickets/{other}")).await;
        assert!(ticket_page.contains("Link to an open incident") && ticket_page.contains("Card payments failing"));
        let linked =
            console.post(CODY, &format!("/agent/tickets/{other}/incident"), &[("incident_id", &incident)]).await;
        assert_eq!(location(&linked), format!("/agent/tickets/{other}?done=incident_linked"));
        let ticket_page = cody.page(&format!("/agent/tickets/{other}?done=incident_linked")).await;
        assert!(ticket_page.contains(&format!("href=\"/agent/incidents/{incident}\"")), "{ticket_page}");

        let path = format!("/agent/incidents/{incident}");
        let update = [
            ("external_body", "We are fixing card payments."),
            ("internal_body", "Use cash."),
            ("note", "Gateway down"),
        ];
        let posted = console.post(CASEY, &format!("{path}/updates"), &update).await;
        assert_eq!(location(&posted), format!("{path}?done=updated"));
        for ticket in [matching, other] {
            let messages = console.api(ERIN, &format!("/api/v1/tickets/{ticket}/messages")).await;
            let bodies: Vec<&str> =
                messages["items"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
            assert_eq!(bodies, ["Help.", "We are fixing card payments."]);
        }
        let incident_page = console.browser(CASEY).await.page(&path).await;
        assert!(incident_page.contains("Gateway down") && incident_page.contains(&format!("Unlink #{matching}")));

        let solved = console
            .post(CASEY, &format!("{path}/solve"), &[("solve_tickets", "yes"), ("external_body", "Fixed, sorry!")])
            .await;
        assert_eq!(location(&solved), format!("{path}?done=solved"));
        for ticket in [matching, other] {
            assert_eq!(console.api(ERIN, &format!("/api/v1/tickets/{ticket}")).await["ticket"]["status"], "solved");
        }
        let after = console.browser(CASEY).await.page(&path).await;
        assert!(!after.contains("Post the update"), "a solved incident offers no more updates");
    }
);

test_both!(
    async fn only_staff_reach_the_incident_pages_and_only_owners_change_them(backend: TestBackend) {
        let console = Console::new(backend).await;
        let care = console.care.to_string();
        let opened = console.post(CASEY, "/agent/incidents", &[("title", "Phones down"), ("team_id", &care)]).await;
        let page = location(&opened).split('?').next().unwrap().to_owned();
        let ticket = console.erin_ticket("Nobody answers the phone").await;
        for (who, read, change) in [
            (ERIN, 404, 404),
            (BEA, 404, 404),
            (IVAN, 200, 403),
            (CODY, 200, 303),
            (CASEY, 200, 303),
            (ADMIN, 200, 303),
        ] {
            let browser = console.browser(who).await;
            assert_eq!(browser.get("/agent/incidents").await.status, read, "{who} list");
            let shown = browser.get(&page).await;
            assert_eq!(shown.status, read, "{who} page");
            if read == 200 {
                assert_eq!(text(&shown).contains("Post an update"), change == 303, "{who} sees the update form");
            }
            let update = console.post(who, &format!("{page}/updates"), &[("note", "checking")]).await;
            assert_eq!(update.status, change, "{who} update");
            let link = console.post(who, &format!("{page}/tickets"), &[("ticket", &ticket.to_string())]).await;
            // Linking needs the ticket to be worked: Erin's is Care's (Ivan is refused, 400 with why).
            let link_expect = match who {
                ERIN | BEA => 404,
                IVAN => 400,
                _ => 303,
            };
            assert_eq!(link.status, link_expect, "{who} link: {}", text(&link));
            if link_expect == 303 {
                let unlink = console.post(who, &format!("{page}/tickets/{ticket}/unlink"), &[]).await;
                assert_eq!(unlink.status, 303, "{who} unlink");
            }
            let create = console.post(who, "/agent/incidents", &[("title", "Mine"), ("team_id", &care)]).await;
            let create_expect = match who {
                ERIN | BEA => 404,
                // Ivan does not work Care: the form comes back saying so.
                IVAN => 422,
                _ => 303,
            };
            assert_eq!(create.status, create_expect, "{who} create");
        }
        for who in [ERIN, BEA, IVAN] {
            let solve = console.post(who, &format!("{page}/solve"), &[]).await;
            assert_eq!(solve.status, if who == IVAN { 403 } else { 404 }, "{who} solve");
        }
        let anonymous = Browser::anonymous(&console.desk).get("/agent/incidents").await;
        assert!(location(&anonymous).starts_with("/signin"));
        assert_eq!(console.browser(CASEY).await.get("/agent/incidents/987654").await.status, 404);
    }
);
