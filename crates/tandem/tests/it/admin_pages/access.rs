//! Who may open each admin page: admins all of them, a team's lead their team's page and its
//! services, everyone else "not found", and nobody signed in is sent to sign in. Posts need the
//! session's CSRF token.

use super::*;

/// What each role gets from a page.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sees {
    /// Admins only.
    Admin,
    /// Admins and any lead (the admin start page, a new service).
    AnyLead,
    /// Admins and the leads of this team (Casey's Customer Care, Ivan's IT).
    Care,
    It,
}

test_both! {
    async fn every_admin_page_answers_each_role_as_it_should(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let (care, it) = (team_id(&desk, "care").await, team_id(&desk, "it").await);
        let bea = person_id(&desk, BEA).await;
        let bayside = api_id(&desk, "/api/v1/organizations", "name", "Bayside Offices").await;
        let rules = desk.get("/api/v1/routing-rules", &desk.token(ADMIN).await).await.json;
        let rule = rules[0]["id"].as_i64().unwrap();
        let pages = [
            ("/admin".to_owned(), Sees::AnyLead),
            ("/admin/people".to_owned(), Sees::Admin),
            ("/admin/people?q=b&kind=employee".to_owned(), Sees::Admin),
            ("/admin/people/new".to_owned(), Sees::Admin),
            (format!("/admin/people/{bea}"), Sees::Admin),
            ("/admin/teams".to_owned(), Sees::Admin),
            ("/admin/teams/new".to_owned(), Sees::Admin),
            (format!("/admin/teams/{care}"), Sees::Care),
            (format!("/admin/teams/{it}"), Sees::It),
            ("/admin/organizations".to_owned(), Sees::Admin),
            ("/admin/organizations/new".to_owned(), Sees::Admin),
            (format!("/admin/organizations/{bayside}"), Sees::Admin),
            ("/admin/services".to_owned(), Sees::Admin),
            ("/admin/services/new".to_owned(), Sees::AnyLead),
            ("/admin/services/order-problem".to_owned(), Sees::Care),
            ("/admin/services/till-or-laptop".to_owned(), Sees::It),
            ("/admin/rules".to_owned(), Sees::Admin),
            ("/admin/rules/new".to_owned(), Sees::Admin),
            (format!("/admin/rules/{rule}"), Sees::Admin),
        ];
        let admin = Browser::of(&desk, ADMIN).await;
        let casey = Browser::of(&desk, CASEY).await;
        let ivan = Browser::of(&desk, IVAN).await;
        let bea = Browser::of(&desk, BEA).await;
        let erin = Browser::of(&desk, ERIN).await;
        let nobody = Browser::anonymous(&desk);
        for (path, sees) in &pages {
            let expect = |lead_of: Sees| match sees {
                Sees::Admin => 404,
                Sees::AnyLead => 200,
                team => if *team == lead_of { 200 } else { 404 },
            };
            for (who, browser, status) in [
                ("admin", &admin, 200),
                ("casey", &casey, expect(Sees::Care)),
                ("ivan", &ivan, expect(Sees::It)),
                ("bea", &bea, 404),
                ("erin", &erin, 404),
            ] {
                let page = browser.get(path).await;
                assert_eq!(page.status, status, "{who} on {path}");
                if status == 200 {
                    let html = text(&page);
                    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/admin.css\">"), "{path}");
                    assert!(page.headers.get("content-security-policy").is_some(), "{path}");
                    // The admin link in the frame is for admins only.
                    assert_eq!(html.contains("href=\"/admin\" aria-current=\"page\">Admin</a>"), who == "admin", "{who} {path}");
                }
            }
            let anonymous = nobody.get(path).await;
            assert_eq!(anonymous.status, 303, "anonymous on {path}");
            assert!(location(&anonymous).starts_with("/signin?next=/admin"), "{path}: {}", location(&anonymous));
        }

        // The admin's start page names every area; a lead's names their teams and services.
        let start = text(&admin.get("/admin").await);
        for area in ["/admin/people", "/admin/teams", "/admin/organizations", "/admin/services", "/admin/rules"] {
            assert!(start.contains(&format!("href=\"{area}\"")), "{area}");
        }
        let start = text(&casey.get("/admin").await);
        assert!(start.contains(&format!("href=\"/admin/teams/{care}\"")) && start.contains("/admin/services/order-problem"));
        assert!(!start.contains(&format!("href=\"/admin/teams/{it}\"")) && !start.contains("/admin/people"));
        // A lead's new service may only go to the teams they lead.
        let form = text(&casey.get("/admin/services/new").await);
        assert!(form.contains(&format!("<option value=\"{care}\"")) && !form.contains(&format!("<option value=\"{it}\"")));

        // Ids that are not numbers, or name nothing, are not found either.
        for path in ["/admin/people/abc", "/admin/people/999999", "/admin/teams/x", "/admin/services/no-such", "/admin/rules/999999"] {
            assert_eq!(admin.get(path).await.status, 404, "{path}");
        }
    }
}

test_both! {
    async fn posts_need_the_sessions_csrf_token(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let care = team_id(&desk, "care").await;
        let admin = Browser::of(&desk, ADMIN).await;
        let token = csrf(&text(&admin.get("/admin/people/new").await));
        let person = [("email", "forged@harbor.example"), ("name", "Forged"), ("kind", "employee")];
        let posts = [
            "/admin/people/new".to_owned(),
            "/admin/organizations/new".to_owned(),
            "/admin/teams/new".to_owned(),
            format!("/admin/teams/{care}"),
            format!("/admin/teams/{care}/members"),
            "/admin/services/order-problem".to_owned(),
            "/admin/rules/new".to_owned(),
        ];
        for path in &posts {
            let missing = admin.post(path, &person).await;
            assert_eq!(missing.status, 403, "no token on {path}");
            assert!(text(&missing).contains("did not come from Tandem"), "{path}");
            let mut wrong = person.to_vec();
            wrong.push(("_csrf", "0123456789abcdef0123456789abcdef01234567"));
            assert_eq!(admin.post(path, &wrong).await.status, 403, "a wrong token on {path}");
        }
        // Another session's token is wrong too.
        let other = Browser::of(&desk, ADMIN).await;
        let mut foreign = person.to_vec();
        let foreign_token = csrf(&text(&other.get("/admin/people/new").await));
        foreign.push(("_csrf", foreign_token.as_str()));
        assert_eq!(admin.post("/admin/people/new", &foreign).await.status, 403);
        // A cross-site post is refused even with the right token.
        let mut right = person.to_vec();
        right.push(("_csrf", token.as_str()));
        let cross_site = admin.post_with("/admin/people/new", &right, &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross_site.status, 403);
        let admin_token = desk.token(ADMIN).await;
        let nobody = desk.get("/api/v1/people?q=forged", &admin_token).await;
        assert_eq!(nobody.json["items"].as_array().unwrap().len(), 0, "nothing was created");

        // With its own token, a person who may not use the page gets "not found"; a signed-out
        // browser is sent to sign in.
        let bea = Browser::of(&desk, BEA).await;
        let bea_token = csrf(&text(&bea.get("/portal").await));
        let mut bea_post = person.to_vec();
        bea_post.push(("_csrf", bea_token.as_str()));
        assert_eq!(bea.post("/admin/people/new", &bea_post).await.status, 404);
        let anonymous = Browser::anonymous(&desk).post("/admin/people/new", &right).await;
        assert_eq!(anonymous.status, 303);
        assert!(location(&anonymous).starts_with("/signin"));
        // And with the right token the admin's post goes through.
        assert_saved(&admin.post("/admin/people/new", &right).await, "/admin/people/");
    }
}
