//! Reviews as pages, driven as a browser would (`pages::Browser`): the help centre's public list
//! for every role, "Write a review" and "My reviews" for a customer (and what everyone else gets
//! there), and the console's unanswered-first list with its answer and hide forms.

use axum::http::StatusCode;

use super::*;
use crate::pages::{ADMIN, BEA, Browser, CASEY, ERIN, IVAN, csrf, location, text};

const PUBLIC_TITLES: [&str; 4] =
    ["They know their beans", "Office order put right quickly", "Lovely baristas, long queue", "Nobody answers"];
const PRIVATE_TITLE: &str = "Pier 9 at lunchtime";

/// The id of the demo review with this title, read through the API as an admin.
async fn review_id(desk: &TestApp, title: &str) -> i64 {
    let list = desk.get("/api/v1/reviews?limit=100", &desk.token(ADMIN).await).await.json;
    let items = list["items"].as_array().unwrap();
    items.iter().find(|item| item["title"] == title).and_then(|item| item["id"].as_i64()).unwrap()
}

test_both! {
    async fn the_help_centre_lists_public_reviews_for_everyone_and_nothing_else(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    for who in [None, Some(ERIN), Some("olga@bayside.example"), Some(BEA), Some(IVAN), Some(ADMIN)] {
        let browser = match who {
            Some(email) => Browser::of(&desk, email).await,
            None => Browser::anonymous(&desk),
        };
        let page = browser.page("/help/reviews").await;
        for title in PUBLIC_TITLES {
            assert!(page.contains(title), "{who:?} reads {title}");
        }
        assert!(!page.contains(PRIVATE_TITLE), "{who:?}: private reviews are not on the help centre");
        assert!(page.contains("Thank you, Erin!"), "answers are shown with their review");
        let customer = matches!(who, Some(ERIN | "olga@bayside.example"));
        assert_eq!(page.contains("id=\"write-review\""), customer, "{who:?}");
    }
    assert!(Browser::anonymous(&desk).page("/help").await.contains("href=\"/help/reviews\""));
}
}

test_both! {
    async fn a_customer_writes_and_edits_a_review_and_others_cannot(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let erin = Browser::of(&desk, ERIN).await;
    let form = erin.page("/portal/reviews/new").await;
    assert!(form.contains("Problem with an order") && !form.contains("Till or laptop problem"), "{form}");
    let token = csrf(&form);
    let service = desk.get("/api/v1/services/order-problem", erin.token()).await.json["id"].to_string();

    // A refusal keeps what was typed and says why.
    let fields = |rating: &'static str, title: &'static str| {
        vec![("_csrf", token.clone()), ("service", service.clone()), ("rating", rating.to_owned()),
            ("title", title.to_owned()), ("body", "Cups arrived chipped.".to_owned()), ("visibility", "private".to_owned())]
    };
    let refused = erin.post("/portal/reviews/new", &fields("", "Chipped cups")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("rating") && text(&refused).contains("Chipped cups"), "{}", text(&refused));
    let forged = erin.post("/portal/reviews/new", &fields("2", "Chipped cups")[1..]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let sent = erin.post("/portal/reviews/new", &fields("2", "Chipped cups")).await;
    assert_eq!((sent.status, location(&sent)), (StatusCode::SEE_OTHER, "/portal/reviews?done=written"));

    // A review may also go to a feedback topic's teams: a 1-star one about delivery is a ticket.
    assert!(form.contains("Orders and delivery") && !form.contains("The office"), "customers' topics only");
    let mut routed = fields("1", "Late box");
    routed.push(("topic", "delivery".to_owned()));
    assert_eq!(erin.post("/portal/reviews/new", &routed).await.status, StatusCode::SEE_OTHER);
    assert!(erin.page("/portal/requests").await.contains("Feedback on Orders and delivery (1 of 5 stars)"));

    let mine = erin.page("/portal/reviews").await;
    assert!(mine.contains("Chipped cups") && mine.contains("They know their beans") && mine.contains("Private"), "{mine}");
    assert!(!mine.contains("Nobody answers"), "only her own");
    assert!(!Browser::anonymous(&desk).page("/help/reviews").await.contains("Chipped cups"), "private stays off the help centre");

    // Editing her own review, at the version the form carries.
    let id = review_id(&desk, "Chipped cups").await;
    let edit = erin.page(&format!("/portal/reviews/{id}")).await;
    let version = desk.get(&format!("/api/v1/reviews/{id}"), erin.token()).await.json["version"].to_string();
    let saved = erin.post(&format!("/portal/reviews/{id}"), &[("_csrf", csrf(&edit).as_str()), ("version", version.as_str()),
        ("rating", "3"), ("title", "Chipped cups, quickly replaced"), ("body", "Replaced in two days."), ("visibility", "public")]).await;
    assert_eq!((saved.status, location(&saved)), (StatusCode::SEE_OTHER, "/portal/reviews?done=saved"));
    assert!(Browser::anonymous(&desk).page("/help/reviews").await.contains("Chipped cups, quickly replaced"));

    // Someone else's review: a customer who may read it may not edit it; a private one is not there.
    let olga = Browser::of(&desk, "olga@bayside.example").await;
    assert_eq!(olga.get(&format!("/portal/reviews/{id}")).await.status, StatusCode::FORBIDDEN);
    let private = review_id(&desk, PRIVATE_TITLE).await;
    assert_eq!(erin.get(&format!("/portal/reviews/{private}")).await.status, StatusCode::NOT_FOUND);
    // Employees and staff do not write reviews; visitors are asked to sign in.
    for email in [BEA, CASEY] {
        assert_eq!(Browser::of(&desk, email).await.get("/portal/reviews/new").await.status, StatusCode::FORBIDDEN);
    }
    let visitor = Browser::anonymous(&desk).get("/portal/reviews").await;
    assert!(location(&visitor).starts_with("/signin"), "{:?}", visitor.status);
}
}

test_both! {
    async fn the_console_lists_unanswered_reviews_first_and_the_owning_team_answers_and_hides(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let bad = review_id(&desk, "Nobody answers").await;
    let casey = Browser::of(&desk, CASEY).await;
    let page = casey.page("/agent/reviews").await;
    let (waiting, answered) = page.split_once("id=\"answered\"").unwrap();
    assert!(waiting.contains("Nobody answers") && !waiting.contains("They know their beans"), "{waiting}");
    assert!(answered.contains("They know their beans") && answered.contains(PRIVATE_TITLE), "staff see private ones");
    assert!(page.contains(&format!("action=\"/agent/reviews/{bad}/answer\"")), "Care owns the service");

    // IT reads the reviews but answers none of Care's.
    let ivan = Browser::of(&desk, IVAN).await;
    let theirs = ivan.page("/agent/reviews").await;
    assert!(theirs.contains("Nobody answers") && !theirs.contains(&format!("action=\"/agent/reviews/{bad}/answer\"")));
    let refused = ivan.post(&format!("/agent/reviews/{bad}/answer"), &[("_csrf", csrf(&theirs).as_str()), ("answer", "Hi")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    for email in [ERIN, BEA] {
        assert_eq!(Browser::of(&desk, email).await.get("/agent/reviews").await.status, StatusCode::NOT_FOUND);
    }

    let answered = casey.post(&format!("/agent/reviews/{bad}/answer"),
        &[("_csrf", csrf(&page).as_str()), ("answer", "We are sorry, Sol: Casey is calling you this morning.")]).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let after = casey.page("/agent/reviews?done=answered").await;
    assert!(after.contains("Every review has its answer."), "{after}");
    assert!(Browser::anonymous(&desk).page("/help/reviews").await.contains("Casey is calling you this morning"));

    let hidden = casey.post(&format!("/agent/reviews/{bad}/hide"), &[("_csrf", csrf(&page).as_str()), ("reason", "Names a supplier contract")]).await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    assert!(!Browser::anonymous(&desk).page("/help/reviews").await.contains("Nobody answers"), "hidden reviews vanish");
    assert!(casey.page("/agent/reviews").await.contains("Hidden from the public: Names a supplier contract"));
}
}
