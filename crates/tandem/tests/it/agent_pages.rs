//! The agent console in the browser's shoes: pages fetched with a session cookie, forms posted
//! with the CSRF token scraped from the page, and every outcome checked through the REST API.
//!
//! People: Casey (lead of Customer Care), Cody (a plain Care agent added here), Ivan (lead of IT:
//! an agent of another team), the admin, Bea (an employee) and Erin (an external customer).

use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;
use crate::pages::Part::{File, Text};
use crate::pages::{
    ADMIN, BEA, Browser, CASEY, ERIN, IVAN, Part, csrf, hidden, hidden_inputs, location, text, unescape,
};

const CODY: &str = "cody@harbor.example";
const NOTE_LABEL: &str = "Internal note — only agents see this";

/// The demo desk with Cody added to Customer Care, and a token for each person.
struct Console {
    desk: TestApp,
    tokens: Vec<(&'static str, String)>,
}

impl Console {
    async fn new(backend: TestBackend) -> Console {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let care = team_id(&desk, &admin, "care").await;
        let cody = json!({"email": CODY, "name": "Cody Care", "kind": "employee", "department_id": care});
        let cody = desk.post("/api/v1/people", &admin, &cody).await.json["id"].clone();
        let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &admin, &json!({"role": "agent"})).await;
        assert_eq!(member.status, 200, "{:?}", member.json);
        let mut tokens = Vec::new();
        for email in [CASEY, CODY, IVAN, ADMIN, BEA, ERIN] {
            tokens.push((email, desk.token(email).await));
        }
        Console { desk, tokens }
    }

    fn token(&self, email: &str) -> &str {
        &self.tokens.iter().find(|(who, _)| *who == email).expect("a known person").1
    }

    /// The browser of `who` (`None`: signed out).
    fn browser(&self, who: Option<&str>) -> Browser<'_> {
        match who {
            Some(who) => Browser::with_token(&self.desk, self.token(who)),
            None => Browser::anonymous(&self.desk),
        }
    }

    /// A page as `who` sees it in the browser (`None`: signed out).
    async fn page(&self, who: Option<&str>, path: &str) -> TestResponse {
        self.browser(who).get(path).await
    }

    /// Posts a url-encoded form as `who`.
    async fn post(
        &self,
        who: Option<&str>,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> TestResponse {
        self.browser(who).post_with(path, fields, extra).await
    }

    /// Posts the composer (multipart, with an optional file) as `who`.
    async fn compose(
        &self,
        who: &str,
        ticket: i64,
        fields: &[(&str, &str)],
        file: Option<(&str, &str)>,
    ) -> TestResponse {
        let mut parts: Vec<Part<'_>> = fields.iter().map(|&(name, value)| Text(name, value)).collect();
        if let Some((filename, content)) = file {
            parts.push(File("files", filename, "text/plain", content.as_bytes()));
        }
        self.browser(Some(who)).multipart(&format!("/agent/tickets/{ticket}/messages"), &parts).await
    }

    /// The session's CSRF token, from a page `who` can open.
    async fn csrf(&self, who: &str) -> String {
        let path = if who == BEA || who == ERIN { "/portal" } else { "/agent" };
        csrf(&text(&self.page(Some(who), path).await))
    }

    /// A ticket's number, by its subject (read as the admin).
    async fn ticket(&self, subject: &str) -> i64 {
        let list = self.desk.get("/api/v1/tickets?limit=100", self.token(ADMIN)).await.json;
        let found = list["items"].as_array().unwrap().iter().find(|ticket| ticket["subject"] == subject);
        found.unwrap_or_else(|| panic!("no ticket {subject:?}"))["id"].as_i64().unwrap()
    }

    /// A ticket as `who` reads it through the API.
    async fn api_ticket(&self, who: &str, id: i64) -> Value {
        self.desk.get(&format!("/api/v1/tickets/{id}"), self.token(who)).await.json
    }

    /// The side form of a ticket page: every hidden input, plus the typed `values`.
    async fn side_form(&self, who: &str, id: i64, values: &[(&str, &str)]) -> Vec<(String, String)> {
        let page = text(&self.page(Some(who), &format!("/agent/tickets/{id}")).await);
        let side = &page[page.find("/update\"").expect("the side form")..];
        let mut fields = hidden_inputs(&side[..side.find("</form>").unwrap()]);
        fields.extend(values.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())));
        fields
    }

    async fn update(&self, who: &str, id: i64, form: &[(String, String)]) -> TestResponse {
        self.browser(Some(who)).post(&format!("/agent/tickets/{id}/update"), form).await
    }
}

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

/// The ticket numbers a queue page lists, in order.
fn listed(html: &str) -> Vec<i64> {
    html.split("data-ticket=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap()).collect()
}

/// The target of the link with this text, unescaped.
fn link(html: &str, text: &str) -> Option<String> {
    let end = html.find(&format!(">{text}</a>"))?;
    let start = html[..end].rfind("<a href=\"")? + 9;
    Some(unescape(&html[start..start + html[start..].find('"')?]))
}

/// The ticket numbers the API lists for `query`, every page.
async fn api_ids(console: &Console, who: &str, query: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/api/v1/tickets?limit=100&{query}{cursor}");
        let page = console.desk.get(&path, console.token(who)).await.json;
        ids.extend(page["items"].as_array().unwrap().iter().map(|ticket| ticket["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return ids,
        }
    }
}

test_both!(
    async fn only_staff_reach_the_console(backend: TestBackend) {
        let console = Console::new(backend).await;
        let care_ticket = console.ticket("Wrong beans in my subscription box").await;
        let it_ticket = console.ticket("Till 2 freezes when taking card payments").await;
        let queues = console.page(None, "/agent").await;
        assert_eq!(queues.status, 303);
        assert!(location(&queues).starts_with("/signin"), "{}", location(&queues));
        let anonymous = console.page(None, &format!("/agent/tickets/{care_ticket}")).await;
        assert!(location(&anonymous).starts_with("/signin"));
        let messages_before = console.api_ticket(ADMIN, care_ticket).await["messages"].as_array().unwrap().len();
        for (who, queue, care, it) in [
            (CASEY, 200, 200, 404),
            (CODY, 200, 200, 404),
            (IVAN, 200, 404, 200),
            (ADMIN, 200, 200, 200),
            (BEA, 404, 404, 404),
            (ERIN, 404, 404, 404),
        ] {
            assert_eq!(console.page(Some(who), "/agent").await.status, queue, "{who} /agent");
            let care_page = console.page(Some(who), &format!("/agent/tickets/{care_ticket}")).await;
            assert_eq!(care_page.status, care, "{who} Care ticket");
            let it_page = console.page(Some(who), &format!("/agent/tickets/{it_ticket}")).await;
            assert_eq!(it_page.status, it, "{who} IT ticket");
        }
        // (Bea asked for the IT ticket herself: the console still does not show it to her.)
        assert_eq!(console.page(Some(CASEY), "/agent/tickets/987654").await.status, 404);
        assert_eq!(console.page(Some(CASEY), "/agent/tickets/not-a-number").await.status, 404);

        // Writes: customers and agents of another team get "not found", never a change.
        for who in [BEA, ERIN, IVAN] {
            let csrf = console.csrf(who).await;
            let take = format!("/agent/tickets/{care_ticket}/take");
            assert_eq!(console.post(Some(who), &take, &[("_csrf", &csrf)], &[]).await.status, 404, "{who} take");
            let update = [("_csrf", csrf.as_str()), ("version", "1"), ("priority", "urgent")];
            let update = console.post(Some(who), &format!("/agent/tickets/{care_ticket}/update"), &update, &[]).await;
            assert_eq!(update.status, 404, "{who} update");
            let fields = [("_csrf", csrf.as_str()), ("body", "Not mine to say"), ("visibility", "public")];
            assert_eq!(console.compose(who, care_ticket, &fields, None).await.status, 404, "{who} reply");
        }
        let signed_out =
            console.post(None, &format!("/agent/tickets/{care_ticket}/take"), &[("_csrf", "x")], &[]).await;
        assert!(location(&signed_out).starts_with("/signin"));
        let after = console.api_ticket(ADMIN, care_ticket).await;
        assert_eq!(after["messages"].as_array().unwrap().len(), messages_before);
        assert_ne!(after["ticket"]["priority"], "urgent");
        assert_eq!(after["ticket"]["assignee"]["name"], "Casey Care");
    }
);

test_both!(
    async fn queues_list_the_right_tickets_and_page_through_them(backend: TestBackend) {
        let console = Console::new(backend).await;
        // Every tab lists exactly what the ticket list answers for its filters.
        let active = "status=new,open,pending_customer,pending_internal";
        for (who, view, query) in [
            (CASEY, "mine", format!("{active}&assignee=me")),
            (CASEY, "unassigned", "status=new,open&assignee=none".to_owned()),
            (CASEY, "open", "status=new,open".to_owned()),
            (CASEY, "pending", "status=pending_customer,pending_internal".to_owned()),
            (CASEY, "solved", "status=solved".to_owned()),
            (IVAN, "open", "status=new,open".to_owned()),
            (ADMIN, "open", "status=new,open".to_owned()),
        ] {
            let page = text(&console.page(Some(who), &format!("/agent?view={view}")).await);
            let expected = api_ids(&console, who, &query).await;
            assert!(expected.len() <= 25, "{who} {view}: the demo fits on a page");
            assert_eq!(listed(&page), expected, "{who} {view}");
            assert!(page.contains("aria-current=\"page\""));
        }
        let casey_open = text(&console.page(Some(CASEY), "/agent?view=open").await);
        assert!(casey_open.contains("Is the decaf Swiss water processed?"));
        assert!(!casey_open.contains("Till 2 freezes"), "Casey's queues hold only Care tickets");
        let casey_mine = text(&console.page(Some(CASEY), "/agent").await);
        assert!(casey_mine.contains("Wrong beans in my subscription box"), "the default tab is mine");
        assert!(casey_mine.contains("Erin Consumer") && casey_mine.contains("Waiting on customer"));
        assert!(casey_mine.contains("data-key=\"/\""), "the filter answers /");

        // Filters: a tag, a team, an audience, and the oldest first.
        let billing = text(&console.page(Some(CASEY), "/agent?view=open&tag=Billing").await);
        assert_eq!(listed(&billing), api_ids(&console, CASEY, "status=new,open&tag=billing").await);
        assert!(billing.contains("I was charged twice for order HB-10501"));
        let care = team_id(&console.desk, console.token(ADMIN), "care").await;
        let admin_care = text(&console.page(Some(ADMIN), &format!("/agent?view=open&team_id={care}")).await);
        assert_eq!(listed(&admin_care), api_ids(&console, ADMIN, &format!("status=new,open&team_id={care}")).await);
        let internal = text(&console.page(Some(ADMIN), "/agent?view=open&audience=internal").await);
        assert_eq!(listed(&internal), api_ids(&console, ADMIN, "status=new,open&audience=internal").await);
        let newest = listed(&text(&console.page(Some(ADMIN), "/agent?view=open").await));
        let mut oldest = listed(&text(&console.page(Some(ADMIN), "/agent?view=open&sort=oldest").await));
        oldest.reverse();
        assert_eq!(oldest, newest);
        let bad_tag = console.page(Some(CASEY), "/agent?view=open&tag=%21%21").await;
        assert_eq!(bad_tag.status, 200, "a tag that cannot be one lists nothing and says why");
        assert!(listed(&text(&bad_tag)).is_empty());

        // Thirty more requests: the open queue pages by 25, forward and back to the start.
        for number in 0..30 {
            let new = json!({"subject": format!("Bulk question {number}"), "body": "?", "service": "product-question"});
            assert_eq!(console.desk.post("/api/v1/tickets", console.token(ERIN), &new).await.status, 201);
        }
        let mut page = text(&console.page(Some(CASEY), "/agent?view=open").await);
        assert!(link(&page, "Back to first page").is_none());
        let mut walked = listed(&page);
        while let Some(next) = link(&page, "Next page") {
            assert_eq!(listed(&page).len(), 25, "only the last page is short");
            page = text(&console.page(Some(CASEY), &next).await);
            assert_eq!(link(&page, "Back to first page").as_deref(), Some("/agent?view=open"));
            walked.extend(listed(&page));
        }
        assert!(walked.len() > 25, "more than one page");
        assert_eq!(walked, api_ids(&console, CASEY, "status=new,open").await);
    }
);

test_both!(
    async fn the_ticket_page_shows_notes_profile_history_and_trail(backend: TestBackend) {
        let console = Console::new(backend).await;
        let id = console.ticket("Wrong beans in my subscription box").await;
        let page = text(&console.page(Some(CASEY), &format!("/agent/tickets/{id}")).await);
        for expected in [
            "Wrong beans in my subscription box",
            &format!("#{id}"),
            "Waiting on customer",
            NOTE_LABEL,
            "Warehouse picked from the wrong bin again",
            "The right beans are on their way today",
            "Send reply to Erin Consumer",
            "Add internal note",
            "name=\"visibility\" value=\"public\" id=\"mode-public\" checked",
            "External customer",
            "erin@example.com",
            "I was charged twice for order HB-10501",
            "<details class=\"card trail\">",
            "took the ticket",
            "added an internal note",
            "set the status Open → Waiting on customer",
            "name=\"fields.order_number\"",
            "value=\"HB-10442\"",
            "data-key=\"r\"",
            "data-key=\"n\"",
            "data-key=\"s\"",
            "class=\"shortcuts\"",
        ] {
            assert!(page.contains(expected), "the ticket page lacks {expected:?}");
        }
        assert!(!page.contains("data-key=\"t\""), "an assigned ticket offers no Take");
        // The note is drawn as a note, the reply as a reply.
        let note =
            &page[page.find("Warehouse picked").unwrap().saturating_sub(600)..page.find("Warehouse picked").unwrap()];
        assert!(note.contains("class=\"message internal\"") && note.contains(NOTE_LABEL));

        // An employee's request: internal, with department and title, for IT's lead.
        let till = console.ticket("Till 2 freezes when taking card payments").await;
        let page = text(&console.page(Some(IVAN), &format!("/agent/tickets/{till}")).await);
        for expected in ["Internal · employee", "Store Operations", "Barista", "bea@harbor.example", "Receipt printer"]
        {
            assert!(page.contains(expected), "Bea's ticket page lacks {expected:?}");
        }
        assert!(!page.contains("Allergen sheet"), "history lists only tickets the agent works");
        assert!(page.contains("name=\"fields.blocks_sales\""), "a yes/no field is a select");
        assert!(page.contains("<option value=\"yes\" selected>Yes</option>"));
    }
);

test_both!(
    async fn replies_and_notes_land_with_the_right_visibility(backend: TestBackend) {
        let console = Console::new(backend).await;
        let id = console.ticket("Is the decaf Swiss water processed?").await;
        let csrf = console.csrf(CASEY).await;
        let note = [
            ("_csrf", csrf.as_str()),
            ("visibility", "internal"),
            ("body", "Ask the roaster\r\nfirst"),
            ("send", "internal"),
        ];
        let posted = console.compose(CASEY, id, &note, Some(("roaster.txt", "call Tuesday"))).await;
        assert_eq!(posted.status, 303, "{}", text(&posted));
        assert_eq!(location(&posted), format!("/agent/tickets/{id}?done=noted"));
        // A page without styles shows both buttons: the note button wins over the public mode.
        let noted =
            [("_csrf", csrf.as_str()), ("visibility", "public"), ("body", "Roaster says yes"), ("send", "internal")];
        assert_eq!(console.compose(CASEY, id, &noted, None).await.status, 303);
        let reply = [
            ("_csrf", csrf.as_str()),
            ("visibility", "public"),
            ("body", "Yes, our decaf is Swiss water processed."),
            ("status", "pending_customer"),
            ("send", "public"),
        ];
        let replied = console.compose(CASEY, id, &reply, Some(("decaf.txt", "certificate"))).await;
        assert_eq!(location(&replied), format!("/agent/tickets/{id}?done=replied"));
        let after = text(&console.page(Some(CASEY), location(&replied)).await);
        assert!(after.contains("Reply sent to Erin Consumer."));
        assert!(after.contains("Ask the roaster\nfirst") && after.contains("/files/"));

        let agent_view = console.api_ticket(CASEY, id).await;
        let messages = agent_view["messages"].as_array().unwrap();
        let by_body = |body: &str| messages.iter().find(|message| message["body"] == body).unwrap().clone();
        assert_eq!(by_body("Ask the roaster\nfirst")["visibility"], "internal");
        assert_eq!(by_body("Ask the roaster\nfirst")["attachments"][0]["filename"], "roaster.txt");
        assert_eq!(by_body("Roaster says yes")["visibility"], "internal");
        assert_eq!(by_body("Yes, our decaf is Swiss water processed.")["visibility"], "public");
        assert_eq!(by_body("Yes, our decaf is Swiss water processed.")["channel"], "web");
        assert_eq!(agent_view["ticket"]["status"], "pending_customer");
        let customer_view = console.desk.get(&format!("/api/v1/tickets/{id}"), console.token(ERIN)).await;
        let erin_sees = text(&customer_view);
        assert!(erin_sees.contains("Swiss water processed") && erin_sees.contains("decaf.txt"));
        for secret in ["Ask the roaster", "Roaster says yes", "roaster.txt"] {
            assert!(!erin_sees.contains(secret), "Erin must not see {secret:?}");
        }

        // An empty message comes back with the mode and status kept.
        let empty = [("_csrf", csrf.as_str()), ("visibility", "internal"), ("body", "  "), ("status", "solved")];
        let refused = console.compose(CASEY, id, &empty, None).await;
        assert_eq!(refused.status, 422);
        let page = text(&refused);
        assert!(page.contains("Write your note first."));
        assert!(page.contains("id=\"mode-note\" checked") && page.contains("<option value=\"solved\" selected>"));
    }
);

test_both!(
    async fn the_side_form_saves_in_place_and_refuses_stale_versions(backend: TestBackend) {
        let console = Console::new(backend).await;
        let id = console.ticket("Wrong beans in my subscription box").await;
        let casey = console.desk.get("/api/v1/me", console.token(CASEY)).await.json["id"].as_i64().unwrap();
        let cody = console.desk.get("/api/v1/me", console.token(CODY)).await.json["id"].as_i64().unwrap();
        let stale = console.side_form(CASEY, id, &[("priority", "low"), ("tags", "stale-edit")]).await;
        let edits = [
            ("status", "pending_internal"),
            ("priority", "urgent"),
            ("assignee_id", &*cody.to_string()),
            ("tags", "VIP, wrong item"),
            ("fields.problem", "Late"),
        ];
        let form = console.side_form(CASEY, id, &edits).await;
        let saved = console.update(CASEY, id, &form).await;
        assert_eq!(saved.status, 303, "{}", text(&saved));
        assert_eq!(location(&saved), format!("/agent/tickets/{id}?done=saved"));
        let ticket = console.api_ticket(CASEY, id).await["ticket"].clone();
        assert_eq!(ticket["status"], "pending_internal");
        assert_eq!(ticket["priority"], "urgent");
        assert_eq!(ticket["assignee"]["id"], cody);
        assert_eq!(ticket["tags"], json!(["vip", "wrong-item"]));
        assert_eq!(ticket["fields"], json!({"order_number": "HB-10442", "problem": "Late"}));

        // The form drawn before that save is stale: nothing is saved, the edits come back over the
        // fresh ticket, and saving again applies only them.
        let refused = console.update(CASEY, id, &stale).await;
        assert_eq!(refused.status, 409);
        let page = text(&refused);
        assert!(page.contains("changed this ticket while you were editing"), "{page}");
        assert!(page.contains("value=\"stale-edit\""), "the typed tags are kept");
        assert!(page.contains("<option value=\"low\" selected>Low</option>"), "the typed priority is kept");
        assert!(page.contains("Saved now by someone else: Urgent"));
        assert!(page.contains("<option value=\"pending_internal\" selected>"), "untouched fields show what is saved");
        let again = hidden_inputs(&page[page.find("/update\"").unwrap()..]);
        let mut retry: Vec<(String, String)> = again.clone();
        for (name, value) in [("priority", "low"), ("tags", "stale-edit"), ("status", "pending_internal")] {
            retry.push((name.to_owned(), value.to_owned()));
        }
        retry.push(("assignee_id".to_owned(), cody.to_string()));
        retry.push(("team_id".to_owned(), hidden(&page, "orig.team_id")));
        retry.push(("fields.order_number".to_owned(), "HB-10442".to_owned()));
        retry.push(("fields.problem".to_owned(), "Late".to_owned()));
        assert_eq!(console.update(CASEY, id, &retry).await.status, 303);
        let ticket = console.api_ticket(CASEY, id).await["ticket"].clone();
        assert_eq!((ticket["priority"].as_str(), ticket["status"].as_str()), (Some("low"), Some("pending_internal")));
        assert_eq!(ticket["tags"], json!(["stale-edit"]));

        // A required field emptied: the error sits next to it and the typed values stay.
        let form = console.side_form(CASEY, id, &[("fields.order_number", ""), ("priority", "high")]).await;
        let invalid = console.update(CASEY, id, &form).await;
        assert_eq!(invalid.status, 422);
        let page = text(&invalid);
        assert!(page.contains("id=\"side-fields-order_number-error\">`Order number` is required"), "{page}");
        assert!(page.contains("<option value=\"high\" selected>High</option>"));
        assert_eq!(console.api_ticket(CASEY, id).await["ticket"]["priority"], "low");

        // Unassign, then hand the ticket to IT: Casey lands on the queues, told where it went.
        let form = console.side_form(CASEY, id, &[("assignee_id", "")]).await;
        assert_eq!(console.update(CASEY, id, &form).await.status, 303);
        assert!(console.api_ticket(CASEY, id).await["ticket"]["assignee"].is_null());
        let it = team_id(&console.desk, console.token(ADMIN), "it").await;
        let form = console.side_form(CASEY, id, &[("team_id", &it.to_string())]).await;
        let moved = console.update(CASEY, id, &form).await;
        assert_eq!(location(&moved), "/agent?done=transferred");
        assert_eq!(console.api_ticket(ADMIN, id).await["ticket"]["team"]["slug"], "it");
        assert_eq!(console.page(Some(CASEY), &format!("/agent/tickets/{id}")).await.status, 404);
        assert_ne!(casey, cody);
    }
);

test_both!(
    async fn taking_a_ticket_and_taking_it_twice(backend: TestBackend) {
        let console = Console::new(backend).await;
        let id = console.ticket("Is the decaf Swiss water processed?").await;
        let page = text(&console.page(Some(CODY), &format!("/agent/tickets/{id}")).await);
        assert!(page.contains("data-key=\"t\">Take it</button>") && page.contains("Unassigned"));
        // The admin is in no team: they assign from the side form instead.
        let admin_page = text(&console.page(Some(ADMIN), &format!("/agent/tickets/{id}")).await);
        assert!(!admin_page.contains("Take it</button>"));
        let csrf = console.csrf(CODY).await;
        let taken = console.post(Some(CODY), &format!("/agent/tickets/{id}/take"), &[("_csrf", &csrf)], &[]).await;
        assert_eq!(location(&taken), format!("/agent/tickets/{id}?done=taken"));
        let page = text(&console.page(Some(CODY), location(&taken)).await);
        assert!(page.contains("You took this ticket.") && page.contains("Assigned to Cody Care"));
        assert!(!page.contains("Take it</button>"));
        let csrf = console.csrf(CASEY).await;
        let second = console.post(Some(CASEY), &format!("/agent/tickets/{id}/take"), &[("_csrf", &csrf)], &[]).await;
        assert_eq!(second.status, 409);
        assert!(text(&second).contains("Cody Care already has this ticket."));
        assert_eq!(console.api_ticket(ADMIN, id).await["ticket"]["assignee"]["name"], "Cody Care");
        let mine = text(&console.page(Some(CODY), "/agent?view=mine").await);
        assert!(listed(&mine).contains(&id));
    }
);

test_both!(
    async fn posts_without_the_session_csrf_token_are_refused(backend: TestBackend) {
        let console = Console::new(backend).await;
        let id = console.ticket("Is the decaf Swiss water processed?").await;
        let csrf = console.csrf(CASEY).await;
        let wrong = console.csrf(CODY).await;
        let version = console.api_ticket(CASEY, id).await["ticket"]["version"].to_string();
        let take = format!("/agent/tickets/{id}/take");
        let update = format!("/agent/tickets/{id}/update");
        for token in ["", wrong.as_str()] {
            // No token at all, or another session's.
            let csrf_field: Vec<(&str, &str)> =
                Some(("_csrf", token)).filter(|_| !token.is_empty()).into_iter().collect();
            assert_eq!(console.post(Some(CASEY), &take, &csrf_field, &[]).await.status, 403, "take with {token:?}");
            let mut form = csrf_field.clone();
            form.extend([("version", version.as_str()), ("orig.priority", "normal"), ("priority", "urgent")]);
            let refused = console.post(Some(CASEY), &update, &form, &[]).await;
            assert_eq!(refused.status, 403, "update with {token:?}");
            assert!(text(&refused).contains("Reload the page"));
            let note = [("_csrf", token), ("visibility", "internal"), ("body", "forged note")];
            assert_eq!(console.compose(CASEY, id, &note, None).await.status, 403, "note with {token:?}");
        }
        // The right token from another site is refused too.
        let cross = [("sec-fetch-site", "cross-site")];
        assert_eq!(console.post(Some(CASEY), &take, &[("_csrf", &csrf)], &cross).await.status, 403);
        let ticket = console.api_ticket(CASEY, id).await;
        assert!(ticket["ticket"]["assignee"].is_null());
        assert_eq!(ticket["ticket"]["priority"], "normal");
        assert!(!ticket.to_string().contains("forged note"));
        // And with the right token from Tandem's own page, the same post works.
        assert_eq!(console.post(Some(CASEY), &take, &[("_csrf", &csrf)], &[]).await.status, 303);
    }
);
