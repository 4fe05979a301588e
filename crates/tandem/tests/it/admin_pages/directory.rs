//! People, teams with their members, and customer organizations, created and changed through the
//! admin pages, with each refusal shown next to its field.

use super::*;

test_both! {
    async fn the_admin_creates_and_edits_a_person(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let stores = team_id(&desk, "stores").await;
        let sam = person_id(&desk, "sam@harbor.example").await;

        // Wrong fields come back marked, with what was typed.
        let bad = [("email", "not-an-email"), ("name", " "), ("title", "Baker"), ("kind", "employee"), ("password", "short")];
        let refused = admin.submit("/admin/people/new", "/admin/people/new", &bad).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert_refused_field(&html, "email", "not-an-email", "must be an email address");
        assert_refused_field(&html, "name", " ", "must not be empty");
        assert!(field_error(&html, "password").unwrap().contains("at least 8 characters"));
        assert!(tag(&html, "title").contains("value=\"Baker\""));
        let unknown = [("email", "pia@harbor.example"), ("name", "Pia Pastry"), ("kind", "employee"), ("manager_email", "ghost@harbor.example")];
        let refused = admin.submit("/admin/people/new", "/admin/people/new", &unknown).await;
        assert_refused_field(&text(&refused), "manager_email", "ghost@harbor.example", "nobody in the directory");
        let not_employee: Vec<(&str, &str)> =
            unknown.iter().map(|&(name, value)| if name == "manager_email" { (name, ERIN) } else { (name, value) }).collect();
        let refused = admin.submit("/admin/people/new", "/admin/people/new", &not_employee).await;
        assert_refused_field(&text(&refused), "manager_email", ERIN, "must be an employee");

        let stores_id = stores.to_string();
        let new = [
            ("email", "pia@harbor.example"),
            ("name", "Pia Pastry"),
            ("kind", "employee"),
            ("title", "Baker"),
            ("department_id", stores_id.as_str()),
            ("manager_email", "sam@harbor.example"),
            ("password", "a long enough password"),
        ];
        let created = admin.submit("/admin/people/new", "/admin/people/new", &new).await;
        assert_saved(&created, "/admin/people/");
        let page = admin.get(location(&created)).await;
        let html = text(&page);
        assert!(html.contains("Created.") && html.contains("value=\"Pia Pastry\"") && html.contains("value=\"Baker\""));
        assert!(html.contains("value=\"sam@harbor.example\""), "the manager is shown by email");
        assert!(!html.contains("a long enough password"), "a password never comes back into a page");
        let pia = person_id(&desk, "pia@harbor.example").await;
        let token = desk.token(ADMIN).await;
        let view = desk.get(&format!("/api/v1/people/{pia}"), &token).await.json;
        assert_eq!((view["department_id"].as_i64(), view["manager_id"].as_i64()), (Some(stores), Some(sam)));
        let signed_in = desk.post("/api/v1/sessions", "", &json!({"email": "pia@harbor.example", "password": "a long enough password"})).await;
        assert_eq!(signed_in.status, 201, "the password set on the page signs in");

        // The same email twice is refused next to the email field.
        let taken = [("email", "PIA@harbor.example"), ("name", "Another Pia"), ("kind", "employee")];
        let refused = admin.submit("/admin/people/new", "/admin/people/new", &taken).await;
        assert_eq!(refused.status, 409);
        assert_refused_field(&text(&refused), "email", "PIA@harbor.example", "already exists");

        // Editing: the version rides along as a hidden field.
        let edit = format!("/admin/people/{pia}");
        let html = text(&admin.get(&edit).await);
        assert!(tag(&html, "title").contains("value=\"Baker\""));
        let version = view["version"].as_i64().unwrap().to_string();
        let changed = [
            ("email", "pia@harbor.example"),
            ("name", "Pia Pâtissière"),
            ("kind", "employee"),
            ("title", "Head baker"),
            ("department_id", stores_id.as_str()),
            ("manager_email", ""),
            ("is_admin", "true"),
            ("version", version.as_str()),
        ];
        assert_saved(&admin.submit(&edit, &edit, &changed).await, &edit);
        let view = desk.get(&format!("/api/v1/people/{pia}"), &token).await.json;
        assert_eq!((view["name"].as_str(), view["title"].as_str()), (Some("Pia Pâtissière"), Some("Head baker")));
        assert_eq!((view["manager_id"].as_i64(), view["is_admin"].as_bool()), (None, Some(true)));

        // Someone else saved in between: the old version is refused, what was typed stays.
        let stale: Vec<(&str, &str)> =
            changed.iter().map(|&(name, value)| if name == "name" { (name, "Pia Stale") } else { (name, value) }).collect();
        let conflict = admin.submit(&edit, &edit, &stale).await;
        assert_eq!(conflict.status, 409);
        let html = text(&conflict);
        assert!(html.contains("changed by someone else"), "{html}");
        assert!(html.contains("value=\"Pia Stale\"") && html.contains(&format!("href=\"{edit}\">Load the current version")));

        // An external contact: organization, stakeholder kind, connection and organization access.
        let bayside = api_id(&desk, "/api/v1/organizations", "name", "Bayside Offices").await.to_string();
        let contact = [
            ("email", "quinn@bayside.example"),
            ("name", "Quinn Buyer"),
            ("kind", "external"),
            ("organization_id", bayside.as_str()),
            ("stakeholder", "client"),
            ("connection", "connected"),
            ("org_access", "true"),
        ];
        assert_saved(&admin.submit("/admin/people/new", "/admin/people/new", &contact).await, "/admin/people/");
        let quinn = person_id(&desk, "quinn@bayside.example").await;
        let view = desk.get(&format!("/api/v1/people/{quinn}"), &token).await.json;
        assert_eq!((view["stakeholder"].as_str(), view["org_access"].as_bool()), (Some("client"), Some(true)));
        // Employee fields on an external contact are refused next to the field.
        let mixed = [("department_id", stores_id.as_str()), ("email", "rey@bayside.example"), ("name", "Rey"), ("kind", "external")];
        let refused = admin.submit("/admin/people/new", "/admin/people/new", &mixed).await;
        assert_eq!(refused.status, 422);
        assert!(field_error(&text(&refused), "department_id").unwrap().contains("for employees"));
    }
}

test_both! {
    async fn the_people_list_searches_filters_and_pages(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let html = text(&admin.get("/admin/people?q=bea").await);
        assert!(html.contains("data-person=\"bea@harbor.example\"") && !html.contains("data-person=\"erin@example.com\""));
        assert!(html.contains("Barista, Store Operations"), "title and department");
        let html = text(&admin.get("/admin/people?kind=external").await);
        assert!(html.contains("data-person=\"erin@example.com\"") && !html.contains("data-person=\"bea@harbor.example\""));
        assert!(html.contains("Bayside Offices"), "an external contact's organization");

        // More people than one page: "Next page" walks them all, none twice.
        let principal = desk.principal(ADMIN).await;
        for n in 0..60 {
            let new = tandem_app::directory::people::NewPerson {
                email: format!("walker{n:02}@example.com"),
                name: format!("Walker {n:02}"),
                kind: tandem_domain::PersonKind::External,
                is_admin: false,
                title: None,
                department_id: None,
                manager_id: None,
                organization_id: None,
                stakeholder: None,
                connection: None,
                org_access: false,
                password: None,
            };
            desk.app.create_person(&principal, new, now()).await.unwrap();
        }
        let (mut seen, mut path) = (Vec::<String>::new(), Some("/admin/people?q=walker".to_owned()));
        let mut pages = 0;
        while let Some(at) = path {
            let html = text(&admin.get(&at).await);
            let people = html.split("data-person=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned());
            seen.extend(people);
            assert_eq!(html.contains(">First page</a>"), pages > 0, "{at}");
            path = next_page(&html);
            pages += 1;
        }
        assert_eq!((seen.len(), pages), (60, 2));
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 60, "no one twice");
    }
}

/// The page the "Next page" link leads to.
fn next_page(html: &str) -> Option<String> {
    let end = html.find("\" rel=\"next\"")?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(unescape(&html[start..end]))
}

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

test_both! {
    async fn the_admin_creates_a_team_and_manages_its_members(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let stores = team_id(&desk, "stores").await.to_string();
        let team = [("name", "Bakery"), ("slug", "bakery"), ("kind", "team"), ("parent_id", stores.as_str()), ("is_provider", "true"), ("assignment", "round_robin")];
        let created = admin.submit("/admin/teams/new", "/admin/teams/new", &team).await;
        assert_saved(&created, "/admin/teams/");
        let bakery = team_id(&desk, "bakery").await;
        let page = format!("/admin/teams/{bakery}");

        // The tree shows it under its department.
        let tree = text(&admin.get("/admin/teams").await);
        let (departments, bakery_row) = (tree.find("data-team=\"stores\"").unwrap(), tree.find("data-team=\"bakery\"").unwrap());
        assert!(departments < bakery_row && tree[bakery_row..].contains("class=\"depth-1\""));

        // A slug in use is refused next to the slug, with everything typed kept.
        let twice = [("name", "Care again"), ("slug", "care"), ("kind", "team"), ("assignment", "queue")];
        let refused = admin.submit("/admin/teams/new", "/admin/teams/new", &twice).await;
        assert_eq!(refused.status, 409);
        assert_refused_field(&text(&refused), "slug", "care", "already exists");
        assert!(tag(&text(&refused), "name").contains("value=\"Care again\""));

        // Settings change.
        let renamed = [("name", "Bakery & Pastry"), ("slug", "bakery"), ("kind", "team"), ("parent_id", stores.as_str()), ("is_provider", "true"), ("assignment", "queue")];
        assert_saved(&admin.submit(&page, &page, &renamed).await, &page);
        let token = desk.token(ADMIN).await;
        let view = desk.get(&format!("/api/v1/teams/{bakery}"), &token).await.json;
        assert_eq!((view["name"].as_str(), view["assignment"].as_str()), (Some("Bakery & Pastry"), Some("queue")));

        // Members: one by email, one picked from the list.
        let sam = person_id(&desk, "sam@harbor.example").await.to_string();
        let bea = person_id(&desk, BEA).await;
        let members = format!("{page}/members");
        assert_saved(&admin.submit(&page, &members, &[("email", BEA), ("role", "agent"), ("available", "true")]).await, &page);
        let html = text(&admin.get(&page).await);
        assert!(html.contains(&format!("<option value=\"{sam}\">Sam Store")), "Sam is offered");
        assert!(!html.contains(&format!("<option value=\"{bea}\">")), "Bea is already in");
        assert_saved(&admin.submit(&page, &members, &[("person_id", sam.as_str()), ("role", "lead")]).await, &page);
        let listed = desk.get(&format!("/api/v1/teams/{bakery}/members"), &token).await.json;
        let roles: Vec<(String, bool)> = listed.as_array().unwrap().iter().map(|m| (format!("{}:{}", m["email"].as_str().unwrap(), m["role"].as_str().unwrap()), m["available"].as_bool().unwrap())).collect();
        assert_eq!(roles, [("bea@harbor.example:agent".to_owned(), true), ("sam@harbor.example:lead".to_owned(), false)]);

        // Only employees, and only people who exist.
        for (email, message) in [(ERIN, "only employees"), ("ghost@harbor.example", "nobody in the directory")] {
            let refused = admin.submit(&page, &members, &[("email", email), ("role", "agent")]).await;
            assert_eq!(refused.status, 422, "{email}");
            let html = text(&refused);
            assert!(field_error(&html, "person").unwrap().contains(message), "{email}");
            assert!(tag(&html, "email").contains(&format!("value=\"{email}\"")));
        }
        let nobody = admin.submit(&page, &members, &[("role", "agent")]).await;
        assert!(field_error(&text(&nobody), "person").unwrap().contains("pick an employee"));

        // A member's role and availability change; then they leave.
        assert_saved(&admin.submit(&page, &format!("{members}/{bea}"), &[("role", "lead"), ("available", "true")]).await, &page);
        assert_saved(&admin.submit(&page, &format!("{members}/{bea}/remove"), &[] as &[(&str, &str)]).await, &page);
        let listed = desk.get(&format!("/api/v1/teams/{bakery}/members"), &token).await.json;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert!(text(&admin.get(&format!("{page}?done=removed")).await).contains("Removed from the team."));
    }
}

test_both! {
    async fn the_admin_creates_and_edits_an_organization(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let new = [("name", "Dockside Hotel"), ("domain", "dockside.example"), ("notes", "Buys beans by the sack.")];
        let created = admin.submit("/admin/organizations/new", "/admin/organizations/new", &new).await;
        assert_saved(&created, "/admin/organizations/");
        let list = text(&admin.get("/admin/organizations").await);
        assert!(list.contains("data-organization=\"Dockside Hotel\"") && list.contains("dockside.example"));

        let refused = admin.submit("/admin/organizations/new", "/admin/organizations/new", &new).await;
        assert_eq!(refused.status, 409);
        assert_refused_field(&text(&refused), "name", "Dockside Hotel", "already exists");

        let page = location(&created).split('?').next().unwrap().to_owned();
        let bad = [("name", "Dockside Hotel"), ("domain", "not a domain"), ("notes", "kept")];
        let refused = admin.submit(&page, &page, &bad).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert_refused_field(&html, "domain", "not a domain", "must be a domain");
        assert!(html.contains(">kept</textarea>"));

        let changed = [("name", "Dockside Hotel & Spa"), ("domain", ""), ("notes", "")];
        assert_saved(&admin.submit(&page, &page, &changed).await, &page);
        let token = desk.token(ADMIN).await;
        let id = api_id(&desk, "/api/v1/organizations", "name", "Dockside Hotel & Spa").await;
        let view = desk.get(&format!("/api/v1/organizations/{id}"), &token).await.json;
        assert_eq!((view["domain"].is_null(), view["notes"].as_str()), (true, Some("")));
    }
}
