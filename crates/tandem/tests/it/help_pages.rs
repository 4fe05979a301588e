//! The help centre, the article console and the suggestion flow as pages, driven as a browser
//! would (`pages::Browser`): every role against every page that shows articles, the portal's
//! suggestions and "This solved my problem", the reply box's article links, and "Turn into draft
//! article" on a public message.

use axum::http::StatusCode;

use super::*;
use crate::pages::{ADMIN, BEA, Browser, CASEY, ERIN, IVAN, csrf, location, text};

const DESCALE: &str = "How to descale your espresso machine";
const VPN: &str = "Setting up the VPN";
const REFUNDS: &str = "Refund guidelines";

/// Who reads which of three demo articles (public, employees, agents only) on the help pages.
const READERS: &[(Option<&str>, [bool; 3])] = &[
    (None, [true, false, false]),
    (Some(ERIN), [true, false, false]),
    (Some(BEA), [true, true, false]),
    (Some(IVAN), [true, true, true]),
    (Some(CASEY), [true, true, true]),
    (Some(ADMIN), [true, true, true]),
];

async fn browser<'a>(desk: &'a TestApp, who: Option<&str>) -> Browser<'a> {
    match who {
        Some(email) => Browser::of(desk, email).await,
        None => Browser::anonymous(desk),
    }
}

test_both! {
    async fn the_help_centre_shows_each_reader_their_audiences_only(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    for (who, reads) in READERS {
        let browser = browser(&desk, *who).await;
        let index = browser.page("/help").await;
        for (title, slug, readable) in [
            (DESCALE, "how-to-descale-your-espresso-machine", reads[0]),
            (VPN, "setting-up-the-vpn", reads[1]),
            (REFUNDS, "refund-guidelines", reads[2]),
        ] {
            assert_eq!(index.contains(title), readable, "{who:?} sees {title} listed");
            let page = browser.get(&format!("/help/{slug}")).await;
            let want = if readable { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(page.status, want, "{who:?} opens {slug}");
            if !readable {
                assert!(!text(&page).contains(title), "{who:?}: the 404 names nothing");
            }
        }
        // Search: ranked results with their hits marked; other audiences' words never show.
        let results = browser.page("/help?q=days").await;
        assert!(results.contains("<mark>"), "{who:?}: {results}");
        assert_eq!(results.contains("carry over") || results.contains("Annual leave"), reads[1], "{who:?}");
        assert_eq!(results.contains(REFUNDS), reads[2], "{who:?}");
        assert!(!browser.page("/help?q=december").await.contains("Shipping times"), "{who:?} finds a draft");
    }
    // Markdown is rendered and what it cannot hold is not there.
    let article = Browser::anonymous(&desk).page("/help/how-to-descale-your-espresso-machine").await;
    assert!(article.contains("<ol>") && article.contains("<a href=\"/help/returning-an-order\""), "{article}");
    assert!(!article.contains("Was this article any good?"), "visitors do not react");
    // The portal links the help centre.
    assert!(Browser::of(&desk, ERIN).await.page("/portal").await.contains("href=\"/help\""));
}
}

test_both! {
    async fn a_signed_in_reader_reacts_once_and_may_change_it(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let erin = Browser::of(&desk, ERIN).await;
    let path = "/help/how-to-descale-your-espresso-machine";
    let page = erin.page(path).await;
    for reaction in ["boring", "interesting"] {
        let sent = erin.post(&format!("{path}/reaction"), &[("_csrf", csrf(&page).as_str()), ("reaction", reaction)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", text(&sent));
    }
    let page = erin.page(path).await;
    assert!(page.contains("value=\"interesting\" class=\"primary\" aria-pressed=\"true\""), "{page}");
    let forged = erin.post(&format!("{path}/reaction"), &[("reaction", "sucks")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let hidden = erin.post("/help/refund-guidelines/reaction", &[("_csrf", csrf(&page).as_str()), ("reaction", "sucks")]).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}
}

test_both! {
    async fn the_portal_suggests_the_requesters_articles_and_a_deflection_files_nothing(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let erin = Browser::of(&desk, ERIN).await;
    let bea = Browser::of(&desk, BEA).await;
    let form = erin.page("/portal/services/order-problem").await;
    assert!(form.contains("data-suggest=\"/portal/suggestions?service=order-problem\""), "{form}");
    let for_erin = erin.page("/portal/suggestions?service=order-problem&q=how%20to%20desc").await;
    assert!(for_erin.contains(DESCALE) && for_erin.contains("This solved my problem"), "{for_erin}");
    assert!(!for_erin.contains("type=\"submit\""), "Enter in the subject must still press \"Send request\"");
    assert!(!erin.page("/portal/suggestions?service=order-problem&q=vpn").await.contains(VPN), "not hers");
    assert!(!erin.page("/portal/suggestions?service=order-problem&q=refund").await.contains(REFUNDS));
    assert!(bea.page("/portal/suggestions?service=till-or-laptop&q=vpn").await.contains(VPN));
    // An agent on the portal is a requester: they are suggested what they could request as one.
    let casey = Browser::of(&desk, CASEY).await;
    assert!(!casey.page("/portal/suggestions?service=order-problem&q=refund").await.contains(REFUNDS));
    assert_eq!(Browser::anonymous(&desk).get("/portal/suggestions?q=desc").await.status, StatusCode::SEE_OTHER);

    let casey_token = desk.token("casey@harbor.example").await;
    let descale = desk.get("/api/v1/articles?q=descale", &casey_token).await.json["items"][0]["id"].as_i64().unwrap();
    let deflections = || async { desk.get(&format!("/api/v1/articles/{descale}"), &casey_token).await.json["stats"]["deflections"].as_i64().unwrap() };
    let (before, requests_before) = (deflections().await, requests(&desk, &erin).await);
    let id = descale.to_string();
    // The button posts the whole request form here instead of filing it.
    let fields = [("_csrf", csrf(&form)), ("subject", "How to descale?".to_owned()), ("body", "My machine is slow".to_owned()),
        ("article_id", id.clone())];
    let solved = erin.post("/portal/services/order-problem/solved", &fields).await;
    assert_eq!(solved.status, StatusCode::OK, "{}", text(&solved));
    assert!(text(&solved).contains("Glad that helped"));
    assert_eq!(deflections().await, before + 1);
    assert_eq!(requests(&desk, &erin).await, requests_before, "nothing was filed");
    let vpn = desk.get("/api/v1/articles?q=vpn", &casey_token).await.json["items"][0]["id"].as_i64().unwrap().to_string();
    let not_hers = erin.post("/portal/services/order-problem/solved", &[("_csrf", csrf(&form)), ("article_id", vpn)]).await;
    assert_eq!(not_hers.status, StatusCode::NOT_FOUND);
    let forged = erin.post("/portal/services/order-problem/solved", &[("article_id", id)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(deflections().await, before + 1);
}
}

async fn requests(desk: &TestApp, browser: &Browser<'_>) -> usize {
    let listed = desk.get("/api/v1/tickets?scope=requested&limit=100", browser.token()).await;
    listed.json["items"].as_array().map(Vec::len).unwrap_or_default()
}

test_both! {
    async fn the_console_lists_edits_and_publishes_for_the_owning_team_only(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    for who in [ERIN, BEA] {
        assert_eq!(Browser::of(&desk, who).await.get("/agent/articles").await.status, StatusCode::NOT_FOUND, "{who}");
    }
    let casey = Browser::of(&desk, CASEY).await;
    let list = casey.page("/agent/articles").await;
    assert!(list.contains("Shipping times and costs (holidays)") && list.contains("Published, draft pending"), "{list}");
    assert!(list.contains(REFUNDS) && !list.contains(VPN), "Casey's team's articles only");
    assert!(list.contains("<td class=\"deflections\">"), "{list}");

    let new = casey.page("/agent/articles/new").await;
    let category = new.split("name=\"category_id\">").nth(1).unwrap().split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let team = new.split("name=\"team_id\">").nth(1).unwrap().split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let refused = casey.post("/agent/articles/new", &[("_csrf", csrf(&new).as_str()), ("title", ""), ("category_id", &category),
        ("audience", "public"), ("team_id", &team), ("body", "x")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("title: must not be empty"), "{}", text(&refused));
    let created = casey.post("/agent/articles/new", &[("_csrf", csrf(&new).as_str()), ("title", "Cold brew at home"),
        ("category_id", &category), ("audience", "public"), ("team_id", &team), ("body", "Steep **overnight**.")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", text(&created));
    let editor_path = location(&created).split('?').next().unwrap().to_owned();
    let editor = casey.page(&editor_path).await;
    assert!(editor.contains("Never published") && editor.contains("<strong>overnight</strong>"), "{editor}");
    assert_eq!(Browser::anonymous(&desk).get("/help/cold-brew-at-home").await.status, StatusCode::NOT_FOUND);
    let ivan = Browser::of(&desk, IVAN).await;
    assert_eq!(ivan.get(&editor_path).await.status, StatusCode::NOT_FOUND, "another team's draft does not exist");

    let published = casey.post(&format!("{editor_path}/publish"), &[("_csrf", csrf(&editor))]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert!(Browser::anonymous(&desk).page("/help/cold-brew-at-home").await.contains("Steep <strong>overnight</strong>."));
    assert_eq!(ivan.get(&editor_path).await.status, StatusCode::FORBIDDEN, "readable, not editable");
    let ivan_page = ivan.page("/agent/articles").await;
    let forged = ivan.post(&format!("{editor_path}/publish"), &[("_csrf", csrf(&ivan_page))]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Saving the published article makes a draft; the help centre keeps the published text.
    let editor = casey.page(&editor_path).await;
    let version = editor.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let saved = casey.post(&editor_path, &[("_csrf", csrf(&editor).as_str()), ("version", &version), ("title", "Cold brew at home"),
        ("category_id", &category), ("audience", "public"), ("team_id", &team), ("body", "Steep for 16 hours.")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", text(&saved));
    assert!(!Browser::anonymous(&desk).page("/help/cold-brew-at-home").await.contains("16 hours"));
    assert!(casey.page(&editor_path).await.contains("Draft version 2 not yet published"));
}
}

test_both! {
    async fn replies_link_articles_the_requester_may_read_and_answers_become_drafts(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let erin = desk.token("erin@example.com").await;
    let body = json!({"subject": "Descaling question", "body": "How often should I descale?", "service": "order-problem",
        "fields": {"order_number": "HB-1"}});
    let ticket = desk.post("/api/v1/tickets", &erin, &body).await.json["ticket"]["id"].as_i64().unwrap();
    let casey = Browser::of(&desk, CASEY).await;
    let page = casey.page(&format!("/agent/tickets/{ticket}")).await;
    assert!(page.contains("Insert article link") && page.contains("Turn into draft article"), "{page}");
    let links = casey.page(&format!("/agent/article-links?ticket={ticket}&q=refun")).await;
    assert!(links.contains("data-insert-link=\"/help/returning-an-order\""), "{links}");
    assert!(!links.contains(REFUNDS), "an external customer cannot open an agents' article: {links}");
    let bea = desk.token("bea@harbor.example").await;
    let internal = json!({"subject": "VPN?", "body": "How do I connect?", "service": "till-or-laptop", "fields": {"device": "Laptop", "store": "Pier 9"}});
    let internal = desk.post("/api/v1/tickets", &bea, &internal).await;
    let internal = internal.json["ticket"]["id"].as_i64().unwrap_or_else(|| panic!("{:?}", internal.json));
    let ivan = Browser::of(&desk, IVAN).await;
    assert!(ivan.page(&format!("/agent/article-links?ticket={internal}&q=vpn")).await.contains(VPN), "employees read it");
    assert_eq!(Browser::of(&desk, ERIN).await.get(&format!("/agent/article-links?ticket={ticket}&q=refun")).await.status,
        StatusCode::NOT_FOUND);

    let answer = desk.post(&format!("/api/v1/tickets/{ticket}/messages"), &desk.token("casey@harbor.example").await,
        &json!({"body": "Every two months, monthly with hard water."})).await;
    let message = answer.json["message"]["id"].as_i64().or(answer.json["id"].as_i64()).unwrap_or_else(|| panic!("{:?}", answer.json));
    let page = casey.page(&format!("/agent/tickets/{ticket}")).await;
    let drafted = casey.post(&format!("/agent/tickets/{ticket}/article-draft"), &[("_csrf", csrf(&page)), ("message_id", message.to_string())]).await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", text(&drafted));
    let editor = casey.page(location(&drafted)).await;
    assert!(editor.contains("Descaling question") && editor.contains("Every two months"), "{editor}");
    assert!(editor.contains("Never published"), "a draft until someone publishes it");
    let ivan_page = ivan.page("/agent").await;
    let foreign = ivan.post(&format!("/agent/tickets/{ticket}/article-draft"), &[("_csrf", csrf(&ivan_page)), ("message_id", message.to_string())]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "Ivan does not work Erin's ticket");
}
}

test_both! {
    async fn editors_see_the_five_reaction_counts_on_the_article_page(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let path = "/help/how-to-descale-your-espresso-machine";
    for email in ["olga@bayside.example", BEA] {
        let reader = Browser::of(&desk, email).await;
        let page = reader.page(path).await;
        reader.post(&format!("{path}/reaction"), &[("_csrf", csrf(&page).as_str()), ("reaction", "sucks")]).await;
    }
    let id = desk.get("/api/v1/articles?q=descale", &desk.token(CASEY).await).await.json["items"][0]["id"].clone();
    let editor = Browser::of(&desk, CASEY).await.page(&format!("/agent/articles/{id}")).await;
    // Erin's "awesome" is the demo's; Olga and Bea just said it sucks.
    assert!(editor.contains("Reactions: awesome 1 · interesting 0 · useful 0 · boring 0 · sucks 2"), "{editor}");
    assert!(!editor.contains("olga@") && !editor.contains("Olga"), "counts only, never who");
}
}
