//! Loyalty: the customer profile (staff only), referrals recorded by staff or through a referral
//! link, purchases from the API and CSV imports (admins; all or nothing, never counted twice), the
//! detractors list leads work, and the pages for each.

use serde_json::Value;

use super::*;
use crate::pages::{Browser, Part, csrf, text};
use crate::recovery::{CASEY, CODY, ERIN, desk_with_cody};
use crate::surveys::{self, answer, desk_with_outbox, links_to, scalar};

const ADMIN: &str = "admin@harbor.example";
const OLGA: &str = "olga@bayside.example";
const THEO: &str = "theo@example.net";
const PRIYA: &str = "priya@example.org";
const MARCO: &str = "marco@cafemarco.example";
const SOL: &str = "sol@sunrisebeans.example";
const NOOR: &str = "noor@harbor.example";

async fn person_id(desk: &TestApp, email: &str) -> i64 {
    desk.principal(email).await.person_id.0
}

async fn profile(desk: &TestApp, who: &str, person: i64) -> tandem_testkit::TestResponse {
    desk.get(&format!("/api/v1/people/{person}/profile"), &desk.token(who).await).await
}

/// Sends a CSV import as `who`.
async fn import(desk: &TestApp, who: &str, csv: &str) -> tandem_testkit::TestResponse {
    let request = axum::http::Request::post("/api/v1/purchases/import")
        .header("authorization", format!("Bearer {}", desk.token(who).await))
        .header("content-type", "text/csv")
        .body(axum::body::Body::from(csv.to_owned()))
        .unwrap();
    desk.raw(request).await
}

test_both! {
    async fn staff_read_a_customers_profile_and_nobody_else_does(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let erin = person_id(&desk, ERIN).await;
    let shown = profile(&desk, CASEY, erin).await;
    assert_eq!(shown.status, 200, "{:?}", shown.json);
    let shown = shown.json;
    assert_eq!(shown["person"]["email"], ERIN);
    assert_eq!(shown["tickets"].as_array().unwrap().len(), 5, "the ones Care works: {:?}", shown["tickets"]);
    let everything = profile(&desk, ADMIN, erin).await.json;
    let statuses: Vec<&str> = everything["tickets"].as_array().unwrap().iter().filter_map(|t| t["status"].as_str()).collect();
    assert_eq!(statuses.len(), 7, "admins see all seven, Marketing's too");
    assert!(statuses.contains(&"solved") || statuses.contains(&"closed"), "solved history included: {statuses:?}");
    assert!(shown["tickets_by_channel"].as_array().unwrap().iter().any(|count| count["channel"] == "web"));
    let months = shown["satisfaction"].as_array().unwrap();
    assert!(!months.is_empty() && months.iter().all(|month| month["month"].as_str().unwrap().len() == 7), "{months:?}");
    assert_eq!(shown["make_goods"].as_array().unwrap().len(), 3, "Care's three make-goods for Erin");
    assert_eq!(shown["referred"][0]["referred_name"], "Olga Buyer");
    assert_eq!(shown["purchase_totals"][0]["amount"], "48.60 EUR");
    assert_eq!(shown["purchases"].as_array().unwrap().len(), 3);

    // Ivan (IT) sees the profile without Care's make-goods.
    let ivan = profile(&desk, "ivan@harbor.example", erin).await.json;
    assert_eq!(ivan["make_goods"], json!([]));
    let olga = person_id(&desk, OLGA).await;
    assert_eq!(profile(&desk, CASEY, olga).await.json["referred_by"]["referrer_name"], "Erin Consumer");

    for who in [ERIN, OLGA, "bea@harbor.example"] {
        assert_eq!(profile(&desk, who, erin).await.status, 404, "{who}: not even their own");
        let page = Browser::of(&desk, who).await.get(&format!("/agent/people/{erin}")).await;
        assert_eq!(page.status, 404, "{who}");
    }
    assert_eq!(desk.send(axum::http::Method::GET, &format!("/api/v1/people/{erin}/profile"), None, None).await.status, 401);
    assert_eq!(profile(&desk, CASEY, 999_999).await.status, 404);

    let page = Browser::of(&desk, CASEY).await.page(&format!("/agent/people/{erin}")).await;
    assert!(page.contains("Referred <a href=\"/agent/people/") && page.contains("Olga Buyer"), "{page}");
    assert!(page.contains("3 purchases, 48.60 EUR") && page.contains("id=\"csat-trend\""), "{page}");
}
}

test_both! {
    async fn referrals_are_recorded_by_staff_or_through_a_link_once(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let admin = desk.token(ADMIN).await;
    let casey = desk.token(CASEY).await;
    let (sam, bea) = (person_id(&desk, "sam@harbor.example").await, person_id(&desk, "bea@harbor.example").await);
    let body = json!({"referrer_id": sam, "referred_id": bea, "note": "Sam brought Bea in."});
    assert_eq!(desk.post("/api/v1/referrals", &desk.token(ERIN).await, &body).await.status, 404, "customers");
    let recorded = desk.post("/api/v1/referrals", &casey, &body).await;
    assert_eq!(recorded.status, 201, "{:?}", recorded.json);
    assert_eq!((recorded.json["source"].as_str(), recorded.json["referrer_name"].as_str()), (Some("agent"), Some("Sam Store")));
    let again = desk.post("/api/v1/referrals", &casey, &body).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "already_referred"));
    let selfish = desk.post("/api/v1/referrals", &casey, &json!({"referrer_id": sam, "referred_id": sam})).await;
    assert_eq!(selfish.status, 422);

    // The link: Erin's code, a newcomer's first request through it.
    let code = desk.get("/api/v1/referral-code", &desk.token(ERIN).await).await.json;
    let (code, path) = (code["code"].as_str().unwrap().to_owned(), code["path"].as_str().unwrap().to_owned());
    assert_eq!(path, format!("/portal/join?ref={code}"));
    assert_eq!(desk.get("/api/v1/referral-code", &desk.token(ERIN).await).await.json["code"], code.as_str(), "one code each");
    let new = json!({"email": "newbie@example.net", "name": "Nina Newbie", "kind": "external"});
    assert_eq!(desk.post("/api/v1/people", &admin, &new).await.status, 201);
    let join = Browser::of(&desk, "newbie@example.net").await.page(&path).await;
    assert!(join.contains(&format!("/portal/services/order-problem?ref={code}")), "{join}");
    let form = Browser::of(&desk, "newbie@example.net").await.page(&format!("/portal/services/order-problem?ref={code}")).await;
    assert!(form.contains(&format!("name=\"ref\" value=\"{code}\"")), "{form}");

    let newbie = desk.token("newbie@example.net").await;
    let claim = |token: String, code: String| {
        let desk = &desk;
        async move { desk.post("/api/v1/referrals/claim", &token, &json!({"code": code})).await }
    };
    assert_eq!(claim(newbie.clone(), "NOPE1234".into()).await.status, 422);
    assert_eq!(claim(newbie.clone(), code.clone()).await.json["recorded"], true);
    assert_eq!(claim(newbie.clone(), code.clone()).await.json["recorded"], false, "once");
    assert_eq!(claim(desk.token(ERIN).await, code.clone()).await.json["recorded"], false, "not oneself");
    assert_eq!(claim(desk.token("sol@sunrisebeans.example").await, code.clone()).await.json["recorded"], false,
        "Sol has asked before: the link counts with a first request only");
    let newbie_id = person_id(&desk, "newbie@example.net").await;
    let shown = profile(&desk, CASEY, newbie_id).await.json;
    assert_eq!((shown["referred_by"]["referrer_name"].as_str(), shown["referred_by"]["source"].as_str()),
        (Some("Erin Consumer"), Some("link")));
    assert_eq!(desk.get("/api/v1/referral-code", &desk.token(ERIN).await).await.json["referred"], 2, "Olga and Nina");
    let refer = Browser::of(&desk, ERIN).await.page("/portal/refer").await;
    assert!(refer.contains(&code) && refer.contains("2 people came through your link"), "{refer}");

    // A newcomer's first request sent from the form the link leads to records the referral too.
    let nora = json!({"email": "nora@example.net", "name": "Nora New", "kind": "external"});
    assert_eq!(desk.post("/api/v1/people", &admin, &nora).await.status, 201);
    let browser = Browser::of(&desk, "nora@example.net").await;
    let token = csrf(&browser.page("/portal").await);
    let parts = [Part::Text("_csrf", &token), Part::Text("ref", &code), Part::Text("subject", "Grinder question"),
        Part::Text("fields.order_number", "HB-77"), Part::Text("body", "Which grind for a moka pot?")];
    let sent = browser.multipart("/portal/services/order-problem", &parts).await;
    assert_eq!(sent.status, 303, "{}", text(&sent));
    let nora_id = person_id(&desk, "nora@example.net").await;
    assert_eq!(profile(&desk, CASEY, nora_id).await.json["referred_by"]["source"], "link");

    // Recording from the profile page, by the referrer's email.
    let browser = Browser::of(&desk, CASEY).await;
    let token = csrf(&text(&browser.get("/portal").await));
    let sol = person_id(&desk, "sol@sunrisebeans.example").await;
    let referred = person_id(&desk, "ivan@harbor.example").await;
    let sent = browser.post(&format!("/agent/people/{referred}/referrals"),
        &[("_csrf", token.as_str()), ("referrer_email", "sol@sunrisebeans.example"), ("note", "")]).await;
    assert_eq!(sent.status, 303, "{}", text(&sent));
    assert_eq!(profile(&desk, CASEY, referred).await.json["referred_by"]["referrer_id"], sol);
}
}

/// Erin's purchase totals, as Casey reads them on her profile.
async fn totals(desk: &TestApp, erin: i64) -> Value {
    profile(desk, CASEY, erin).await.json["purchase_totals"][0].clone()
}

const GOOD_CSV: &str = "email,external_ref,description,amount,currency,purchased_at
erin@example.com,SHOP-40211,Ethiopia Yirgacheffe 1 kg,24.90,EUR,2026-09-14
erin@example.com,SHOP-50001,\"Mug, large\",12.00,EUR,2026-11-01T09:30:00Z
";

test_both! {
    async fn purchases_are_recorded_and_imported_all_or_nothing_never_twice(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let admin = desk.token(ADMIN).await;
    let erin = person_id(&desk, ERIN).await;
    let one = json!({"person_id": erin, "external_ref": "SHOP-60000", "description": "Gift card", "amount_minor": 2500,
        "currency": "EUR", "purchased_at": "2026-11-10"});
    assert_eq!(desk.post("/api/v1/purchases", &desk.token(CASEY).await, &one).await.status, 403, "staff, not admins");
    assert_eq!(desk.post("/api/v1/purchases", &desk.token(ERIN).await, &one).await.status, 404, "customers");
    assert_eq!(desk.post("/api/v1/purchases", &admin, &one).await.status, 201);
    let again = desk.post("/api/v1/purchases", &admin, &one).await;
    assert_eq!((again.status.as_u16(), again.json["recorded"].as_bool()), (200, Some(false)));
    let mut bad = one.clone();
    bad["purchased_at"] = json!("last week");
    assert_eq!(desk.post("/api/v1/purchases", &admin, &bad).await.status, 422);
    assert_eq!(totals(&desk, erin).await["purchases"], 4);

    let imported = import(&desk, ADMIN, GOOD_CSV).await;
    assert_eq!(imported.status, 200, "{:?}", imported.json);
    assert_eq!((imported.json["imported"].as_i64(), imported.json["duplicates"].as_i64()), (Some(1), Some(1)));
    assert_eq!(import(&desk, ADMIN, GOOD_CSV).await.json["imported"], 0, "re-importing counts nothing twice");
    let after: Value = totals(&desk, erin).await;
    assert_eq!((after["purchases"].as_i64(), after["amount"].as_str()), (Some(5), Some("85.60 EUR")));

    let broken = format!("{GOOD_CSV}erin@example.com,SHOP-50002,Beans,lots,EUR,2026-11-02\n")
        .replace("SHOP-50001", "SHOP-50003");
    let refused = import(&desk, ADMIN, &broken).await;
    assert_eq!(refused.status, 422);
    let message = refused.json["error"]["fields"]["csv"].as_str().unwrap();
    assert!(message.contains("line 4") && message.contains("lots"), "{message}");
    let stranger = GOOD_CSV.replace("erin@example.com,SHOP-50001", "nobody@example.org,SHOP-50004");
    let refused = import(&desk, ADMIN, &stranger).await;
    assert!(refused.json["error"]["fields"]["csv"].as_str().unwrap().contains("line 3"), "{:?}", refused.json);
    assert_eq!(totals(&desk, erin).await["purchases"], 5, "a refused file imports nothing");
    assert_eq!(import(&desk, CASEY, GOOD_CSV).await.status, 403);
    assert_eq!(import(&desk, ERIN, GOOD_CSV).await.status, 404);
    let json_body = desk.post("/api/v1/purchases/import", &admin, &json!({})).await;
    assert_eq!(json_body.status, 415);

    // The admin page: a bad file comes back with the line named; others find no page.
    let browser = Browser::of(&desk, ADMIN).await;
    let token = csrf(&text(&browser.get("/admin/purchases").await));
    let sent = browser.post("/admin/purchases", &[("_csrf", token.as_str()), ("csv", broken.as_str())]).await;
    assert_eq!(sent.status, 422);
    assert!(text(&sent).contains("line 4"), "{}", text(&sent));
    let good = GOOD_CSV.replace("SHOP-50001", "SHOP-50005");
    let sent = browser.post("/admin/purchases", &[("_csrf", token.as_str()), ("csv", good.as_str())]).await;
    assert!(text(&sent).contains("Imported 1 purchases; 1 were already recorded"), "{}", text(&sent));
    assert_eq!(Browser::of(&desk, CASEY).await.get("/admin/purchases").await.status, 404);
}
}

test_both! {
    async fn leads_work_the_detractors_list(backend: TestBackend) {
    let (desk, _) = desk_with_cody(backend).await;
    let casey = desk.token(CASEY).await;
    let list = desk.get("/api/v1/detractors", &casey).await;
    assert_eq!(list.status, 200, "{:?}", list.json);
    let erin = person_id(&desk, ERIN).await;
    let entry = |list: &Value, person: i64| list.as_array().unwrap().iter().find(|item| item["person_id"] == person).cloned();
    let flagged = entry(&list.json, erin).expect("Erin declined a make-good");
    assert_eq!((flagged["signals"][0]["source"].as_str(), flagged["open"].as_bool()), (Some("refused_make_good"), Some(true)));
    let olga = person_id(&desk, OLGA).await;
    assert!(entry(&list.json, olga).is_none(), "one low rating is not a pattern");

    // Olga rates a second request 1: repeated low CSAT.
    let olga_token = desk.token(OLGA).await;
    let new = json!({"subject": "Grinder noisy", "body": "Loud.", "service": "order-problem", "fields": {"order_number": "HB-1"}});
    let id = desk.post("/api/v1/tickets", &olga_token, &new).await.json["ticket"]["id"].as_i64().unwrap();
    desk.post(&format!("/api/v1/tickets/{id}/messages"), &casey, &json!({"body": "Done.", "status": "solved"})).await;
    desk.put(&format!("/api/v1/tickets/{id}/satisfaction"), &olga_token, &json!({"rating": 1})).await;
    let list = desk.get("/api/v1/detractors", &casey).await.json;
    let olga_entry = entry(&list, olga).expect("two low ratings in 90 days");
    assert_eq!((olga_entry["signals"][0]["source"].as_str(), olga_entry["signals"][0]["count"].as_i64()),
        (Some("repeated_low_csat"), Some(2)));

    let path = format!("/api/v1/detractors/{erin}/worked");
    assert_eq!(desk.post(&path, &desk.token(CODY).await, &json!({"note": "Called"})).await.status, 403, "agents");
    assert_eq!(desk.get("/api/v1/detractors", &desk.token(CODY).await).await.status, 403);
    for who in [ERIN, "bea@harbor.example"] {
        assert_eq!(desk.get("/api/v1/detractors", &desk.token(who).await).await.status, 404, "{who}");
        assert_eq!(desk.post(&path, &desk.token(who).await, &json!({"note": "x"})).await.status, 404, "{who}");
    }
    assert_eq!(desk.post(&path, &casey, &json!({"note": "  "})).await.status, 422);
    let worked = desk.post(&path, &casey, &json!({"note": "Called Erin; the right beans arrived."})).await;
    assert_eq!(worked.status, 201, "{:?}", worked.json);
    let list = desk.get("/api/v1/detractors", &desk.token("ivan@harbor.example").await).await.json;
    let erin_entry = entry(&list, erin).unwrap();
    assert_eq!((erin_entry["open"].as_bool(), erin_entry["worked"]["by"].as_str()), (Some(false), Some("Casey Care")));
    assert_eq!(list[0]["open"], true, "open ones first");

    let page = Browser::of(&desk, CASEY).await.page("/agent/detractors").await;
    assert!(page.contains(&format!("id=\"detractor-{olga}\"")) && page.contains("Rated 1 or 2 more than once"), "{page}");
    assert!(page.contains("Called Erin; the right beans arrived."));
    assert_eq!(Browser::of(&desk, ERIN).await.get("/agent/detractors").await.status, 404);
}
}

/// The detractors list as Casey (a lead) reads it.
async fn detractors(desk: &TestApp) -> Value {
    let list = desk.get("/api/v1/detractors", &desk.token(CASEY).await).await;
    assert_eq!(list.status, 200, "{:?}", list.json);
    list.json
}

/// The sources (and counts) that put `person` on a detractors list, if they are on it.
fn sources(list: &Value, person: i64) -> Option<Vec<(String, i64)>> {
    let item = list.as_array().unwrap().iter().find(|item| item["person_id"] == person)?;
    let signals = item["signals"].as_array().unwrap().iter();
    Some(
        signals
            .map(|signal| (signal["source"].as_str().unwrap().to_owned(), signal["count"].as_i64().unwrap()))
            .collect(),
    )
}

fn only(source: &str) -> Option<Vec<(String, i64)>> {
    Some(vec![(source.to_owned(), 1)])
}

/// Sends survey `id` now and runs the jobs that email its links.
async fn send_now(desk: &TestApp, admin: &str, id: i64) {
    let sent = desk.post(&format!("/api/v1/surveys/{id}/send"), admin, &json!({})).await;
    assert_eq!(sent.status, 201, "{:?}", sent.json);
}

test_both! {
    async fn a_low_nps_answer_flags_its_customer_and_an_anonymous_pulse_answer_flags_nobody(backend: TestBackend) {
    let desk = desk_with_outbox(backend).await;
    let admin = desk.token(ADMIN).await;
    let demo = detractors(&desk).await;
    let mut names: Vec<&str> = demo.as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Erin Consumer", "Marco Café", "Sol Supplier", "Theo Regular"], "the demo's detractors");
    for who in [THEO, MARCO] {
        assert_eq!(sources(&demo, person_id(&desk, who).await), only("low_nps"), "{who}'s demo NPS answer");
    }
    let priya = person_id(&desk, PRIYA).await;
    assert_eq!(sources(&demo, priya), None, "Priya's demo NPS answer was a promoter's");
    let nps = surveys::create(&desk, &admin, &surveys::nps()).await;
    send_now(&desk, &admin, nps).await;
    let pulse = surveys::create(&desk, &admin, &surveys::pulse("employees", None)).await;
    send_now(&desk, &admin, pulse).await;
    surveys::run_jobs(&desk, tandem_testkit::now()).await;

    // A 7 is a passive's answer; changed to 4 through the same link, Priya is a detractor.
    let token = links_to(&desk, PRIYA).await.pop().expect("Priya's NPS link");
    assert_eq!(answer(&desk, &token, json!([{"question": 0, "number": 7}])).await.status, 200);
    assert_eq!(sources(&detractors(&desk).await, priya), None, "7 is not a detractor's score");
    assert_eq!(answer(&desk, &token, json!([{"question": 0, "number": 4}])).await.status, 200);
    assert_eq!(sources(&detractors(&desk).await, priya), only("low_nps"));
    let page = Browser::of(&desk, CASEY).await.page("/agent/detractors").await;
    let entry = &page[page.find(&format!("id=\"detractor-{priya}\"")).expect("Priya on the page")..];
    assert!(entry[..entry.find("</li>").unwrap()].contains("Answered NPS 0 to 6"), "{page}");

    // Noor answers the anonymous pulse with 0: stored without her, and nothing on the list is hers.
    let token = links_to(&desk, NOOR).await.pop().expect("Noor's pulse link");
    let given = json!([{"question": 0, "number": 0}, {"question": 2, "text": "Tools"}]);
    assert_eq!(answer(&desk, &token, given).await.status, 200);
    let zero = "SELECT COUNT(*) FROM survey_responses WHERE score = 0 AND person_id IS NULL";
    assert_eq!(scalar(&desk.db.store, zero).await, 1, "the pulse answer is stored, without its person");
    let list = detractors(&desk).await;
    let noor = person_id(&desk, NOOR).await;
    assert_eq!(sources(&list, noor), None);
    let shown = list.to_string();
    assert!(!shown.contains("Noor") && !shown.contains(NOOR), "{shown}");
    for item in list.as_array().unwrap() {
        assert_eq!(item["kind"], "external", "only customers are flagged here: {item}");
    }
}
}

test_both! {
    async fn an_unanswered_bad_review_flags_its_author_until_the_team_answers(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let casey = desk.token(CASEY).await;
    let sol = person_id(&desk, SOL).await;
    assert_eq!(sources(&detractors(&desk).await, sol), only("unanswered_bad_review"), "the demo's angry review");
    let page = Browser::of(&desk, CASEY).await.page("/agent/detractors").await;
    let entry = &page[page.find(&format!("id=\"detractor-{sol}\"")).expect("Sol on the page")..];
    assert!(entry[..entry.find("</li>").unwrap()].contains("A 1 or 2 star review nobody answered"), "{page}");

    let reviews = desk.get("/api/v1/reviews?limit=100", &casey).await.json;
    let angry = reviews["items"].as_array().unwrap().iter().find(|review| review["title"] == "Nobody answers").unwrap();
    let answer_path = format!("/api/v1/reviews/{}/answer", angry["id"]);
    let answered = desk.put(&answer_path, &casey, &json!({"answer": "Sorry, Sol: the right cups leave today."})).await;
    assert_eq!(answered.status, 200, "{:?}", answered.json);
    assert_eq!(sources(&detractors(&desk).await, sol), None, "answered: no longer flagged");

    // Private reviews count too; three stars do not.
    let priya = person_id(&desk, PRIYA).await;
    let priya_token = desk.token(PRIYA).await;
    let write = |stars: i64, visibility: &'static str, token: String| {
        let desk = &desk;
        async move {
            let body = json!({"service": "product-question", "rating": stars, "title": "Slow", "body": "Too slow.",
                "visibility": visibility});
            let made = desk.post("/api/v1/reviews", &token, &body).await;
            assert_eq!(made.status, 201, "{:?}", made.json);
            made.json["id"].as_i64().unwrap()
        }
    };
    write(3, "private", priya_token.clone()).await;
    assert_eq!(sources(&detractors(&desk).await, priya), None, "three stars");
    write(2, "private", priya_token).await;
    assert_eq!(sources(&detractors(&desk).await, priya), only("unanswered_bad_review"));

    // A hidden review leaves the list with the help centre's.
    let olga = person_id(&desk, OLGA).await;
    let id = write(1, "public", desk.token(OLGA).await).await;
    assert_eq!(sources(&detractors(&desk).await, olga), only("unanswered_bad_review"));
    let hidden = desk.post(&format!("/api/v1/reviews/{id}/hide"), &casey, &json!({"reason": "Abusive"})).await;
    assert_eq!(hidden.status.as_u16() / 100, 2, "{:?}", hidden.json);
    assert_eq!(sources(&detractors(&desk).await, olga), None, "hidden");
}
}
