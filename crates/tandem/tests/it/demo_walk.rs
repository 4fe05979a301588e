//! The demo as a user walks it, in-process: Bea asks IT for a broken till; Erin reports a wrong
//! order; Casey replies and adds a note; Erin sees the reply, not the note, and cannot see
//! `till-or-laptop`.

use super::*;

test_both!(
    async fn walk_the_demo(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let bea = desk.token("bea@harbor.example").await;
        let erin = desk.token("erin@example.com").await;
        let casey = desk.token("casey@harbor.example").await;
        let ivan = desk.token("ivan@harbor.example").await;

        let till = desk
            .post(
                "/api/v1/tickets",
                &bea,
                &json!({
                    "subject": "Till 3 will not start",
                    "body": "The screen stays black at Pier 9.",
                    "service": "till-or-laptop",
                    "fields": {"device": "Till", "store": "Pier 9", "blocks_sales": true}
                }),
            )
            .await;
        assert_eq!(till.status, 201, "{:?}", till.json);
        assert_eq!(till.json["ticket"]["team"]["slug"], "it");
        assert_eq!(till.json["ticket"]["view"], "customer");
        let till_id = till.json["ticket"]["id"].as_i64().unwrap();
        let for_ivan = desk.get(&format!("/api/v1/tickets/{till_id}"), &ivan).await;
        assert_eq!(for_ivan.json["ticket"]["priority"], "urgent", "the store-down routing rule raised it");
        assert_eq!(for_ivan.json["ticket"]["assignee"]["name"], "Ivan IT", "IT assigns round robin");

        let order = desk
            .post(
                "/api/v1/tickets",
                &erin,
                &json!({
                    "subject": "Got decaf instead of espresso",
                    "body": "Order HB-10600 came with the wrong beans.",
                    "service": "order-problem",
                    "fields": {"order_number": "HB-10600", "problem": "Wrong item"}
                }),
            )
            .await;
        assert_eq!(order.status, 201, "{:?}", order.json);
        let order_id = order.json["ticket"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{order_id}/messages");

        let reply = desk.post(&path, &casey, &json!({"body": "Sorry Erin, espresso is on its way."})).await;
        assert_eq!(reply.status, 201, "{:?}", reply.json);
        assert_eq!(reply.json["ticket"]["status"], "open");
        let note =
            desk.post(&path, &casey, &json!({"body": "Picked from bin C-14 again.", "visibility": "internal"})).await;
        assert_eq!(note.status, 201, "{:?}", note.json);

        let seen = desk.get(&format!("/api/v1/tickets/{order_id}"), &erin).await;
        assert_eq!(seen.status, 200);
        let bodies: Vec<&str> =
            seen.json["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
        assert!(bodies.contains(&"Sorry Erin, espresso is on its way."), "{bodies:?}");
        assert!(
            !bodies.iter().any(|body| body.contains("bin C-14")),
            "Erin must not see the internal note: {bodies:?}"
        );
        assert!(!seen.body.windows(5).any(|w| w == b"C-14\""), "the note appears nowhere in Erin's response");

        let services = desk.get("/api/v1/services", &erin).await;
        let slugs: Vec<&str> = services.json.as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
        assert!(!slugs.contains(&"till-or-laptop"), "{slugs:?}");
        assert_eq!(desk.get("/api/v1/services/till-or-laptop", &erin).await.status, 404);
        assert_eq!(desk.get(&format!("/api/v1/tickets/{till_id}"), &erin).await.status, 404);
    }
);
