//! The survey pages as a browser uses them: `/survey/{token}` with no sign-in (answer, change the
//! answer, a tampered or closed link's clear page that records nothing), and the admin's survey
//! pages (who may open each, defining a survey with its questions, sending a round, results that
//! say "not enough answers" for a small group).

use tandem_testkit::{TestResponse, now};

use super::*;
use crate::pages::{ADMIN, BEA, Browser, CASEY, ERIN, csrf, location, text, unescape};
use crate::surveys::{desk_with_outbox, links_to};

async fn submit(browser: &Browser<'_>, page: &str, action: &str, fields: &[(&str, &str)]) -> TestResponse {
    let shown = browser.page(page).await;
    let mut all: Vec<(String, String)> =
        fields.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
    all.push(("_csrf".into(), csrf(&shown)));
    browser.post(action, &all).await
}

test_both!(
    async fn a_survey_link_opens_a_page_that_records_and_changes_the_answer(backend: TestBackend) {
        let desk = desk_with_outbox(backend).await;
        let admin = desk.token(ADMIN).await;
        let survey = json!({"kind": "pulse", "title": "Quick pulse", "audience": "employees", "active": false,
            "questions": [{"kind": "scale_0_10", "text": "Would you recommend working here?"},
                {"kind": "choice", "text": "What helps most?", "choices": ["Tools", "Training"]},
                {"kind": "text", "text": "Anything else?"}]});
        let id = desk.post("/api/v1/surveys", &admin, &survey).await.json["id"].as_i64().unwrap();
        desk.post(&format!("/api/v1/surveys/{id}/send"), &admin, &json!({})).await;
        desk.app
            .worker(tandem_app::jobs::Registry::standard(), Vec::new(), Default::default())
            .run_until_idle(now())
            .await
            .unwrap();
        let token = links_to(&desk, BEA).await.pop().expect("Bea's invitation");
        let browser = Browser::anonymous(&desk);
        let path = format!("/survey/{token}");
        let page = browser.page(&path).await;
        assert!(page.contains("Quick pulse") && page.contains("Would you recommend working here?"), "{page}");
        assert!(page.contains("stored without your name"));

        // A missing first answer is shown again with the problem, and nothing is recorded.
        let refused = browser.post(&path, &[("t1", "Tools")]).await;
        assert_eq!(refused.status, 422, "{}", text(&refused));
        assert!(text(&refused).contains("Please check your answers"));
        let survey_path = format!("/api/v1/surveys/{id}");
        let answered = || desk.get(&survey_path, &admin);
        assert_eq!(answered().await.json["rounds"][0]["answered"], 0);

        let sent = browser.post(&path, &[("n0", "8"), ("t1", "Tools"), ("t2", "More <b>training</b> please")]).await;
        assert_eq!(sent.status, 200, "{}", text(&sent));
        let shown = text(&sent);
        assert!(shown.contains("Thank you: your answer is recorded."));
        assert!(shown.contains("name=\"n0\" value=\"8\" checked"), "{shown}");
        assert!(!shown.contains("<b>training"), "answers are escaped");
        assert!(unescape(&shown).contains("More <b>training</b> please"));
        let changed = browser.post(&path, &[("n0", "10"), ("t1", "Training")]).await;
        assert!(text(&changed).contains("name=\"n0\" value=\"10\" checked"));
        assert_eq!(answered().await.json["rounds"][0]["answered"], 1, "answering again changed the answer");

        // A tampered link: a clear page, for showing and for answering, and nothing recorded.
        let mut bad = token.clone();
        bad.pop();
        for response in [
            browser.get(&format!("/survey/{bad}x")).await,
            browser.post(&format!("/survey/{bad}x"), &[("n0", "1")]).await,
        ] {
            assert_eq!(response.status, 404);
            assert!(text(&response).contains("This survey link does not work"), "{}", text(&response));
            assert!(text(&response).contains("Nothing was recorded"));
        }
        let cross = browser.post_with(&path, &[("n0", "0")], &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross.status, 403, "a form from another site is refused");
        let results = desk.get(&format!("/api/v1/surveys/{id}/results"), &admin).await.json;
        assert_eq!(results["round"]["answered"], 1);
    }
);

test_both!(
    async fn a_closed_rating_link_says_so_and_records_nothing(backend: TestBackend) {
        let desk = desk_with_outbox(backend).await;
        let (erin, casey) = (desk.token(ERIN).await, desk.token(CASEY).await);
        let body = json!({"subject": "Wrong grind", "body": "Too fine.", "service": "order-problem",
            "fields": {"order_number": "HB-9100"}});
        let id = desk.post("/api/v1/tickets", &erin, &body).await.json["ticket"]["id"].as_i64().unwrap();
        desk.post(&format!("/api/v1/tickets/{id}/messages"), &casey, &json!({"body": "Sorted.", "status": "solved"}))
            .await;
        let token = links_to(&desk, ERIN).await.pop().expect("a rating request");
        let page = Browser::anonymous(&desk).page(&format!("/survey/{token}?rating=2")).await;
        assert!(page.contains("name=\"n0\" value=\"2\" checked"), "{page}");
        // The link expires with the survey: the app refuses it after SURVEY_OPEN_MS.
        let later = now() + 31 * 24 * 3_600_000;
        let input = serde_json::from_value(json!({"answers": [{"question": 0, "number": 1}]})).unwrap();
        assert!(desk.app.answer_survey_link(&token, input, later).await.is_err());
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json;
        assert!(ticket["satisfaction"].is_null());
        // Reopened and no longer solved: the page says why instead of recording.
        desk.post(&format!("/api/v1/tickets/{id}/messages"), &erin, &json!({"body": "Still too fine, actually."}))
            .await;
        let refused = Browser::anonymous(&desk).post(&format!("/survey/{token}"), &[("n0", "1")]).await;
        assert_eq!(refused.status, 400, "{}", text(&refused));
        assert!(desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json["satisfaction"].is_null());
    }
);

test_both!(
    async fn admins_define_and_send_surveys_in_the_admin_and_leads_read_results(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        assert!(admin.page("/admin").await.contains("href=\"/admin/surveys\""));
        let list = admin.page("/admin/surveys").await;
        assert!(
            list.contains("Monthly pulse") && list.contains("How likely are you to recommend Harbor Coffee?"),
            "{list}"
        );

        let refused = submit(
            &admin,
            "/admin/surveys/new",
            "/admin/surveys/new",
            &[
                ("kind", "pulse"),
                ("title", "Team pulse"),
                ("questions", "scale_1_5 | How are you?"),
                ("audience", "employees"),
                ("open_days", "7"),
                ("min_group", "5"),
            ],
        )
        .await;
        assert_eq!(refused.status, 422, "{}", text(&refused));
        assert!(text(&refused).contains("the first question is the 0–10 recommend question"), "{}", text(&refused));
        let questions = "scale_0_10 | Would you recommend working here?\nchoice | What helps most? | Tools; Training\ntext | Anything else?";
        let created = submit(
            &admin,
            "/admin/surveys/new",
            "/admin/surveys/new",
            &[
                ("kind", "pulse"),
                ("title", "Team pulse"),
                ("questions", questions),
                ("audience", "employees"),
                ("every_days", "30"),
                ("open_days", "7"),
                ("min_group", "5"),
            ],
        )
        .await;
        assert_eq!(created.status, 303, "{}", text(&created));
        let path = location(&created).split('?').next().unwrap().to_owned();
        let edit = admin.page(&path).await;
        assert!(unescape(&edit).contains("choice | What helps most? | Tools; Training"), "{edit}");
        assert!(edit.contains("Not sent yet."));
        let sent = submit(&admin, &path, &format!("{path}/send"), &[]).await;
        assert_eq!(sent.status, 303);
        let edit = admin.page(location(&sent)).await;
        assert!(edit.contains("Sent: the invitations are on their way."), "{edit}");
        assert!(!edit.contains("Not sent yet."));

        // The demo's pulse: results overall and for Store Operations, not for one-person teams.
        let surveys = desk.get("/api/v1/surveys", &desk.token(ADMIN).await).await.json;
        let pulse = surveys["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|survey| survey["title"] == "Monthly pulse")
            .unwrap()["id"]
            .clone();
        let results = format!("/admin/surveys/{pulse}/results");
        let lead = Browser::of(&desk, CASEY).await;
        for browser in [&admin, &lead] {
            let page = browser.page(&results).await;
            assert!(page.contains("eNPS"), "{page}");
            let stores = &page[page.find("data-department=\"Store Operations\"").expect("Store Operations")..];
            assert!(!stores[..stores.find("</div>").unwrap()].contains("Not enough answers"));
            let care = &page[page.find("data-department=\"Customer Care\"").expect("Customer Care")..];
            assert!(care[..care.find("</div>").unwrap()].contains("Not enough answers to show results"), "{care}");
        }
        assert!(lead.page("/admin").await.contains("href=\"/admin/surveys\""));
        assert!(lead.page("/admin/surveys").await.contains("Monthly pulse"));
        for page in ["/admin/surveys/new".to_owned(), path.clone()] {
            assert_eq!(lead.get(&page).await.status, 404, "leads do not edit surveys: {page}");
        }
        for email in [BEA, ERIN] {
            let browser = Browser::of(&desk, email).await;
            for page in ["/admin/surveys".to_owned(), results.clone(), path.clone()] {
                assert_eq!(browser.get(&page).await.status, 404, "{email} {page}");
            }
        }
        let visitor = Browser::anonymous(&desk).get(&results).await;
        assert!(location(&visitor).starts_with("/signin"), "a visitor is asked to sign in");
    }
);
