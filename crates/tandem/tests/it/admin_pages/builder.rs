//! Services and their request forms: the form builder adds, edits, reorders and removes fields
//! without any script, keeps what was typed when it refuses, previews the form, and what it
//! saves is what requesters are asked. A team's lead manages their own team's services only.

use serde_json::Value;

use super::*;

const ORDER_PROBLEM: &str = "/admin/services/order-problem";

/// The service as the API shows it to the admin.
async fn service(desk: &TestApp, slug: &str) -> Value {
    desk.get(&format!("/api/v1/services/{slug}"), &desk.token(ADMIN).await).await.json
}

fn keys(service: &Value) -> Vec<String> {
    service["form"].as_array().unwrap().iter().map(|field| field["key"].as_str().unwrap().to_owned()).collect()
}

/// The service's own fields as its page posts them (everything but the form's rows).
fn about(service: &Value) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = ["slug", "name", "description", "audience", "default_priority"]
        .iter()
        .map(|name| (name.to_string(), service[*name].as_str().unwrap().to_owned()))
        .collect();
    fields.push(("team_id".into(), service["team_id"].to_string()));
    fields.push(("version".into(), service["version"].to_string()));
    if service["active"] == true {
        fields.push(("active".into(), "true".into()));
    }
    fields
}

/// One builder row as the page posts it.
fn row(index: usize, key: &str, label: &str, kind: &str, options: &str, order: usize) -> Vec<(String, String)> {
    let name = |part: &str| format!("field-{index}-{part}");
    vec![
        (name("key"), key.into()),
        (name("label"), label.into()),
        (name("kind"), kind.into()),
        (name("options"), options.into()),
        (name("order"), order.to_string()),
    ]
}

fn flag(index: usize, part: &str) -> (String, String) {
    (format!("field-{index}-{part}"), "true".into())
}

fn with(
    mut fields: Vec<(String, String)>,
    more: impl IntoIterator<Item = Vec<(String, String)>>,
) -> Vec<(String, String)> {
    for extra in more {
        fields.extend(extra);
    }
    fields
}

test_both! {
    async fn the_form_builder_adds_edits_reorders_and_removes_fields(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;

        // The page shows one row per field, two blank rows, and the form as requesters see it.
        let html = text(&admin.get(ORDER_PROBLEM).await);
        assert!(tag(&html, "field-0-key").contains("value=\"order_number\""));
        assert!(html.contains("id=\"field-1-options\" name=\"field-1-options\">Wrong item\nMissing item\nDamaged\nLate</textarea>"));
        assert!(html.contains("id=\"field-3\"") && !html.contains("id=\"field-4\""), "two blank rows");
        assert!(html.contains("data-key=\"order_number\"") && html.contains("<option>Missing item</option>"), "the preview");

        // Add a field in a blank row and give it order 1; change another's label and options.
        let current = service(&desk, "order-problem").await;
        let post = with(about(&current), [
            row(0, "order_number", "Order number", "text", "", 1),
            vec![flag(0, "required")],
            row(1, "problem", "What went wrong with it?", "choice", "Wrong item\r\nMissing item\r\n\r\nDamaged\r\nLate\r\nCold", 2),
            row(2, "receipt", "Receipt number", "text", "", 1),
            row(3, "", "", "text", "", 4),
            vec![("action".into(), "save".into())],
        ]);
        assert_saved(&admin.submit(ORDER_PROBLEM, ORDER_PROBLEM, &post).await, ORDER_PROBLEM);
        let saved = service(&desk, "order-problem").await;
        assert_eq!(keys(&saved), ["receipt", "order_number", "problem"]);
        assert_eq!(saved["form"][1]["required"], true);
        assert_eq!(saved["form"][2]["label"], "What went wrong with it?");
        assert_eq!(saved["form"][2]["options"], json!(["Wrong item", "Missing item", "Damaged", "Late", "Cold"]));

        // Remove one with its box; move the last to the top with its order number.
        let post = with(about(&saved), [
            row(0, "receipt", "Receipt number", "text", "", 2),
            row(1, "order_number", "Order number", "text", "", 2),
            vec![flag(1, "remove"), flag(1, "required")],
            row(2, "problem", "What went wrong with it?", "choice", "Wrong item\nCold", 1),
        ]);
        assert_saved(&admin.submit(ORDER_PROBLEM, ORDER_PROBLEM, &post).await, ORDER_PROBLEM);
        let saved = service(&desk, "order-problem").await;
        assert_eq!(keys(&saved), ["problem", "receipt"]);

        // A bad key is refused next to its row; every row keeps what was typed; nothing is saved.
        let post = with(about(&saved), [
            row(0, "problem", "What went wrong with it?", "choice", "Wrong item\nCold", 1),
            row(1, "receipt", "Receipt no.", "text", "", 2),
            row(2, "Bad Key", "Loyalty card", "number", "", 3),
            vec![flag(2, "required")],
        ]);
        let refused = admin.submit(ORDER_PROBLEM, ORDER_PROBLEM, &post).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert_refused_field(&html, "field-2-key", "Bad Key", "lowercase letters");
        assert!(tag(&html, "field-2-label").contains("value=\"Loyalty card\"") && tag(&html, "field-1-label").contains("value=\"Receipt no.\""));
        assert!(html.contains("<option value=\"number\" selected>"), "the kind picked stays picked");
        assert!(tag(&html, "field-2-required").contains("checked"));
        assert!(html.contains("id=\"field-4\"") && !html.contains("id=\"field-5\""), "blank rows are offered again");
        assert_eq!(keys(&service(&desk, "order-problem").await), ["problem", "receipt"]);
        // The same key twice is refused on the second row.
        let post = with(about(&saved), [row(0, "receipt", "Receipt", "text", "", 1), row(1, "receipt", "Receipt again", "text", "", 2)]);
        let refused = admin.submit(ORDER_PROBLEM, ORDER_PROBLEM, &post).await;
        assert_refused_field(&text(&refused), "field-1-key", "receipt", "used twice");

        // "Preview" shows the form with the new field but saves nothing.
        let post = with(about(&saved), [
            row(0, "problem", "What went wrong with it?", "choice", "Wrong item\nCold", 1),
            row(1, "receipt", "Receipt number", "text", "", 2),
            row(2, "loyalty_card", "Loyalty card number", "text", "", 3),
            vec![("action".into(), "preview".into())],
        ]);
        let previewed = admin.submit(ORDER_PROBLEM, ORDER_PROBLEM, &post).await;
        assert_eq!(previewed.status, 200);
        let html = text(&previewed);
        assert!(html.contains("Preview only") && html.contains("data-key=\"loyalty_card\"") && html.contains("Loyalty card number"));
        assert_eq!(keys(&service(&desk, "order-problem").await), ["problem", "receipt"]);

        // Someone else saved in between: refused, with what was typed.
        let mut stale = with(about(&current), [row(0, "receipt", "Receipt number", "text", "", 1)]);
        stale.retain(|(name, _)| name != "name");
        stale.push(("name".into(), "Renamed meanwhile".into()));
        let conflict = admin.submit(ORDER_PROBLEM, ORDER_PROBLEM, &stale).await;
        assert_eq!(conflict.status, 409);
        assert!(text(&conflict).contains("changed by someone else") && text(&conflict).contains("value=\"Renamed meanwhile\""));

        // The requester is asked for the new field.
        let erin = Browser::of(&desk, ERIN).await;
        let portal = erin.get("/portal/services/order-problem").await;
        if portal.status == 200 {
            assert!(text(&portal).contains("Receipt number"), "the portal's form has the new field");
        } else {
            let as_erin = desk.get("/api/v1/services/order-problem", &desk.token(ERIN).await).await;
            assert_eq!(keys(&as_erin.json), ["problem", "receipt"]);
        }
    }
}

test_both! {
    async fn a_new_service_is_created_with_its_form(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let care = team_id(&desk, "care").await.to_string();
        let base = |slug: &str, team: &str| -> Vec<(String, String)> {
            [("slug", slug), ("name", "Gift cards"), ("description", "Balance, lost cards"), ("team_id", team), ("audience", "external"), ("default_priority", "low"), ("active", "true")]
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect()
        };
        // Errors on the service and on the form come back together.
        let post = with(base("Gift Cards!", &care), [row(0, "card_number", "", "text", "", 1)]);
        let refused = admin.submit("/admin/services/new", "/admin/services/new", &post).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert_refused_field(&html, "slug", "Gift Cards!", "lowercase letters");
        assert!(field_error(&html, "field-0-label").unwrap().contains("1–200 characters"));
        assert!(tag(&html, "field-0-key").contains("value=\"card_number\""));

        // Without a team nothing is sent, but the rows are still checked.
        let post = with(base("gift-cards", ""), [row(0, "Card", "Card number", "text", "", 1)]);
        let refused = admin.submit("/admin/services/new", "/admin/services/new", &post).await;
        let html = text(&refused);
        assert!(field_error(&html, "team_id").unwrap().contains("pick the team"));
        assert_refused_field(&html, "field-0-key", "Card", "lowercase letters");

        let post = with(base("gift-cards", &care), [row(0, "card_number", "Card number", "text", "", 1), vec![flag(0, "required")]]);
        let created = admin.submit("/admin/services/new", "/admin/services/new", &post).await;
        assert_saved(&created, "/admin/services/gift-cards");
        let saved = service(&desk, "gift-cards").await;
        assert_eq!((saved["audience"].as_str(), saved["default_priority"].as_str()), (Some("external"), Some("low")));
        assert_eq!(saved["form"], json!([{"key": "card_number", "label": "Card number", "kind": "text", "required": true}]));
        let list = text(&admin.get("/admin/services").await);
        assert!(list.contains("data-service=\"gift-cards\"") && list.contains("Customer Care"));
        let taken = admin.submit("/admin/services/new", "/admin/services/new", &base("gift-cards", &care)).await;
        assert_refused_field(&text(&taken), "slug", "gift-cards", "already exists");
    }
}

test_both! {
    async fn a_lead_manages_their_own_teams_services_and_settings_only(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let casey = Browser::of(&desk, CASEY).await;
        let (care, it) = (team_id(&desk, "care").await, team_id(&desk, "it").await);

        let current = service(&desk, "order-problem").await;
        let mut renamed = about(&current);
        renamed.retain(|(name, _)| name != "name");
        renamed.push(("name".into(), "Problem with an order or delivery".into()));
        renamed.extend(row(0, "order_number", "Order number", "text", "", 1));
        assert_saved(&casey.submit(ORDER_PROBLEM, ORDER_PROBLEM, &renamed).await, ORDER_PROBLEM);
        assert_eq!(service(&desk, "order-problem").await["name"], "Problem with an order or delivery");

        // Another team's service is not there for Casey, even with a good token.
        let token = csrf(&text(&casey.get(ORDER_PROBLEM).await));
        let till = service(&desk, "till-or-laptop").await;
        let mut post = about(&till);
        post.push(("_csrf".into(), token.clone()));
        assert_eq!(casey.get("/admin/services/till-or-laptop").await.status, 404);
        assert_eq!(casey.post("/admin/services/till-or-laptop", &post).await.status, 404);
        assert_eq!(service(&desk, "till-or-laptop").await["version"], till["version"]);
        // Nor can Casey hand their service to a team they do not lead, or start one there.
        let mut moved = about(&service(&desk, "order-problem").await);
        moved.retain(|(name, _)| name != "team_id");
        moved.push(("team_id".into(), it.to_string()));
        assert_eq!(casey.submit(ORDER_PROBLEM, ORDER_PROBLEM, &moved).await.status, 403);
        let new = |team: i64| -> Vec<(String, String)> {
            [("slug", "care-callback"), ("name", "Call me back"), ("team_id", &team.to_string()), ("audience", "both"), ("default_priority", "normal")]
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect()
        };
        assert_eq!(casey.submit("/admin/services/new", "/admin/services/new", &new(it)).await.status, 403);
        assert_saved(&casey.submit("/admin/services/new", "/admin/services/new", &new(care)).await, "/admin/services/care-callback");

        // Casey's own team: settings and members, but not its place in the tree.
        let page = format!("/admin/teams/{care}");
        let html = text(&casey.get(&page).await);
        assert!(!html.contains("id=\"parent_id\"") && html.contains("Only an admin moves a team"), "the tree is read-only for a lead");
        let settings = [("name", "Customer Care & Delivery"), ("slug", "care"), ("kind", "team"), ("parent_id", ""), ("is_provider", "true"), ("assignment", "queue")];
        assert_saved(&casey.submit(&page, &page, &settings).await, &page);
        let stores = team_id(&desk, "stores").await.to_string();
        let moving: Vec<(&str, &str)> =
            settings.iter().map(|&(name, value)| if name == "parent_id" { (name, stores.as_str()) } else { (name, value) }).collect();
        let refused = casey.submit(&page, &page, &moving).await;
        assert_eq!(refused.status, 403);
        let members = format!("{page}/members");
        assert_saved(&casey.submit(&page, &members, &[("email", "sam@harbor.example"), ("role", "agent")]).await, &page);
        // Another team's page and members are not there for Casey.
        let it_page = format!("/admin/teams/{it}");
        assert_eq!(casey.get(&it_page).await.status, 404);
        let forged = [("email", "sam@harbor.example"), ("role", "agent"), ("_csrf", token.as_str())];
        assert_eq!(casey.post(&format!("{it_page}/members"), &forged).await.status, 404);
        assert_eq!(Browser::of(&desk, IVAN).await.get(ORDER_PROBLEM).await.status, 404);
    }
}
