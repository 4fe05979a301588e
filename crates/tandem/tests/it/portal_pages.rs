//! The portal's pages, driven as a browser would: a session cookie, forms sent as
//! `multipart/form-data` or urlencoded with the CSRF token scraped from the page that holds them.
//!
//! People of the demo: Erin (external), Olga (external, sees her organization's requests), Bea
//! (employee), Casey (agent and lead of Customer Care), the admin, and nobody signed in.

use axum::http::{Method, StatusCode};
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;
use crate::pages::Part::{File, Text};
use crate::pages::{ADMIN, BEA, Browser, CASEY, ERIN, Part, csrf, hidden, location, text};

const OLGA: &str = "olga@bayside.example";

/// Erin's demo request with a public reply and an internal note from Care.
const WRONG_BEANS: &str = "Wrong beans in my subscription box";
const WRONG_BEANS_REPLY: &str = "The right beans are on their way today";
const WRONG_BEANS_NOTE: &str = "Warehouse picked from the wrong bin again";

/// The portal's ways with the shared browser.
impl Browser<'_> {
    /// The CSRF token, as the portal's own forms carry it.
    async fn csrf(&self) -> String {
        csrf(&self.page("/portal").await)
    }

    /// A multipart form with the session's token first, as the page sends it.
    async fn send(&self, path: &str, parts: &[Part<'_>]) -> TestResponse {
        let csrf = self.csrf().await;
        let mut all = vec![Text("_csrf", &csrf)];
        all.extend(parts.iter().copied());
        self.multipart(path, &all).await
    }

    /// The requests this person follows, as the app lists them.
    async fn request_count(&self) -> usize {
        let response = self.desk.get("/api/v1/tickets?scope=requested&limit=100", self.token()).await;
        response.json["items"].as_array().map(Vec::len).unwrap_or_default()
    }
}

/// The request number a form post redirected to (`/portal/requests/<n>?done=sent`).
fn sent_request(response: &TestResponse) -> i64 {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", text(response));
    let target = location(response);
    let number = target.strip_prefix("/portal/requests/").and_then(|rest| rest.split('?').next());
    number.and_then(|number| number.parse().ok()).unwrap_or_else(|| panic!("not a request page: {target}"))
}

/// The ticket with this subject among those the person's token lists.
async fn ticket_with_subject(desk: &TestApp, token: &str, subject: &str) -> i64 {
    let list = desk.get("/api/v1/tickets?limit=100", token).await.json;
    let found = list["items"].as_array().unwrap().iter().find(|ticket| ticket["subject"] == subject);
    found.unwrap_or_else(|| panic!("no ticket `{subject}`"))["id"].as_i64().unwrap()
}

/// The service form of `order-problem`, filled in, with the given CSRF token or none.
fn forged(csrf: Option<&str>) -> Vec<Part<'_>> {
    let mut parts: Vec<Part<'_>> = csrf.map(|csrf| Text("_csrf", csrf)).into_iter().collect();
    parts.extend([Text("subject", "Forged"), Text("fields.order_number", "HB-1"), Text("body", "Forged.")]);
    parts
}

/// Posts a message on a ticket through the API (`visibility` public or internal).
async fn api_message(desk: &TestApp, email: &str, ticket: i64, body: &str, visibility: &str) {
    let token = desk.token(email).await;
    let message = json!({"body": body, "visibility": visibility});
    let posted = desk.post(&format!("/api/v1/tickets/{ticket}/messages"), &token, &message).await;
    assert_eq!(posted.status, 201, "{:?}", posted.json);
}

test_both! {
    async fn anonymous_visitors_are_sent_to_sign_in(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        for path in ["/portal", "/portal/requests", "/portal/services/order-problem", "/portal/requests/1", "/files/1"] {
            let response = desk.send(Method::GET, path, None, None).await;
            assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&response), format!("/signin?next={path}"));
        }
        let post = desk.send(Method::POST, "/portal/requests/1/solve", None, None).await;
        assert_eq!(post.status, StatusCode::SEE_OTHER);
        assert!(location(&post).starts_with("/signin?next="));
    }
}

test_both! {
    async fn each_face_of_the_portal_offers_its_own_services(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let external = (["order-problem", "product-question", "store-feedback"], ["till-or-laptop", "employee-discount"]);
        let internal = (["till-or-laptop", "employee-discount", "product-question"], ["order-problem", "sales-figures-x"]);
        let faces = [
            (ERIN, "Help centre", external),
            (OLGA, "Help centre", external),
            (BEA, "Employee portal", internal),
            // Staff see what they may ask for themselves, not the catalog they work.
            (CASEY, "Employee portal", internal),
            (ADMIN, "Employee portal", internal),
        ];
        for (email, title, (offered, hidden)) in faces {
            let browser = Browser::of(&desk, email).await;
            let home = browser.page("/portal").await;
            assert!(home.contains(&format!("<h1>{title}</h1>")), "{email} sees the {title}");
            for slug in offered {
                assert!(home.contains(&format!("data-service=\"{slug}\"")), "{email} is offered {slug}");
                let form = browser.page(&format!("/portal/services/{slug}")).await;
                assert!(form.contains(&format!("action=\"/portal/services/{slug}\"")), "{email} opens {slug}");
            }
            for slug in hidden {
                assert!(!home.contains(&format!("data-service=\"{slug}\"")), "{email} is not offered {slug}");
                let response = browser.get(&format!("/portal/services/{slug}")).await;
                assert_eq!(response.status, StatusCode::NOT_FOUND, "{email} cannot open {slug}");
            }
        }
    }
}

test_both! {
    async fn the_request_form_is_made_from_the_service_fields(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let bea = Browser::of(&desk, BEA).await;
        let stock = bea.page("/portal/services/stock-replenishment").await;
        assert!(stock.contains("enctype=\"multipart/form-data\""));
        assert!(stock.contains("<label for=\"field-store\">Store <span class=\"req\""), "a required marker");
        assert!(stock.contains("<select id=\"field-store\" name=\"fields.store\" required>"));
        assert!(stock.contains("<option>Pier 9</option>"));
        assert!(stock.contains("id=\"field-quantity\" name=\"fields.quantity\" type=\"number\""));
        assert!(stock.contains("id=\"field-needed_by\" name=\"fields.needed_by\" type=\"date\""));
        assert!(stock.contains("<label for=\"subject\">") && stock.contains("<label for=\"body\">"));
        assert!(stock.contains("<input id=\"files\" name=\"files\" type=\"file\" multiple"));
        let till = bea.page("/portal/services/till-or-laptop").await;
        assert!(till.contains("<legend>Does it stop sales?</legend>"));
        assert!(till.contains("type=\"radio\" id=\"field-blocks_sales\" name=\"fields.blocks_sales\" value=\"true\""));
        assert!(till.contains("name=\"fields.blocks_sales\" value=\"false\""));
    }
}

test_both! {
    async fn sending_the_form_opens_a_request_from_the_web(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = Browser::of(&desk, ERIN).await;
        let sent = erin
            .send(
                "/portal/services/order-problem",
                &[
                    Text("subject", "Bag arrived torn"),
                    Text("fields.order_number", "HB-777"),
                    Text("fields.problem", "Damaged"),
                    Text("body", "The 1 kg bag was torn open."),
                    File("files", "photo.txt", "text/plain", b"a photo, in words"),
                ],
            )
            .await;
        let id = sent_request(&sent);
        assert_eq!(location(&sent), format!("/portal/requests/{id}?done=sent"));
        let page = erin.page(location(&sent)).await;
        for expected in [&format!("Request #{id} sent."), "Bag arrived torn", "HB-777", "Damaged", "photo.txt"] {
            assert!(page.contains(expected), "the request page shows {expected}");
        }
        let token = desk.token(ERIN).await;
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &token).await.json;
        assert_eq!(ticket["ticket"]["channel"], "web");
        assert_eq!(ticket["ticket"]["service"]["slug"], "order-problem");
        assert_eq!(ticket["ticket"]["fields"], json!({"order_number": "HB-777", "problem": "Damaged"}));
        assert_eq!(ticket["messages"][0]["attachments"][0]["filename"], "photo.txt");

        // Typed answers: a yes/no is a boolean, a number a number.
        let bea = Browser::of(&desk, BEA).await;
        let till = [
            Text("subject", "Till 3 is dead"),
            Text("fields.device", "Till"),
            Text("fields.blocks_sales", "true"),
            Text("body", "No power at all."),
        ];
        let id = sent_request(&bea.send("/portal/services/till-or-laptop", &till).await);
        let token = desk.token(BEA).await;
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &token).await.json;
        assert_eq!(ticket["ticket"]["fields"], json!({"device": "Till", "blocks_sales": true}));
        assert!(bea.page(&format!("/portal/requests/{id}")).await.contains("<dt>Does it stop sales?</dt><dd>Yes</dd>"));
        let stock = [
            Text("subject", "Oat milk"),
            Text("fields.store", "Pier 9"),
            Text("fields.item", "Oat milk 1 l"),
            Text("fields.quantity", "24"),
            Text("fields.needed_by", "2030-01-15"),
            Text("body", "Running low."),
        ];
        let id = sent_request(&bea.send("/portal/services/stock-replenishment", &stock).await);
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &token).await.json;
        assert_eq!(ticket["ticket"]["fields"]["quantity"], 24);
        assert_eq!(ticket["ticket"]["fields"]["needed_by"], "2030-01-15");
    }
}

test_both! {
    async fn a_form_with_mistakes_comes_back_with_everything_typed_and_errors_by_their_fields(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = Browser::of(&desk, ERIN).await;
        let before = erin.request_count().await;
        let response = erin
            .send(
                "/portal/services/order-problem",
                &[
                    Text("subject", "Beans <late>"),
                    Text("fields.order_number", "  "),
                    Text("fields.problem", "Late"),
                    Text("body", "Ordered last week,\nstill nothing."),
                    File("files", "receipt.txt", "text/plain", b"receipt"),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(&response);
        assert!(page.contains("value=\"Beans &#60;late&#62;\"") || page.contains("value=\"Beans &lt;late&gt;\""), "{page}");
        assert!(page.contains(">Ordered last week,\nstill nothing.</textarea>"));
        assert!(page.contains("<option selected>Late</option>"));
        // The error sits between the field's label and its input, which points at it.
        let label = page.find("<label for=\"field-order_number\">").unwrap();
        let error = page.find("<p class=\"field-error\" id=\"field-order_number-error\">Order number is required</p>");
        let input = page.find("<input id=\"field-order_number\"").unwrap();
        assert!(error.is_some_and(|error| label < error && error < input), "{page}");
        assert!(page[input..].starts_with(
            "<input id=\"field-order_number\" name=\"fields.order_number\" type=\"text\" value=\"  \" required aria-invalid=\"true\" aria-describedby=\"field-order_number-error\">"
        ));
        assert!(page.contains("<a href=\"#field-order_number\">Order number is required</a>"), "the summary links to it");
        assert!(page.contains("Attach your files again"));
        assert_eq!(erin.request_count().await, before, "nothing was created");

        // Several mistakes at once; a number that is not one.
        let bea = Browser::of(&desk, BEA).await;
        let stock = [
            Text("subject", ""),
            Text("fields.store", "Old Town"),
            Text("fields.item", "Cups"),
            Text("fields.quantity", "lots"),
            Text("body", "We need cups."),
        ];
        let response = bea.send("/portal/services/stock-replenishment", &stock).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(&response);
        assert!(page.contains("<p class=\"field-error\" id=\"subject-error\">Subject must not be empty</p>"));
        assert!(page.contains("<p class=\"field-error\" id=\"field-quantity-error\">Quantity must be a number</p>"));
        assert!(page.contains("value=\"lots\"") && page.contains("value=\"Cups\"") && page.contains("<option selected>Old Town</option>"));
        assert!(page.contains("aria-describedby=\"subject-hint subject-error\" aria-invalid=\"true\""));
        assert!(page.contains("2 things to fix"));

        // A file over the limit is refused next to the file input, the rest kept.
        let large = vec![b'x'; desk.app.limits().max_upload_bytes + 1];
        let parts = [
            Text("subject", "Big photo"),
            Text("fields.order_number", "HB-1"),
            Text("body", "See the photo."),
            File("files", "huge.jpg", "image/jpeg", &large),
        ];
        let response = erin.send("/portal/services/order-problem", &parts).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(&response);
        assert!(page.contains("<p class=\"field-error\" id=\"files-error\">huge.jpg is larger than"), "{page}");
        assert!(page.contains("value=\"HB-1\"") && page.contains("value=\"Big photo\""));
        assert_eq!(erin.request_count().await, before);
    }
}

test_both! {
    async fn my_requests_lists_the_viewers_requests_page_by_page(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = Browser::of(&desk, ERIN).await;
        let list = erin.page("/portal/requests").await;
        assert!(list.contains(WRONG_BEANS));
        assert!(list.contains("<span class=\"status pending_customer\">Waiting for your reply</span>"));
        assert!(!list.contains("Office order arrived damaged"), "Olga's request is not Erin's");
        assert!(!list.contains("Till 2 freezes"), "nor Bea's");
        assert!(!list.contains("Requested by"));
        let home = erin.page("/portal").await;
        assert!(home.contains("Your latest requests"));
        assert!(home.matches("data-ticket=").count() == 5, "the home page shows the latest five");

        let olga = Browser::of(&desk, OLGA).await;
        let list = olga.page("/portal/requests").await;
        assert!(list.contains("Office order arrived damaged") && !list.contains(WRONG_BEANS));
        assert!(list.contains("Requested by"), "organization access lists whose each request is");

        // 25 a page, then the rest, by cursor.
        let token = desk.token(ERIN).await;
        for n in 0..26 {
            let new = json!({"subject": format!("Question {n}"), "body": "?", "service": "product-question"});
            assert_eq!(desk.post("/api/v1/tickets", &token, &new).await.status, 201);
        }
        let total = erin.request_count().await;
        let first = erin.page("/portal/requests").await;
        assert_eq!(first.matches("data-ticket=").count(), 25);
        assert!(first.contains("Question 25") && !first.contains("First page"));
        let next = first.split("href=\"/portal/requests?cursor=").nth(1).expect("a next page link");
        let cursor = next.split('"').next().unwrap();
        let second = erin.page(&format!("/portal/requests?cursor={cursor}")).await;
        assert_eq!(second.matches("data-ticket=").count(), total - 25);
        assert!(second.contains("First page") && !second.contains("Question 25"));
        let bad = erin.get("/portal/requests?cursor=nonsense").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}

test_both! {
    async fn the_request_page_shows_the_public_conversation_only(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin_token = desk.token(ERIN).await;
        let id = ticket_with_subject(&desk, &erin_token, WRONG_BEANS).await;
        api_message(&desk, CASEY, id, "Secret: Erin asked twice before, be generous", "internal").await;
        let erin = Browser::of(&desk, ERIN).await;
        let page = erin.page(&format!("/portal/requests/{id}")).await;
        assert!(page.contains(WRONG_BEANS) && page.contains(WRONG_BEANS_REPLY));
        assert!(page.contains("<span class=\"status pending_customer\" id=\"request-status\">"));
        assert!(page.contains("<dt>Order number</dt><dd>HB-10442</dd>"));
        assert!(page.contains("<dt>Team</dt><dd>Customer Care</dd>"));
        assert!(page.contains("<dt>Handled by</dt><dd>Casey Care</dd>"));
        assert!(!page.contains(WRONG_BEANS_NOTE) && !page.contains("be generous"), "no internal note, ever");
        assert!(page.contains("action=\"/portal/requests/") && page.contains("Mark as solved"));

        for (email, status) in [(BEA, StatusCode::NOT_FOUND), (OLGA, StatusCode::NOT_FOUND)] {
            let other = Browser::of(&desk, email).await;
            assert_eq!(other.get(&format!("/portal/requests/{id}")).await.status, status, "{email}");
        }
        for missing in ["/portal/requests/987654", "/portal/requests/abc"] {
            assert_eq!(erin.get(missing).await.status, StatusCode::NOT_FOUND);
        }
        // Staff who are not its requester work it in the console, which shows it whole.
        for email in [CASEY, ADMIN] {
            let staff = Browser::of(&desk, email).await;
            let response = staff.get(&format!("/portal/requests/{id}")).await;
            assert_eq!(response.status, StatusCode::SEE_OTHER);
            assert_eq!(location(&response), format!("/agent/tickets/{id}"));
        }
    }
}

test_both! {
    async fn staff_see_their_own_requests_as_requesters(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        // Casey asks Customer Care, his own team, a question from the portal.
        let casey = Browser::of(&desk, CASEY).await;
        let parts = [Text("subject", "Is the new blend decaf?"), Text("body", "A customer asked me.")];
        let id = sent_request(&casey.send("/portal/services/product-question", &parts).await);
        api_message(&desk, CASEY, id, "Note to self: check with the roaster", "internal").await;
        let page = casey.page(&format!("/portal/requests/{id}")).await;
        assert!(page.contains("Is the new blend decaf?") && page.contains("A customer asked me."));
        assert!(!page.contains("Note to self"), "the portal is the requester's view, even for the team's own agents");
        assert!(casey.page("/portal/requests").await.contains("Is the new blend decaf?"));
    }
}

test_both! {
    async fn requesters_reply_with_files_and_mark_their_request_solved(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = Browser::of(&desk, ERIN).await;
        let parts = [Text("subject", "Grinder noise"), Text("fields.order_number", "HB-5"), Text("body", "It squeaks.")];
        let id = sent_request(&erin.send("/portal/services/order-problem", &parts).await);
        let path = format!("/portal/requests/{id}");

        let empty = erin.send(&format!("{path}/reply"), &[Text("body", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(&empty).contains("<p class=\"field-error\" id=\"body-error\">Write your reply before sending it.</p>"));

        let reply = [Text("body", "Here is a recording."), File("files", "squeak.txt", "text/plain", b"squeak squeak")];
        let replied = erin.send(&format!("{path}/reply"), &reply).await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", text(&replied));
        assert_eq!(location(&replied), format!("{path}?done=replied"));
        let page = erin.page(location(&replied)).await;
        assert!(page.contains("Your reply was sent.") && page.contains("Here is a recording."));
        let file = page.split("<a href=\"/files/").nth(1).and_then(|rest| rest.split('"').next()).expect("a file link");
        let download = erin.get(&format!("/files/{file}")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body, b"squeak squeak");
        let header = |name: &str| download.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default();
        assert_eq!(header("content-type"), "text/plain");
        assert!(header("content-disposition").starts_with("attachment; filename=\"squeak.txt\""));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(header("content-security-policy").starts_with("sandbox"));
        for email in [BEA, OLGA] {
            let other = Browser::of(&desk, email).await;
            assert_eq!(other.get(&format!("/files/{file}")).await.status, StatusCode::NOT_FOUND, "{email}");
        }
        assert_eq!(erin.get("/files/987654").await.status, StatusCode::NOT_FOUND);
        assert_eq!(desk.send(Method::GET, &format!("/files/{file}"), None, None).await.status, StatusCode::SEE_OTHER);

        // "Solved" with a version that is no longer current says so and changes nothing.
        let stale = hidden(&page, "version");
        api_message(&desk, CASEY, id, "Could you send the grinder's serial number?", "public").await;
        let csrf = erin.csrf().await;
        let conflict = erin.post(&format!("{path}/solve"), &[("_csrf", &csrf), ("version", &stale)]).await;
        assert_eq!(conflict.status, StatusCode::CONFLICT);
        assert!(text(&conflict).contains("This request changed while you were reading it"));

        let page = erin.page(&path).await;
        let version = hidden(&page, "version");
        let solved = erin.post(&format!("{path}/solve"), &[("_csrf", &csrf), ("version", &version)]).await;
        assert_eq!(solved.status, StatusCode::SEE_OTHER);
        let page = erin.page(location(&solved)).await;
        assert!(page.contains("Marked as solved.") && page.contains("<span class=\"status solved\""));
        assert!(!page.contains("Mark as solved</button>"), "a solved request cannot be solved again");
        assert!(page.contains("Replying opens it again."));

        // A closed request says so and takes no reply.
        let casey = desk.token(CASEY).await;
        let current = desk.get(&format!("/api/v1/tickets/{id}"), &casey).await.json["ticket"]["version"].as_i64().unwrap();
        let closed = desk.patch(&format!("/api/v1/tickets/{id}"), &casey, current, &json!({"status": "closed"})).await;
        assert_eq!(closed.status, 200, "{:?}", closed.json);
        let page = erin.page(&path).await;
        assert!(page.contains("This request is closed") && !page.contains("id=\"reply\""));
        let late = erin.send(&format!("{path}/reply"), &[Text("body", "One more thing")]).await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert!(text(&late).contains("This request is closed"));
    }
}

test_both! {
    async fn forms_without_the_session_token_or_from_another_site_are_refused(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = Browser::of(&desk, ERIN).await;
        let csrf = erin.csrf().await;
        let before = erin.request_count().await;
        let service = "/portal/services/order-problem";
        assert_eq!(erin.multipart(service, &forged(None)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(erin.multipart(service, &forged(Some("0000"))).await.status, StatusCode::FORBIDDEN);
        let cross_site = [("sec-fetch-site", "cross-site")];
        assert_eq!(erin.multipart_with(service, &forged(Some(&csrf)), &cross_site).await.status, StatusCode::FORBIDDEN);
        let other_origin = [("origin", "https://evil.example"), ("host", "tandem.example")];
        assert_eq!(erin.multipart_with(service, &forged(Some(&csrf)), &other_origin).await.status, StatusCode::FORBIDDEN);
        // A file before the token is not even read.
        let file_first = [File("files", "a.txt", "text/plain", b"a"), Text("_csrf", &csrf), Text("body", "x")];
        assert_eq!(erin.multipart(service, &file_first).await.status, StatusCode::FORBIDDEN);
        assert_eq!(erin.request_count().await, before, "nothing was created");

        let token = desk.token(ERIN).await;
        let id = ticket_with_subject(&desk, &token, WRONG_BEANS).await;
        let messages = async || desk.get(&format!("/api/v1/tickets/{id}"), &token).await.json["messages"].clone();
        let conversation: Value = messages().await;
        let reply = format!("/portal/requests/{id}/reply");
        assert_eq!(erin.multipart(&reply, &[Text("body", "Forged")]).await.status, StatusCode::FORBIDDEN);
        let reply_parts = [Text("_csrf", &csrf), Text("body", "Forged")];
        assert_eq!(erin.multipart_with(&reply, &reply_parts, &cross_site).await.status, StatusCode::FORBIDDEN);
        let solve = format!("/portal/requests/{id}/solve");
        let version = hidden(&erin.page(&format!("/portal/requests/{id}")).await, "version");
        assert_eq!(erin.post(&solve, &[("version", &version)]).await.status, StatusCode::FORBIDDEN);
        let wrong = [("_csrf", "0000"), ("version", version.as_str())];
        assert_eq!(erin.post(&solve, &wrong).await.status, StatusCode::FORBIDDEN);
        let right = [("_csrf", csrf.as_str()), ("version", version.as_str())];
        assert_eq!(erin.post_with(&solve, &right, &cross_site).await.status, StatusCode::FORBIDDEN);
        assert_eq!(messages().await, conversation, "no reply was added");
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &token).await.json;
        assert_eq!(ticket["ticket"]["status"], "pending_customer", "and it was not solved");

        // Someone else's request cannot be answered or solved either.
        let bea = Browser::of(&desk, BEA).await;
        let bea_csrf = bea.csrf().await;
        let answer = bea.multipart(&reply, &[Text("_csrf", &bea_csrf), Text("body", "Hi")]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        let solve_it = bea.post(&solve, &[("_csrf", &bea_csrf), ("version", &version)]).await;
        assert_eq!(solve_it.status, StatusCode::NOT_FOUND);
    }
}
