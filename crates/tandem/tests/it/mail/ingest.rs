//! Messages that are conversations: an unknown sender becomes a person and a ticket; replies
//! thread by Message-ID, then by the ticket number (from a party only); a CC'd person's reply
//! becomes a follower, never the requester; every message is taken exactly once.

use super::*;

async fn messages(desk: &TestApp, admin: &str, id: i64) -> Vec<String> {
    let detail = ticket(desk, admin, id).await;
    detail["messages"].as_array().unwrap().iter().map(|message| message["body"].as_str().unwrap().to_owned()).collect()
}

async fn person(desk: &TestApp, admin: &str, email: &str) -> Value {
    let found = desk.get(&format!("/api/v1/people?q={email}"), admin).await;
    found.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["email"] == email)
        .cloned()
        .unwrap_or(Value::Null)
}

test_both!(
    async fn an_unknown_sender_opens_a_ticket_in_the_mailboxs_team(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let first =
            email("Nora New <Nora@Example.net>", "Message-ID: <n1@example.net>\r\n", "Grinder broken", "It stopped.");
        let created = ingest(&desk, "care", &first).await;
        assert_outcome(&created, InboundOutcome::Created);
        assert!(!created.repeated);
        let detail = ticket(&desk, &admin, ticket_id(&created)).await;
        let opened = &detail["ticket"];
        assert_eq!((opened["subject"].as_str(), opened["channel"].as_str()), (Some("Grinder broken"), Some("email")));
        assert_eq!(opened["team"]["slug"], "care");
        assert_eq!(opened["audience"], "external");
        assert_eq!(opened["requester"]["email"], "nora@example.net");
        assert_eq!(detail["messages"][0]["body"], "It stopped.");
        assert_eq!(detail["messages"][0]["channel"], "email");
        let nora = person(&desk, &admin, "nora@example.net").await;
        assert_eq!((nora["name"].as_str(), nora["kind"].as_str()), (Some("Nora New"), Some("external")));

        // An address at the organization's own mail domain is an employee asking internally.
        let internal = ingest(&desk, "it", &email("tom@harbor.example", "", "Laptop", "Slow.")).await;
        let detail = ticket(&desk, &admin, ticket_id(&internal)).await;
        assert_eq!(
            (detail["ticket"]["audience"].as_str(), detail["ticket"]["team"]["slug"].as_str()),
            (Some("internal"), Some("it"))
        );
        assert_eq!(person(&desk, &admin, "tom@harbor.example").await["kind"], "employee");
        // A known person stays who they are.
        let erin = ingest(&desk, "care", &email("erin@example.com", "", "Hello again", "Me.")).await;
        let detail = ticket(&desk, &admin, ticket_id(&erin)).await;
        assert_eq!(detail["ticket"]["requester"]["name"], "Erin Consumer");
    }
);

test_both!(
    async fn replies_thread_by_message_id_then_by_number_from_a_party(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let first = email("nora@example.net", "Message-ID: <n1@example.net>\r\n", "Grinder", "It stopped.");
        let id = ticket_id(&ingest(&desk, "care", &first).await);
        let headers =
            "Message-ID: <n2@example.net>\r\nIn-Reply-To: <n1@example.net>\r\nReferences: <n1@example.net>\r\n";
        let reply = email(
            "nora@example.net",
            headers,
            "Re: Grinder",
            "Still broken.\r\n\r\nOn Monday nora wrote:\r\n> It stopped.",
        );
        let threaded = ingest(&desk, "care", &reply).await;
        assert_outcome(&threaded, InboundOutcome::Threaded);
        assert_eq!(ticket_id(&threaded), id);
        // References alone (a client that dropped In-Reply-To) thread too, through any earlier id.
        let later = email(
            "nora@example.net",
            "Message-ID: <n3@example.net>\r\nReferences: <n1@example.net> <zz@x>\r\n",
            "Re: x",
            "Third.",
        );
        assert_eq!(ticket_id(&ingest(&desk, "care", &later).await), id);
        // The subject's number threads the requester's message with no threading headers…
        let by_number = email("nora@example.net", "", &format!("Re: Grinder [#{id}]"), "Fourth.");
        let numbered = ingest(&desk, "care", &by_number).await;
        assert_eq!((numbered.outcome, ticket_id(&numbered)), (InboundOutcome::Threaded, id));
        assert_eq!(messages(&desk, &admin, id).await, ["It stopped.", "Still broken.", "Third.", "Fourth."]);
        // …but a stranger cannot write into someone's ticket by guessing its number.
        let guess = ingest(&desk, "care", &email("mallory@example.org", "", &format!("Re: [#{id}]"), "Hi")).await;
        assert_outcome(&guess, InboundOutcome::Created);
        assert_ne!(ticket_id(&guess), id);
        assert_eq!(messages(&desk, &admin, id).await.len(), 4);
    }
);

test_both!(
    async fn a_ccd_persons_reply_threads_and_makes_them_a_follower(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let first = email(
            "nora@example.net",
            "Cc: Pat <pat@example.net>\r\nMessage-ID: <n1@example.net>\r\n",
            "Order",
            "Late.",
        );
        let id = ticket_id(&ingest(&desk, "care", &first).await);
        let followers = |detail: &Value| -> Vec<String> {
            detail["followers"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(followers(&ticket(&desk, &admin, id).await), ["Pat"]);
        let headers = "Message-ID: <q1@example.org>\r\nIn-Reply-To: <n1@example.net>\r\n";
        let quinn = ingest(&desk, "care", &email("quinn@example.org", headers, "Re: Order", "Me too.")).await;
        assert_eq!((quinn.outcome, ticket_id(&quinn)), (InboundOutcome::Threaded, id));
        let detail = ticket(&desk, &admin, id).await;
        assert_eq!(detail["ticket"]["requester"]["email"], "nora@example.net");
        assert_eq!(followers(&detail), ["Pat", "quinn"]);
    }
);

test_both!(
    async fn an_agents_emailed_reply_answers_and_a_customers_reopens(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let id =
            ticket_id(&ingest(&desk, "care", &email("nora@example.net", "Message-ID: <n1@x.net>\r\n", "Q", "?")).await);
        let casey = email(
            "casey@harbor.example",
            "Message-ID: <c1@harbor.example>\r\nIn-Reply-To: <n1@x.net>\r\n",
            "Re: Q",
            "Answer.",
        );
        ingest(&desk, "care", &casey).await;
        let detail = ticket(&desk, &admin, id).await;
        assert_eq!(detail["ticket"]["status"], "open");
        assert!(detail["ticket"]["first_responded_at"].is_string());
        assert_eq!(detail["followers"].as_array().unwrap().len(), 0, "an agent is not made a follower");
        let solved = desk
            .patch(
                &format!("/api/v1/tickets/{id}"),
                &admin,
                detail["ticket"]["version"].as_i64().unwrap(),
                &json!({"status": "solved"}),
            )
            .await;
        assert_eq!(solved.status, 200, "{:?}", solved.json);
        let again = email(
            "nora@example.net",
            "Message-ID: <n2@x.net>\r\nIn-Reply-To: <c1@harbor.example>\r\n",
            "Re: Q",
            "Not solved.",
        );
        ingest(&desk, "care", &again).await;
        assert_eq!(ticket(&desk, &admin, id).await["ticket"]["status"], "open");
    }
);

test_both!(
    async fn each_message_is_taken_exactly_once(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let message = email("nora@example.net", "Message-ID: <once@example.net>\r\n", "Once", "Body");
        let first = ingest(&desk, "care", &message).await;
        let second = ingest(&desk, "care", &message).await;
        assert!(second.repeated);
        assert_eq!((second.outcome, second.ticket_id), (first.outcome, first.ticket_id));
        // Without a Message-ID the bytes decide: the same bytes once, different bytes again.
        let bare = email("nora@example.net", "", "No id", "Body");
        let bare_first = ingest(&desk, "care", &bare).await;
        assert!(ingest(&desk, "care", &bare).await.repeated);
        let other = ingest(&desk, "care", &email("nora@example.net", "", "No id", "Other body")).await;
        assert_ne!(other.ticket_id, bare_first.ticket_id);
        // The same message copied to a second mailbox stays on its one ticket.
        let copied = ingest(&desk, "it", &message).await;
        assert_eq!(
            (copied.outcome, copied.ticket_id, copied.repeated),
            (InboundOutcome::Duplicate, first.ticket_id, false)
        );
        assert_eq!(ticket(&desk, &admin, ticket_id(&first)).await["messages"].as_array().unwrap().len(), 1);
        // Many deliveries of one message at once still make one ticket.
        let racing = email("nora@example.net", "Message-ID: <race@example.net>\r\n", "Race", "Body");
        let deliveries: Vec<_> = (0..6)
            .map(|_| {
                let (app, raw) = (desk.app.clone(), racing.clone());
                tokio::spawn(async move { app.ingest_email("care", raw.as_bytes(), now()).await.expect("ingesting") })
            })
            .collect();
        let mut results = Vec::new();
        for delivery in deliveries {
            results.push(delivery.await.expect("a delivery task"));
        }
        let fresh: Vec<_> = results.iter().filter(|result| !result.repeated).collect();
        assert_eq!(fresh.len(), 1, "{results:?}");
        assert!(results.iter().all(|result| result.ticket_id == fresh[0].ticket_id));
    }
);
