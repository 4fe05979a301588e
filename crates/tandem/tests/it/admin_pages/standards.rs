//! Calendars and service standards through the admin pages: only admins open or post them (every
//! other role finds nothing); a calendar with a lunch break and holidays is created, refused with
//! reasons next to its fields (keeping what was typed), given holidays from an .ics file, and kept
//! while a standard uses it; a standard is created with conditions, targets and an escalation,
//! refused field by field, changed and deleted.

use serde_json::Value;

use super::*;
use crate::pages::{Part, hidden};

const CODY: &str = "cody@harbor.example";

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261226\r\n\
    DTEND;VALUE=DATE:20261227\r\nSUMMARY:Boxing Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

async fn calendar(desk: &TestApp, name: &str) -> Value {
    let found = desk.get("/api/v1/calendars", &desk.token(ADMIN).await).await.json;
    found.as_array().unwrap().iter().find(|calendar| calendar["name"] == name).cloned().unwrap_or(Value::Null)
}

async fn standard(desk: &TestApp, name: &str) -> Value {
    let found = desk.get("/api/v1/standards", &desk.token(ADMIN).await).await.json;
    found.as_array().unwrap().iter().find(|standard| standard["name"] == name).cloned().unwrap_or(Value::Null)
}

/// The text of a textarea.
fn textarea<'h>(html: &'h str, id: &str) -> &'h str {
    let open = tag(html, id);
    let start = html.find(open).unwrap() + open.len();
    &html[start..start + html[start..].find("</textarea>").unwrap()]
}

test_both! {
    async fn only_admins_open_or_post_the_calendar_and_standard_pages(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        // Cody: a plain agent of Customer Care (the demo has leads only).
        let (care, token) = (team_id(&desk, "care").await, desk.token(ADMIN).await);
        let cody = json!({"email": CODY, "name": "Cody Care", "kind": "employee", "department_id": care});
        let cody = desk.post("/api/v1/people", &token, &cody).await.json["id"].clone();
        let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &token, &json!({"role": "agent"})).await;
        assert_eq!(member.status, 200, "{:?}", member.json);
        let office = calendar(&desk, "Harbor office hours").await["id"].as_i64().unwrap();
        let standards = desk.get("/api/v1/standards", &desk.token(ADMIN).await).await.json;
        let first = standards[0]["id"].as_i64().unwrap();
        let pages = [
            "/admin/calendars".to_owned(),
            "/admin/calendars/new".to_owned(),
            format!("/admin/calendars/{office}"),
            "/admin/standards".to_owned(),
            "/admin/standards/new".to_owned(),
            format!("/admin/standards/{first}"),
        ];
        let admin = Browser::of(&desk, ADMIN).await;
        for path in &pages {
            let page = admin.get(path).await;
            assert_eq!(page.status, 200, "admin on {path}");
            assert!(text(&page).contains("<link rel=\"stylesheet\" href=\"/assets/admin.css\">"), "{path}");
            let anonymous = Browser::anonymous(&desk).get(path).await;
            assert_eq!(anonymous.status, 303, "anonymous on {path}");
            assert!(location(&anonymous).starts_with("/signin?next=/admin"), "{path}");
        }
        // Customer, employee, agent, agent of another team, and a lead: not found, pages and posts.
        let posts = [
            "/admin/calendars/new".to_owned(),
            format!("/admin/calendars/{office}"),
            format!("/admin/calendars/{office}/delete"),
            "/admin/standards/new".to_owned(),
            format!("/admin/standards/{first}"),
            format!("/admin/standards/{first}/delete"),
        ];
        for email in [ERIN, BEA, CODY, IVAN, CASEY] {
            let browser = Browser::of(&desk, email).await;
            for path in &pages {
                assert_eq!(browser.get(path).await.status, 404, "{email} on {path}");
            }
            let token = csrf(&text(&browser.get(if email == ERIN || email == BEA { "/portal" } else { "/agent" }).await));
            for path in &posts {
                let post = browser.post(path, &[("_csrf", token.as_str()), ("name", "Taken over")]).await;
                assert_eq!(post.status, 404, "{email} posting {path}");
            }
            let upload = browser
                .multipart(&format!("/admin/calendars/{office}/holidays"), &[Part::Text("_csrf", &token), Part::File("ics", "h.ics", "text/calendar", ICS.as_bytes())])
                .await;
            assert_eq!(upload.status, 404, "{email} importing holidays");
        }
        // Nothing changed, and the admin's posts need the session's token.
        assert!(calendar(&desk, "Taken over").await.is_null() && standard(&desk, "Taken over").await.is_null());
        assert_eq!(calendar(&desk, "Harbor office hours").await["holidays"].as_array().unwrap().iter().filter(|date| *date == "2026-12-26").count(), 0);
        for path in &posts {
            assert_eq!(admin.post(path, &[("name", "Forged")]).await.status, 403, "no token on {path}");
        }
        let forged = admin.multipart(&format!("/admin/calendars/{office}/holidays"), &[Part::File("ics", "h.ics", "text/calendar", ICS.as_bytes())]).await;
        assert_eq!(forged.status, 403);
        // The admin's start page leads to both.
        let start = text(&admin.get("/admin").await);
        assert!(start.contains("href=\"/admin/calendars\"") && start.contains("href=\"/admin/standards\""));
    }
}

test_both! {
    async fn a_calendar_with_a_lunch_break_and_holidays_is_created_refused_imported_and_kept_while_used(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;

        // Bad input: an unknown zone, a period that overlaps the one before, a date that is not one.
        let bad = [
            ("name", "Lisbon office"),
            ("time_zone", "Europe/Lisbonne"),
            ("hours_monday", "09:00-12:30, 12:00-17:30"),
            ("hours_tuesday", "09:00 to 17:00"),
            ("holidays", "2026-12-25\n2026-13-01"),
        ];
        let refused = admin.submit("/admin/calendars/new", "/admin/calendars/new", &bad).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert_refused_field(&html, "hours_tuesday", "09:00 to 17:00", "09:00-12:30");
        assert!(tag(&html, "hours_monday").contains("value=\"09:00-12:30, 12:00-17:30\""), "what was typed is kept");
        assert!(calendar(&desk, "Lisbon office").await.is_null(), "nothing was saved");
        // With the lines readable, the app's own checks come back on the right lines.
        let bad = [
            ("name", "Lisbon office"),
            ("time_zone", "Europe/Lisbonne"),
            ("hours_monday", "09:00-12:30, 12:00-17:30"),
            ("holidays", "2026-12-25\n2026-13-01"),
        ];
        let html = text(&admin.submit("/admin/calendars/new", "/admin/calendars/new", &bad).await);
        assert_refused_field(&html, "time_zone", "Europe/Lisbonne", "not a known time zone");
        assert_refused_field(&html, "hours_monday", "09:00-12:30, 12:00-17:30", "overlaps");
        assert!(field_error(&html, "holidays").unwrap().contains("must be a date"), "{html}");
        assert_eq!(textarea(&html, "holidays"), "2026-12-25\n2026-13-01", "the holidays typed are kept");

        // A good one: a lunch break on weekdays, a short Saturday, a holiday.
        let good = [
            ("name", "Lisbon office"),
            ("time_zone", "Europe/Lisbon"),
            ("hours_monday", "09:00-12:30, 13:30-17:30"),
            ("hours_tuesday", "09:00–12:30, 13:30–17:30"),
            ("hours_saturday", "10:00-13:00"),
            ("holidays", "2026-12-25"),
        ];
        let created = admin.submit("/admin/calendars/new", "/admin/calendars/new", &good).await;
        assert_saved(&created, "/admin/calendars/");
        let saved = calendar(&desk, "Lisbon office").await;
        assert_eq!(saved["time_zone"], "Europe/Lisbon");
        assert_eq!(saved["holidays"], json!(["2026-12-25"]));
        let weekly: Vec<String> = saved["weekly"].as_array().unwrap().iter()
            .map(|period| format!("{} {}-{}", period["day"].as_str().unwrap(), period["start"].as_str().unwrap(), period["end"].as_str().unwrap()))
            .collect();
        assert_eq!(weekly, ["monday 09:00-12:30", "monday 13:30-17:30", "tuesday 09:00-12:30", "tuesday 13:30-17:30", "saturday 10:00-13:00"]);
        let page = location(&created).split('?').next().unwrap().to_owned();
        let list = text(&admin.get("/admin/calendars").await);
        assert!(list.contains("Monday, Tuesday: 09:00-12:30, 13:30-17:30; Saturday: 10:00-13:00; 1 holiday"), "{list}");

        // Holidays from an .ics file join the typed ones; a file that is not one is refused there.
        let form = text(&admin.get(&page).await);
        let token = csrf(&form);
        let import = format!("{page}/holidays");
        let imported = admin.multipart(&import, &[Part::Text("_csrf", &token), Part::File("ics", "pt.ics", "text/calendar", ICS.as_bytes())]).await;
        assert_saved(&imported, &page);
        assert_eq!(calendar(&desk, "Lisbon office").await["holidays"], json!(["2026-12-25", "2026-12-26"]));
        let broken = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let refused = admin.multipart(&import, &[Part::Text("_csrf", &token), Part::File("ics", "x.ics", "text/calendar", broken)]).await;
        assert_eq!(refused.status, 422);
        assert!(field_error(&text(&refused), "ics").unwrap().contains("line"), "{}", text(&refused));
        let nothing = admin.multipart(&import, &[Part::Text("_csrf", &token), Part::File("ics", "", "application/octet-stream", b"")]).await;
        assert_eq!(field_error(&text(&nothing), "ics").as_deref(), Some("choose an .ics file to import"));

        // Edited: 24/7 needs the hours gone; then it is saved as such.
        let form = text(&admin.get(&page).await);
        let version = hidden(&form, "version");
        let mut edit = vec![("name", "Lisbon office"), ("time_zone", "Europe/Lisbon"), ("always_open", "true"), ("hours_monday", "09:00-17:00"), ("version", version.as_str())];
        let refused = admin.submit(&page, &page, &edit).await;
        assert_eq!(refused.status, 422);
        assert!(field_error(&text(&refused), "weekly").unwrap().contains("always open"));
        edit.retain(|(name, _)| *name != "hours_monday");
        assert_saved(&admin.submit(&page, &page, &edit).await, &page);
        assert_eq!(calendar(&desk, "Lisbon office").await["always_open"], true);

        // In use by a standard, it stays, and the page says by which.
        let id = calendar(&desk, "Lisbon office").await["id"].clone();
        let body = json!({"name": "Lisbon promise", "calendar_id": id, "first_response_minutes": 60});
        assert_eq!(desk.post("/api/v1/standards", &desk.token(ADMIN).await, &body).await.status, 201);
        let kept = admin.submit(&page, &format!("{page}/delete"), &[] as &[(&str, &str)]).await;
        assert_eq!(kept.status, 409);
        assert!(text(&kept).contains("The calendar is used by Lisbon promise"), "{}", text(&kept));
        assert!(!calendar(&desk, "Lisbon office").await.is_null());
        let standard_id = standard(&desk, "Lisbon promise").await["id"].as_i64().unwrap();
        assert_eq!(desk.delete(&format!("/api/v1/standards/{standard_id}"), &desk.token(ADMIN).await).await.status, 204);
        let deleted = admin.submit(&page, &format!("{page}/delete"), &[] as &[(&str, &str)]).await;
        assert_saved(&deleted, "/admin/calendars");
        assert!(calendar(&desk, "Lisbon office").await.is_null());
        assert_eq!(admin.get(&page).await.status, 404, "a deleted calendar is gone");
    }
}

test_both! {
    async fn a_standard_is_created_refused_field_by_field_edited_and_deleted(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = Browser::of(&desk, ADMIN).await;
        let office = calendar(&desk, "Harbor office hours").await["id"].as_i64().unwrap().to_string();
        let care = team_id(&desk, "care").await.to_string();
        let it = team_id(&desk, "it").await.to_string();
        let bayside = api_id(&desk, "/api/v1/organizations", "name", "Bayside Offices").await.to_string();
        let order_problem = service_id(&desk, "order-problem").await.to_string();

        // No target, no calendar, a warning past 99 %, minutes that are not a number.
        let bad = [("name", "Bayside gold"), ("warn_at_percent", "150"), ("resolution_minutes", "soon")];
        let refused = admin.submit("/admin/standards/new", "/admin/standards/new", &bad).await;
        assert_eq!(refused.status, 422);
        let html = text(&refused);
        assert_refused_field(&html, "resolution_minutes", "soon", "whole number");
        assert!(field_error(&html, "calendar_id").unwrap().contains("pick the calendar"));
        let bad = [("name", "Bayside gold"), ("warn_at_percent", "150"), ("calendar_id", office.as_str())];
        let html = text(&admin.submit("/admin/standards/new", "/admin/standards/new", &bad).await);
        assert_refused_field(&html, "warn_at_percent", "150", "between 1 and 99");
        assert!(field_error(&html, "targets").unwrap().contains("at least one"), "{html}");
        assert!(html.contains(&format!("<option value=\"{office}\" selected>")), "the calendar chosen is kept");
        assert!(standard(&desk, "Bayside gold").await.is_null(), "nothing was saved");

        let good = [
            ("name", "Bayside gold"),
            ("position", "1"),
            ("enabled", "true"),
            ("audience", "external"),
            ("service", order_problem.as_str()),
            ("team", care.as_str()),
            ("priority", "high"),
            ("priority", "urgent"),
            ("organization", bayside.as_str()),
            ("calendar_id", office.as_str()),
            ("first_response_minutes", "30"),
            ("resolution_minutes", "480"),
            ("warn_at_percent", "80"),
            ("escalations.first_response.raise_priority", "one_step"),
            ("escalations.first_response.notify", "true"),
            ("escalations.resolution.move_to_team_id", it.as_str()),
            ("derive_from_served", "true"),
        ];
        let created = admin.submit("/admin/standards/new", "/admin/standards/new", &good).await;
        assert_saved(&created, "/admin/standards/");
        let saved = standard(&desk, "Bayside gold").await;
        assert_eq!(saved["position"], 1);
        assert_eq!(saved["conditions"], json!({"audience": "external", "service_ids": [order_problem.parse::<i64>().unwrap()],
            "team_ids": [care.parse::<i64>().unwrap()], "priorities": ["high", "urgent"], "organization_ids": [bayside.parse::<i64>().unwrap()]}));
        assert_eq!((saved["first_response_minutes"].clone(), saved["next_response_minutes"].clone(), saved["resolution_minutes"].clone()), (json!(30), Value::Null, json!(480)));
        assert_eq!((saved["warn_at_percent"].clone(), saved["derive_from_served"].clone()), (json!(80), json!(true)));
        assert_eq!(saved["escalations"], json!({"first_response": {"raise_priority": "one_step", "notify": true},
            "resolution": {"move_to_team_id": it.parse::<i64>().unwrap()}}));
        let list = text(&admin.get("/admin/standards").await);
        assert!(list.contains("data-standard=\"Bayside gold\""), "{list}");
        assert!(list.contains("External requests; service is Problem with an order; team is Customer Care; priority is high or urgent; requester from Bayside Offices"), "{list}");
        assert!(list.contains("First response 30 min, Resolution 480 min"));
        let first = list.find("data-standard=\"Bayside gold\"").unwrap();
        assert!(list[first..].contains("data-standard="), "the demo's standards come after position 1");

        // The edit form shows what was saved; a change of target and escalation is saved.
        let page = location(&created).split('?').next().unwrap().to_owned();
        let form = text(&admin.get(&page).await);
        assert!(tag(&form, "resolution_minutes").contains("value=\"480\""));
        assert!(tag(&form, "escalations.first_response.notify").contains("checked"));
        assert!(tag(&form, "derive_from_served").contains("checked"));
        let version = hidden(&form, "version");
        let mut edit: Vec<(&str, &str)> = good.iter().filter(|(name, _)| !name.starts_with("escalations.first_response")).copied().collect();
        edit.retain(|(name, _)| *name != "resolution_minutes");
        edit.extend([("resolution_minutes", "240"), ("version", version.as_str())]);
        assert_saved(&admin.submit(&page, &page, &edit).await, &page);
        let saved = standard(&desk, "Bayside gold").await;
        assert_eq!(saved["resolution_minutes"], 240);
        assert!(saved["escalations"].get("first_response").is_none(), "an escalation with nothing chosen is gone");
        // A stale version is refused for the whole form.
        let stale = admin.submit(&page, &page, &edit).await;
        assert_eq!(stale.status, 409);

        let deleted = admin.submit(&page, &format!("{page}/delete"), &[] as &[(&str, &str)]).await;
        assert_saved(&deleted, "/admin/standards");
        assert!(standard(&desk, "Bayside gold").await.is_null());
        assert!(!text(&admin.get("/admin/standards").await).contains("Bayside gold"));
    }
}
