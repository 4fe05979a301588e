//! Routing rules through the admin pages: the list in the order they are tried, a rule created
//! with conditions and actions, refused with reasons next to its fields, changed and deleted.

use super::*;

test_both! {
    async fn routing_rules_are_listed_created_edited_and_deleted(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let token = desk.token(ADMIN).await;

        // The demo's two rules, in order, in words.
        let list = text(&admin.get("/admin/rules").await);
        let money = list.find("data-rule=\"Money trouble from customers is urgent for Care\"").unwrap();
        let till = list.find("data-rule=\"A store that cannot sell comes first\"").unwrap();
        assert!(money < till);
        assert!(list.contains("External requests; subject has refund or charged or overcharged"), "{list}");
        assert!(list.contains("priority urgent; tags store-down"));

        // A rule that does nothing, or assigns without a team, is refused at the right place.
        let empty = [("name", "Nothing at all"), ("subject_words", "hello there")];
        let refused = admin.submit("/admin/rules/new", "/admin/rules/new", &empty).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert!(field_error(&html, "actions").unwrap().contains("must set a team"));
        assert!(tag(&html, "subject_words").contains("value=\"hello there\""));
        let loose = [("name", "Casey takes it"), ("assignee_email", CASEY)];
        let refused = admin.submit("/admin/rules/new", "/admin/rules/new", &loose).await;
        assert_refused_field(&text(&refused), "assignee_email", CASEY, "needs the team");

        // A complete rule: conditions of each kind, and every action.
        let care = team_id(&desk, "care").await.to_string();
        let stores = team_id(&desk, "stores").await.to_string();
        let bayside = api_id(&desk, "/api/v1/organizations", "name", "Bayside Offices").await.to_string();
        let order_problem = service_id(&desk, "order-problem").await.to_string();
        let rule = [
            ("name", "Bayside orders by email go to Casey"),
            ("position", "5"),
            ("enabled", "true"),
            ("audience", "external"),
            ("service", order_problem.as_str()),
            ("channel", "email"),
            ("channel", "web"),
            ("organization", bayside.as_str()),
            ("department", stores.as_str()),
            ("subject_words", "late, missing"),
            ("team_id", care.as_str()),
            ("priority", "high"),
            ("add_tags", "bayside, Key Account"),
            ("assignee_email", CASEY),
        ];
        let created = admin.submit("/admin/rules/new", "/admin/rules/new", &rule).await;
        assert_saved(&created, "/admin/rules/");
        let rules = desk.get("/api/v1/routing-rules", &token).await.json;
        let saved = rules[0].clone();
        assert_eq!(saved["name"], "Bayside orders by email go to Casey", "position 5 comes first");
        assert_eq!(saved["conditions"]["channels"], json!(["email", "web"]));
        assert_eq!(saved["conditions"]["subject_words"], json!(["late", "missing"]));
        assert_eq!(saved["actions"]["add_tags"], json!(["bayside", "key-account"]));
        assert_eq!(saved["actions"]["assignee_id"], person_id(&desk, CASEY).await);

        // Its page shows it as saved; a change is kept; a stale version is refused.
        let page = location(&created).split('?').next().unwrap().to_owned();
        let html = text(&admin.get(&page).await);
        assert!(tag(&html, "assignee_email").contains(&format!("value=\"{CASEY}\"")));
        assert!(html.contains(&format!("value=\"{bayside}\" checked")) && html.contains("value=\"email\" checked"));
        let version = saved["version"].to_string();
        let mut changed = rule.to_vec();
        changed.retain(|(name, _)| !matches!(*name, "enabled" | "channel" | "assignee_email"));
        changed.push(("version", version.as_str()));
        assert_saved(&admin.submit(&page, &page, &changed).await, &page);
        let saved = desk.get("/api/v1/routing-rules", &token).await.json[0].clone();
        assert_eq!((saved["enabled"].as_bool(), saved["conditions"]["channels"].is_null()), (Some(false), true));
        let conflict = admin.submit(&page, &page, &changed).await;
        assert_eq!(conflict.status, 409);
        assert!(text(&conflict).contains("changed by someone else"));

        // Delete.
        let deleted = admin.submit(&page, &format!("{page}/delete"), &[] as &[(&str, &str)]).await;
        assert_saved(&deleted, "/admin/rules?done=deleted");
        assert_eq!(desk.get("/api/v1/routing-rules", &token).await.json.as_array().unwrap().len(), 2);
        assert_eq!(admin.get(&page).await.status, 404);
    }
}
